// Whether the phone can place and take calls, derived from the lines'
// registration states: what the header badge, the connection banner and the
// dialer's disabled state all show. No DOM.
import type { StringKey } from '../i18n/defaults';
import type { LineSnapshot } from '../sip/phone';

export type Connection =
  /** No phone runs (signed out). */
  | { kind: 'none' }
  /** A line is registered: calls work. */
  | { kind: 'ok'; server: string | null }
  /** Connecting or registering, no line registered yet. */
  | { kind: 'starting'; server: string | null }
  /** No line works; why, and when the next attempt is due (null: none scheduled). */
  | { kind: 'down'; why: StringKey; server: string | null; cause: string | null; retryAt: number | null; auth: boolean };

/** connection sums up the lines: one registered line is enough. */
export function connection(lines: readonly LineSnapshot[]): Connection {
  if (lines.length === 0) return { kind: 'none' };
  const registered = lines.find((l) => l.state === 'registered');
  if (registered) return { kind: 'ok', server: registered.server };
  const starting = lines.find((l) => l.state === 'connecting' || l.state === 'registering');
  const down = lines.filter((l) => l.state === 'disconnected' || l.state === 'failed' || l.state === 'unregistered');
  // While one line still tries its first connection, the phone is starting
  // unless another line already says why it cannot work.
  if (starting && down.length === 0) return { kind: 'starting', server: starting.server };
  const main = down[0] ?? lines[0];
  const auth = main.state === 'failed' && main.cause === 'Authentication Error';
  const why: StringKey = auth ? 'REGISTRATION_AUTH_FAILED'
    : main.state === 'disconnected' ? 'CONNECTION_SBC_UNREACHABLE'
      : main.state === 'failed' ? 'CONNECTION_REGISTRATION_REFUSED'
        : 'CONNECTION_NOT_REGISTERED';
  // The soonest retry of any line that is down.
  const retries = down.map((l) => l.retryAt).filter((t): t is number => t !== null);
  return {
    kind: 'down', why, server: main.server, cause: main.cause, auth,
    retryAt: retries.length ? Math.min(...retries) : null,
  };
}

/** canCall tells whether a new call can be placed now. */
export function canCall(c: Connection): boolean {
  return c.kind === 'ok';
}

/** secondsUntil is the whole seconds left until at (never negative). */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}
