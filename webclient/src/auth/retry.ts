// authRefreshRetriesForSipError: after the SBC refuses a REGISTER for its
// credentials (401/403), the token is refreshed and the REGISTER sent again,
// at most that many times in a row; a successful registration starts the
// count afresh. When the retries are used up (or a refresh fails), the user
// must sign in again, but never while a call is live: signing in leaves the
// page, which would end the call.

export type SipAuthStep =
  /** Refresh the token and register again. */
  | 'refresh'
  /** Ask the user to sign in again (navigating to the provider is allowed). */
  | 'relogin'
  /** Sign-in is needed, but a call is live: wait until the calls end. */
  | 'wait-for-calls';

export class SipAuthRetry {
  readonly max: number;
  #refreshes = 0;

  constructor(max: number) {
    this.max = max;
  }

  /** refreshes is how many refreshes the current streak of refusals has used. */
  get refreshes(): number {
    return this.#refreshes;
  }

  /** afterAuthError decides what follows a REGISTER refused for its credentials. */
  afterAuthError(liveCalls: boolean): SipAuthStep {
    if (this.#refreshes < this.max) {
      this.#refreshes++;
      return 'refresh';
    }
    return this.afterRefreshFailed(liveCalls);
  }

  /** afterRefreshFailed decides what follows a refresh the provider refused. */
  afterRefreshFailed(liveCalls: boolean): SipAuthStep {
    return liveCalls ? 'wait-for-calls' : 'relogin';
  }

  /** registered ends the streak: the next refusal has all retries again. */
  registered(): void {
    this.#refreshes = 0;
  }
}
