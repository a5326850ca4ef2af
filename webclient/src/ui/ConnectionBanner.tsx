import { format } from '../i18n/strings';
import { secondsUntil, type Connection } from '../state/connection';
import { useStrings } from './i18n';

/** The id of the banner's reason, for the dialer's accessible description. */
export const connectionWhyId = 'connection-why';

interface Props {
  connection: Connection;
  now: number;
  /** Tries every line that is down at once; null hides "Retry now". */
  onRetry: (() => void) | null;
  /** For a provider's refused sign-in: sign in again instead of retrying. */
  onSignInAgain?: (() => void) | null;
}

/**
 * ConnectionBanner tells why calls are not possible while no line works:
 * the reason (announced once), when the next attempt is due, and
 * "Retry now". While the phone is still starting it says so quietly.
 */
export function ConnectionBanner({ connection: c, now, onRetry, onSignInAgain = null }: Props) {
  const t = useStrings();
  if (c.kind === 'starting') {
    return (
      <div class="banner banner-info" data-testid="connection" data-kind="starting">
        <p class="banner-text" id={connectionWhyId}>{t.CONNECTION_STARTING}</p>
      </div>
    );
  }
  if (c.kind !== 'down') return null;
  const retry = c.retryAt === null ? t.CONNECTION_NO_RETRY
    : c.retryAt > now ? format(t.CONNECTION_RETRY_IN, { seconds: secondsUntil(c.retryAt, now) })
      : t.CONNECTION_RETRYING;
  return (
    <div class="banner banner-down" data-testid="connection" data-kind="down">
      <div class="banner-text">
        {/* Only the reason is a live region: the countdown below would speak every second. */}
        <p role="alert" id={connectionWhyId}>{t[c.why]}</p>
        <p class="banner-detail" data-testid="retry-at">
          {c.server && <span class="banner-server">{c.server}{c.cause ? ` (${c.cause})` : ''} · </span>}
          {retry}
        </p>
      </div>
      {c.auth && onSignInAgain ? (
        <button type="button" onClick={onSignInAgain}>{t.SIGN_IN_AGAIN}</button>
      ) : onRetry && (
        <button type="button" onClick={onRetry}>{t.RETRY_NOW}</button>
      )}
    </div>
  );
}
