// What the UI and the phone see of sign-in with identity providers. Type
// only: importing it does not load the sign-in code.
import type { Account } from '../sip/phone';

export interface ProviderStatus {
  name: string;
  signedIn: boolean;
  /** Supplies the SIP account now. */
  sip: boolean;
}

export interface AuthSnapshot {
  /** The providers of authProvidersConfig.providers, for Account Settings. */
  providers: ProviderStatus[];
  /** mandatoryProviderLoginName and whether the user is signed in to it; null when there is none. */
  mandatory: { name: string; signedIn: boolean } | null;
  /** The SIP account a provider sign-in supplies, or null. */
  account: Account | null;
  /** The last sign-in error, for the user. */
  error: string | null;
  /** Token refreshes did not cure a SIP authentication error: the user must sign in again. */
  reloginNeeded: boolean;
}

export interface AuthController {
  readonly snapshot: AuthSnapshot;
  subscribe(fn: (s: AuthSnapshot) => void): () => void;
  /** signIn leaves the page for the named provider's sign-in. */
  signIn(name: string): void;
  /** signOut forgets every sign-in, revokes tokens, ends the server session and the provider's, and leaves the page. */
  signOut(): Promise<void>;
}
