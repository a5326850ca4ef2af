// Signing agents in with an identity provider: a real OpenID provider
// (oidc-provider, from oidctest/) with a test user whose claims carry SIP
// credentials, the softphone behind its access.oidc gate, and Kamailio with
// the Bearer REGISTER route. The gate sends the browser to sign in; the
// client then signs in to its mandatory provider and registers with the
// digest credentials from the claims, then to a second provider without a
// password attribute and registers with "Authorization: Bearer <id token>";
// sign-out ends the client's, the server's and the provider's sessions.
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { freePort, launchChromium, sipDomain, sipMessages, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { allowIfAsked, providerSignIn, startProvider } from '../lib/oidc.mjs';
import { openPhone, waitRegistered } from '../lib/phone.mjs';

/** registered waits for the main line to register; the failure names what the page shows. */
async function registered(page) {
  try {
    await waitRegistered(page);
  } catch (err) {
    const text = await page.locator('body').innerText().catch(() => '');
    throw new Error(`not registered at ${page.url()}, the page shows:\n${text}`, { cause: err });
  }
}

const user = { login: 'agent7', password: 'agent7-pass', sipUser: '1007', sipPassword: 'sip-secret-7' };

describe('sign-in with an OpenID provider', () => {
  let kam, site, provider, browser, phone;

  before(async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const spa = (client_id) => ({
      client_id, token_endpoint_auth_method: 'none', redirect_uris: [url], post_logout_redirect_uris: [url],
      grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
    });
    provider = await startProvider({
      clients: [
        {
          client_id: 'softphone-gate', client_secret: 'gate-secret-0123456789abcdef0123456789',
          redirect_uris: [`${url}auth/oidc/callback`], post_logout_redirect_uris: [url],
          grant_types: ['authorization_code'], response_types: ['code'],
        },
        spa('softphone-digest'),
        spa('softphone-bearer'),
      ],
      users: [{
        login: user.login, password: user.password,
        claims: { email: 'agent7@example.com', email_verified: true, name: 'Agent Seven', sip_dn: user.sipUser, sip_password: user.sipPassword },
      }],
    });
    // The SBC refuses the first Bearer token, as if it had expired: the client must refresh it.
    kam = await startKamailio({ password: user.sipPassword, logMessages: true, bearer: true, refuseFirstBearer: true });
    site = await startSoftphone({
      port,
      oidc: { issuer: provider.issuer, clientId: 'softphone-gate', clientSecret: 'gate-secret-0123456789abcdef0123456789' },
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url] },
        authProvidersConfig: {
          mandatoryProviderLoginName: 'Agents SSO',
          providers: [
            {
              providerLoginName: 'Agents SSO', providerType: 'OIDC', authority: provider.issuer, clientId: 'softphone-digest',
              requestScopes: ['profile', 'sip'], userInfoUrlRelativePath: '/me', tokenRevocationRelativePath: '/token/revocation',
              cacheLocation: 'sessionStorage',
              sipAttributes: { SIP_DN_Attribute_name: 'sip_dn', SIP_Password_Attribute_name: 'sip_password' },
            },
            {
              providerLoginName: 'Bearer SSO', providerType: 'OIDC', authority: provider.issuer, clientId: 'softphone-bearer',
              requestScopes: ['sip'], cacheLocation: 'sessionStorage',
              sipAttributes: { SIP_DN_Attribute_name: 'sip_dn' },
            },
          ],
        },
      },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('the server gate sends the browser to sign in and lets it through after', async () => {
    // A page load (node:http: fetch would announce itself as a CORS request).
    const res = await new Promise((resolve, reject) => {
      get(site.url, { headers: { Accept: 'text/html', 'Sec-Fetch-Mode': 'navigate' } }, (r) => { r.resume(); resolve(r); }).on('error', reject);
    });
    assert.equal(res.statusCode, 302, `GET ${site.url} without a session: status ${res.statusCode}, want 302`);
    assert.ok(res.headers.location?.startsWith(`${provider.issuer}/`), `Location ${res.headers.location} is not at the provider`);
    phone = await openPhone(browser, site.url);
    const { page } = phone;
    assert.ok(page.url().startsWith(`${provider.issuer}/interaction/`), `the gate did not send the browser to sign in: ${page.url()}`);
    await providerSignIn(page, site.url, user.login, user.password);
    await page.locator('[data-testid="mandatory-sign-in"]').waitFor();
    const cookies = await phone.context.cookies(site.url);
    assert.ok(cookies.some((c) => c.name === 'softphone_session'), `no session cookie after the gate: ${cookies.map((c) => c.name)}`);
  });

  it('the mandatory provider allows no way past it, then registers with the claims\' digest credentials', async () => {
    const { page } = phone;
    // Nothing but the mandatory sign-in: no SIP form, no settings.
    assert.equal(await page.getByLabel('SIP user').count(), 0, 'the SIP sign-in form is reachable before the mandatory sign-in');
    assert.equal(await page.getByRole('button', { name: 'Settings' }).count(), 0, 'settings are reachable before the mandatory sign-in');
    // Refusing access at the provider comes back as an error, and still no way past.
    const signInAgents = () => page.getByRole('button', { name: 'Sign in with Agents SSO' }).click();
    await Promise.all([page.waitForURL((u) => !u.href.startsWith(site.url)), signInAgents()]);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('[data-testid="mandatory-sign-in"] [role="alert"]', { hasText: 'Agents SSO' }).waitFor();
    assert.equal(await page.getByLabel('SIP user').count(), 0, 'a refused sign-in opened the SIP sign-in form');
    await allowIfAsked(page, site.url, signInAgents);
    await registered(page);
    const here = new URL(page.url());
    assert.equal(here.search, '', `the code and state stay in the address bar: ${page.url()}`);
    const registers = sipMessages(kam.logs()).filter((m) => m.startsWith('REGISTER '));
    const digest = registers.find((m) => /^Authorization: Digest .*username="1007"/m.test(m));
    assert.ok(digest, `no REGISTER with digest credentials of user 1007:\n${registers.join('\n---\n')}`);
    assert.ok(!registers.some((m) => /^Authorization: Bearer/m.test(m)), 'a REGISTER carried a Bearer token for the provider with a password attribute');
    assert.match(digest, /^From: .*sip:1007@example\.test/m, 'the REGISTER is not for the SIP user from the claims');
  });

  it('a second provider without a password attribute registers with the Bearer id token, refreshed after a SIP authentication error', async () => {
    const { page } = phone;
    const refreshes = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url() === `${provider.issuer}/token` && /grant_type=refresh_token/.test(r.postData() ?? '')) refreshes.push(r.url());
    });
    await page.getByRole('button', { name: 'Settings' }).click();
    const list = page.getByTestId('auth-providers');
    await list.locator('[data-provider="Agents SSO"][data-sip="true"]').waitFor();
    const before = sipMessages(kam.logs()).length;
    await allowIfAsked(page, site.url, () => list.getByRole('button', { name: 'Sign in with Bearer SSO' }).click());
    await registered(page);
    const registers = sipMessages(kam.logs()).slice(before).filter((m) => m.startsWith('REGISTER '));
    const bearers = registers.filter((m) => /^Authorization: Bearer [\w-]+\.[\w-]+\.[\w-]*\r?$/m.test(m));
    assert.ok(bearers.length >= 2, `want a refused Bearer REGISTER and an accepted one after signing in to Bearer SSO, got:\n${registers.join('\n---\n')}`);
    // authRefreshRetriesForSipError: the refusal made the client refresh its tokens at the provider.
    assert.ok(refreshes.length >= 1, 'no refresh_token grant at the provider after the SBC refused the Bearer token');
    const bearer = bearers[bearers.length - 1];
    assert.match(bearer, /^From: .*sip:1007@example\.test/m, 'the Bearer REGISTER is not for the SIP user from the claims');
    // The token is the id token of the Bearer provider's client, for this user.
    const token = /^Authorization: Bearer ([\w.-]+)/m.exec(bearer)[1];
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    assert.equal(claims.aud, 'softphone-bearer', `id token aud = ${claims.aud}, want softphone-bearer`);
    assert.equal(claims.iss, provider.issuer, `id token iss = ${claims.iss}`);
    assert.equal(claims.sip_dn, user.sipUser, `id token sip_dn = ${claims.sip_dn}`);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByTestId('auth-providers').locator('[data-provider="Bearer SSO"][data-sip="true"]').waitFor();
    await page.keyboard.press('Escape');
    // A reload keeps the sign-ins (cacheLocation sessionStorage): no trip to the provider.
    const away = [];
    page.on('framenavigated', (f) => { if (f === page.mainFrame() && !f.url().startsWith(site.url)) away.push(f.url()); });
    await page.reload();
    await registered(page);
    assert.deepEqual(away, [], 'the reload went to the provider again');
  });

  it("the test's Kamailio route refuses a REGISTER without credentials", async () => {
    const reply = await phone.page.evaluate(async (ws) => {
      const sock = new WebSocket(ws, 'sip');
      await new Promise((r, j) => { sock.onopen = r; sock.onerror = j; });
      const got = new Promise((r) => { sock.onmessage = (e) => r(String(e.data)); });
      sock.send([
        'REGISTER sip:example.test SIP/2.0', 'Via: SIP/2.0/WS e2e.invalid;branch=z9hG4bK-e2e-1', 'Max-Forwards: 70',
        'From: <sip:1007@example.test>;tag=e2e1', 'To: <sip:1007@example.test>', 'Call-ID: e2e-noauth-1', 'CSeq: 1 REGISTER',
        'Contact: <sip:1007@e2e.invalid;transport=ws>', 'Expires: 60', 'Content-Length: 0', '', '',
      ].join('\r\n'));
      const r = await got;
      sock.close();
      return r;
    }, kam.url);
    assert.match(reply, /^SIP\/2\.0 401 /, `REGISTER without credentials answered:\n${reply}`);
  });

  it('sign-out clears the session: the client, the server gate and the provider', async () => {
    const { page, context } = phone;
    const revoked = [];
    page.on('request', (r) => { if (r.url().endsWith('/token/revocation')) revoked.push(r.url()); });
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The provider asks to confirm its own sign-out (RP-initiated logout).
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    // Back at the page, the gate has no session: the provider asks for credentials again.
    await page.locator('input[name="login"]').waitFor();
    assert.ok(page.url().startsWith(`${provider.issuer}/interaction/`), `after sign-out the page is at ${page.url()}`);
    const cookies = await context.cookies(site.url);
    assert.ok(!cookies.some((c) => c.name === 'softphone_session'), 'the server session cookie survived sign-out');
    assert.ok(revoked.length > 0, 'no token revocation request at sign-out (tokenRevocationRelativePath)');
    // Signing in at the gate again does not bring the client's sign-in back.
    await providerSignIn(page, site.url, user.login, user.password);
    await page.locator('[data-testid="mandatory-sign-in"]').waitFor();
    const kept = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('softphone.oidc.user')));
    assert.deepEqual(kept, [], 'the client kept a sign-in in sessionStorage');
  });
});
