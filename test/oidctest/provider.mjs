// A real OpenID Provider on loopback for softphone's sign-in tests, built
// on oidc-provider (a certified OpenID Connect implementation).
//
//   node provider.mjs CONFIG.json
//
// CONFIG.json: {"clients": [client metadata as in OpenID Connect Dynamic
// Client Registration], "users": [{"login", "password", "claims": {...}}]}.
// It listens on a free port of 127.0.0.1 and prints one line of JSON,
// {"issuer": "http://127.0.0.1:PORT"}, once it accepts connections; it
// stops on SIGTERM or when its standard input closes.
//
// Sign-in is a plain HTML form at /interaction/<uid> (login and password,
// checked against the users), then a consent form; both have a Cancel
// button that ends the sign-in with error=access_denied.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const users = new Map(config.users.map((u) => [u.login, u]));

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

const claimNames = new Set(['sub']);
for (const u of config.users) Object.keys(u.claims).forEach((c) => claimNames.add(c));

const provider = new Provider(issuer, {
  clients: config.clients,
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  // Claims by scope; "sip" carries the SIP credentials.
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
    groups: ['groups'],
    sip: ['sip_dn', 'sip_password'],
  },
  // Put the scopes' claims in the id token too, not only at userinfo.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    // Browser clients revoke their tokens at sign-out (tokenRevocationRelativePath "/token/revocation").
    revocation: { enabled: true },
    // Plain pages: the defaults pull web fonts from the internet.
    rpInitiatedLogout: {
      logoutSource: async (ctx, form) => {
        ctx.body = `<!doctype html><title>Sign out</title><h1>Sign out of ${escape(ctx.host)}?</h1>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`;
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = '<!doctype html><title>Signed out</title><h1>Signed out</h1>';
      },
    },
  },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>Error</title><h1>Error</h1><pre>${escape(JSON.stringify(out))}</pre>`;
  },
  // A client allowed the refresh_token grant gets a refresh token with
  // every code (browser clients renew their tokens without offline_access).
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const user = users.get(id);
    if (!user) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...user.claims }) };
  },
});

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res, status, title, body) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`<!doctype html><title>${escape(title)}</title><h1>${escape(title)}</h1>${body}`);
}

function loginForm(uid, error) {
  return `${error ? `<p class="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<input name="login" autocomplete="username"> <input name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button></form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Cancel</button></form>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 65536) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    page(res, 400, 'Unknown interaction', '');
    return;
  }
  const { prompt, params, session } = details;
  if (req.method === 'GET' && action === '') {
    if (prompt.name === 'login') {
      page(res, 200, 'Sign in', loginForm(uid));
    } else {
      page(res, 200, 'Allow access', `<p>${escape(params.client_id)} asks for: ${escape(params.scope)}</p>
<form method="post" action="/interaction/${escape(uid)}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Cancel</button></form>`);
    }
    return;
  }
  if (req.method !== 'POST') {
    page(res, 405, 'Method not allowed', '');
    return;
  }
  const form = await readForm(req);
  if (action === 'login') {
    const user = users.get(form.get('login'));
    if (!user || user.password !== form.get('password')) {
      page(res, 200, 'Sign in', loginForm(uid, 'Wrong login or password'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.login } }, { mergeWithLastSubmission: false });
    return;
  }
  if (action === 'confirm') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  if (action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
    return;
  }
  page(res, 404, 'Not found', '');
}

const callback = provider.callback();
server.on('request', (req, res) => {
  const m = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/.exec(new URL(req.url, issuer).pathname);
  if (!m) {
    callback(req, res);
    return;
  }
  interaction(req, res, m[1], m[2] ?? '').catch((err) => {
    if (!res.headersSent) page(res, 500, 'Error', `<pre>${escape(err.message)}</pre>`);
    else res.end();
  });
});

provider.on('server_error', (ctx, err) => console.error('server_error', err));

const stop = () => process.exit(0);
process.on('SIGTERM', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
