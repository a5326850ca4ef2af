import { format } from '../i18n/strings';
import type { CallSnapshot } from '../sip/call';
import { useStrings } from './i18n';

/**
 * CallDetails shows who is calling and why: the customer info (mapped to
 * readable text, or the raw header when it is not JSON) and the call UUID of
 * each contact-center integration.
 */
export function CallDetails({ snap }: { snap: CallSnapshot }) {
  const t = useStrings();
  const info = snap.customerInfo;
  if (!info && snap.callUuids.length === 0) return null;
  return (
    <section class="call-details" aria-label={t.CUSTOMER_INFO} data-testid="customer-info">
      {info?.kind === 'raw' && <p class="customer-raw">{info.text}</p>}
      {(info?.kind === 'items' || snap.callUuids.length > 0) && (
        <dl>
          {info?.kind === 'items' && info.items.map((i) => (
            <div key={`k:${i.key}`} data-key={i.key}>
              <dt>{i.label}</dt>
              <dd>{i.value}</dd>
            </div>
          ))}
          {snap.callUuids.map((u) => (
            <div key={`u:${u.serviceName}`} class="call-uuid" data-testid="call-uuid">
              <dt>{format(t.CALL_UUID, { service: u.serviceName })}</dt>
              <dd>{u.uuid}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
