// The state and nonce checks of a sign-in, through oidc-client-ts as the
// client uses it (managerSettings), against a token endpoint on loopback
// that answers like a provider would, or like an attacker's would.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemoryWebStorage, OidcClient } from 'oidc-client-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIdToken, managerSettings, randomToken } from './oidc';
import type { OIDCProvider } from './providers';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;

let server: Server;
let issuer: string;
// The nonce the token endpoint puts into the next id token.
let nextNonce = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      if (req.url !== '/token' || form.get('grant_type') !== 'authorization_code' || !form.get('code_verifier')) {
        res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"error":"invalid_request"}');
        return;
      }
      const now = Math.floor(Date.now() / 1000);
      const idToken = jwt({ iss: issuer, aud: 'spa', sub: 'agent7', nonce: nextNonce, iat: now, exp: now + 300, sip_dn: '1007' });
      res.writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: idToken, scope: 'openid sip' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

function client(): OidcClient {
  const provider: OIDCProvider = {
    kind: 'oidc', name: 'SSO', type: 'OIDC', issuer, authority: issuer, clientId: 'spa',
    redirectUri: 'https://softphone.example.com/', scopes: ['openid', 'sip'], userInfoUrl: `${issuer}/me`,
    revocationUrl: null, refreshRetries: 5, forceLoginPromptOnEmptyCache: false, cacheLocation: 'memoryStorage',
    sipUserAttribute: 'sip_dn', sipPasswordAttribute: 'sip_password',
  };
  const store = new InMemoryWebStorage();
  return new OidcClient({
    ...managerSettings(provider, { local: null, session: store }),
    metadata: { issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token` },
  });
}

async function startSignIn(c: OidcClient) {
  const nonce = randomToken();
  const req = await c.createSigninRequest({ request_type: 'si:r', nonce });
  const url = new URL(req.url);
  return { nonce, state: url.searchParams.get('state') ?? '', url };
}

describe('sign-in response checks', () => {
  it('sends PKCE S256, a random state and a random nonce', async () => {
    const c = client();
    const a = await startSignIn(c);
    const b = await startSignIn(c);
    expect(a.url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(a.url.searchParams.get('nonce')).toBe(a.nonce);
    expect(a.state.length).toBeGreaterThanOrEqual(16);
    expect(a.nonce.length).toBeGreaterThanOrEqual(43);
    expect(b.state).not.toBe(a.state);
    expect(b.nonce).not.toBe(a.nonce);
  });

  it('accepts the response to its own sign-in, with the matching nonce', async () => {
    const c = client();
    const { nonce, state } = await startSignIn(c);
    nextNonce = nonce;
    const res = await c.processSigninResponse(`https://softphone.example.com/?code=abc&state=${state}`);
    expect(res.profile.sub).toBe('agent7');
    expect(res.profile.sip_dn).toBe('1007');
  });

  it('refuses a state this browser did not start', async () => {
    const c = client();
    await startSignIn(c);
    await expect(c.processSigninResponse('https://softphone.example.com/?code=abc&state=forged')).rejects.toThrow(/state/i);
  });

  it('refuses a state used once already', async () => {
    const c = client();
    const { nonce, state } = await startSignIn(c);
    nextNonce = nonce;
    await c.processSigninResponse(`https://softphone.example.com/?code=abc&state=${state}`);
    await expect(c.processSigninResponse(`https://softphone.example.com/?code=abc&state=${state}`)).rejects.toThrow(/state/i);
  });

  it('refuses an id token whose nonce is not the one sent', async () => {
    const c = client();
    const { state } = await startSignIn(c);
    nextNonce = 'replayed-nonce';
    await expect(c.processSigninResponse(`https://softphone.example.com/?code=abc&state=${state}`)).rejects.toThrow(/nonce/);
  });

  it('refuses an id token without a nonce', async () => {
    const c = client();
    const { state } = await startSignIn(c);
    nextNonce = '';
    await expect(c.processSigninResponse(`https://softphone.example.com/?code=abc&state=${state}`)).rejects.toThrow(/nonce/);
  });
});

describe('checkIdToken', () => {
  const now = 1_800_000_000;
  const good = { iss: 'https://sso.example.com', aud: 'spa', sub: 's', exp: now + 60, iat: now };
  const cases: { name: string; claims: Record<string, unknown>; want: RegExp | null }[] = [
    { name: 'valid', claims: good, want: null },
    { name: 'issuer with a trailing slash', claims: { ...good, iss: 'https://sso.example.com/' }, want: null },
    { name: 'audience list with azp', claims: { ...good, aud: ['spa', 'api'], azp: 'spa' }, want: null },
    { name: 'other issuer', claims: { ...good, iss: 'https://evil.example.com' }, want: /issuer/ },
    { name: 'other audience', claims: { ...good, aud: 'other' }, want: /audience/ },
    { name: 'audience list without azp', claims: { ...good, aud: ['spa', 'api'] }, want: /azp/ },
    { name: 'expired', claims: { ...good, exp: now - 61 }, want: /expired/ },
    { name: 'within leeway', claims: { ...good, exp: now - 30 }, want: null },
    { name: 'no exp', claims: { ...good, exp: undefined }, want: /expired/ },
    { name: 'issued in the future', claims: { ...good, iat: now + 600 }, want: /future/ },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const got = checkIdToken(tc.claims, 'https://sso.example.com', 'spa', now);
      if (tc.want === null) expect(got, 'problem').toBeNull();
      else expect(got ?? '', 'problem').toMatch(tc.want);
    });
  }
});
