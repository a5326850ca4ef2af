// Real parts for the sign-in tests: the OpenID provider of oidctest/
// (the npm package oidc-provider), Kamailio with the Bearer REGISTER route
// (-A WITH_BEARER), and the softphone server behind its access.oidc gate.
// Each process is stopped by its own pid (stopOIDC).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, need, outDir, repoRoot, sipDomain, softphoneBinary, waitPort } from './env.mjs';

const workDir = process.env.E2E_WORKDIR ?? join(outDir, 'tmp');
mkdirSync(workDir, { recursive: true });
const scratch = (prefix) => mkdtempSync(join(workDir, prefix));
const children = new Set();

function start(cmd, args, opts = {}) {
  const logs = [];
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], ...opts });
  const keep = (d) => logs.push(d.toString());
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  children.add(child);
  child.on('exit', () => children.delete(child));
  return { child, logs: () => logs.join('') };
}

/**
 * startProvider runs oidctest/provider.mjs with the given clients and users
 * and resolves to its issuer URL, once it accepts connections.
 */
export async function startProvider(config) {
  const dir = join(repoRoot, 'oidctest');
  if (!existsSync(join(dir, 'node_modules', 'oidc-provider'))) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  }
  const file = join(scratch('oidc-'), 'provider.json');
  writeFileSync(file, JSON.stringify(config));
  const proc = start(process.execPath, [join(dir, 'provider.mjs'), file]);
  const issuer = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the OpenID provider did not start:\n${proc.logs()}`)), 15000);
    let out = '';
    proc.child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).issuer);
      }
    });
    proc.child.on('exit', (code) => reject(new Error(`the OpenID provider exited (${code}):\n${proc.logs()}`)));
  });
  return { issuer, logs: proc.logs };
}

/**
 * startKamailioBearer runs examples/kamailio/kamailio.cfg with the Bearer
 * REGISTER route and every SIP message logged; digest users share password.
 * refuseFirstBearer answers the first Bearer REGISTER 401 (BEARER_REFUSE_ONCE).
 */
export async function startKamailioBearer(password, { refuseFirstBearer = false } = {}) {
  const kamailio = need('kamailio', 'kamailio kamailio-websocket-modules');
  const port = await freePort();
  const rundir = scratch('kamailio-');
  const proc = start(kamailio, [
    '-f', join(repoRoot, 'examples/kamailio/kamailio.cfg'),
    '-DD', '-E', '-Y', rundir, '-P', join(rundir, 'kamailio.pid'),
    '-A', `WS_PORT=${port}`, '-A', `SIP_PASSWORD="${password}"`, '-A', `SIP_REALM="${sipDomain}"`,
    '-A', 'WITH_BEARER', '-A', 'LOG_MESSAGES', ...(refuseFirstBearer ? ['-A', 'BEARER_REFUSE_ONCE'] : []),
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitPort(port, 'kamailio', proc);
  return { url: `ws://127.0.0.1:${port}`, port, logs: proc.logs };
}

/**
 * startSoftphoneOIDC runs `softphone serve` (plain HTTP on 127.0.0.1:port)
 * with access.oidc and the given client config.
 */
export async function startSoftphoneOIDC({ port, oidc, advancedOptions }) {
  const dir = scratch('serve-');
  const config = {
    listen: `127.0.0.1:${port}`,
    redirectListen: '',
    basePath: '/',
    tls: { mode: 'off' },
    access: { oidc },
    advancedOptions,
  };
  const file = join(dir, 'softphone.yaml');
  writeFileSync(file, JSON.stringify(config, null, 2));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SOFTPHONE_')));
  const proc = start(softphoneBinary(), ['serve', '--config', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  await waitPort(port, 'softphone', proc);
  return { url: `http://127.0.0.1:${port}/`, logs: proc.logs };
}

/** stopOIDC ends every process this module started, by pid. */
export function stopOIDC() {
  for (const c of children) {
    try {
      c.kill('SIGTERM');
    } catch {
      /* already gone */
    }
  }
}

/** providerSignIn fills the provider's login form, then allows access when asked. */
export async function providerSignIn(page, site, login, password) {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await allowIfAsked(page, site);
}

/**
 * allowIfAsked runs leave (a click that sends the page to the provider, if
 * any), then waits until the provider either asks for consent (and clicks
 * Allow) or sends the browser back to site.
 */
export async function allowIfAsked(page, site, leave = null) {
  const back = (u) => u.href.startsWith(site);
  if (leave) await Promise.all([page.waitForURL((u) => !back(u), { timeout: 15000 }), leave()]);
  const allow = page.getByRole('button', { name: 'Allow' });
  await Promise.race([allow.waitFor({ timeout: 15000 }), page.waitForURL(back, { timeout: 15000 })]);
  if (!back(new URL(page.url()))) await allow.click();
  await page.waitForURL(back, { timeout: 15000 });
}
