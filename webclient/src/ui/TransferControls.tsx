import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Conference } from '../media/conference';
import { canCompleteTransfer, type Call, type CallSnapshot } from '../sip/call';
import { format } from '../i18n/strings';
import { useStrings } from './i18n';
import { Icon } from './icons';

/** The calls beside the one a card shows, and the conference mixer. */
export const CallsContext = createContext<{ calls: readonly Call[]; conference: Conference | null }>({ calls: [], conference: null });

/**
 * TransferControls offers what a second call makes possible: hand the other
 * call's party to this one (consult transfer), or join both (conference).
 */
export function TransferControls({ call, snap }: { call: Call; snap: CallSnapshot }) {
  const t = useStrings();
  const { calls, conference } = useContext(CallsContext);
  const [joined, setJoined] = useState(() => !!conference?.includes(call));
  useEffect(() => {
    setJoined(!!conference?.includes(call));
    return conference?.on('change', () => setJoined(conference.includes(call)));
  }, [conference, call]);
  // The other party: the latest other connected call.
  const other = [...calls].reverse().find((c) => c !== call && c.snapshot.status === 'connected');
  if (snap.status !== 'connected' || (!other && !joined)) return null;
  const otherWho = other ? other.snapshot.remoteName || other.snapshot.remoteUser : '';
  const who = snap.remoteName || snap.remoteUser;
  return (
    <>
      {other && !joined && (
        <button
          type="button"
          title={format(t.COMPLETE_TRANSFER_HINT, { from: otherWho, to: who })}
          disabled={!canCompleteTransfer(other.snapshot, snap)}
          onClick={() => other.completeTransfer(call)}
        >
          <Icon name="transfer" />
          {t.COMPLETE_TRANSFER}
        </button>
      )}
      {conference && (joined ? (
        <button type="button" aria-pressed="true" onClick={() => conference.stop()}>
          <Icon name="phone" />
          {t.END_CONFERENCE}
        </button>
      ) : other && (
        <button type="button" aria-pressed="false" title={format(t.CONFERENCE_HINT, { with: otherWho })} onClick={() => void conference.start(other, call)}>
          <Icon name="phone" />
          {t.CONFERENCE}
        </button>
      ))}
    </>
  );
}
