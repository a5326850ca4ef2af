import { InMemoryWebStorage } from 'oidc-client-ts';
import { describe, expect, it } from 'vitest';
import { GenesysSession } from './genesys';

const provider = { kind: 'genesys' as const, name: 'Genesys Cloud', environment: 'usw2.pure.cloud', clientId: 'g1', redirectUri: 'https://softphone.example.com/' };

function session(state: string | null) {
  const store = new InMemoryWebStorage();
  if (state) store.setItem('softphone.genesys.state', state);
  return new GenesysSession(provider, store);
}

describe('GenesysSession.completeSignIn', () => {
  it('keeps the token of the response to its own sign-in until it expires', () => {
    const s = session('st-1');
    expect(s.signedIn()).toBe(false);
    expect(s.completeSignIn('#access_token=tok&expires_in=3600&state=st-1&token_type=bearer')).toBe(true);
    expect(s.signedIn()).toBe(true);
    const expired = session('st-2');
    expect(expired.completeSignIn('#access_token=tok&expires_in=60&state=st-2', Date.now() - 61_000)).toBe(true);
    expect(expired.signedIn()).toBe(false);
  });
  it('refuses a response with another state, without a state or without a started sign-in', () => {
    expect(session('st-1').completeSignIn('#access_token=tok&state=forged')).toBe(false);
    expect(session('st-1').completeSignIn('#access_token=tok')).toBe(false);
    expect(session(null).completeSignIn('#access_token=tok&state=st-1')).toBe(false);
  });
  it('uses a state once', () => {
    const s = session('st-1');
    expect(s.completeSignIn('#access_token=a&state=st-1')).toBe(true);
    s.signOut();
    expect(s.completeSignIn('#access_token=b&state=st-1')).toBe(false);
    expect(s.signedIn()).toBe(false);
  });
});
