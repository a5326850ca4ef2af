// The OpenID provider of oidctest/ (the npm package oidc-provider) for the
// sign-in tests, and the browser's steps on its pages. Kamailio's Bearer
// route and the server's access.oidc gate come from env.mjs's startKamailio
// and startSoftphone; stopAll ends the provider with the rest.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, scratch, start } from './env.mjs';

/**
 * startProvider runs oidctest/provider.mjs with the given clients and users
 * and resolves to its issuer URL, once it accepts connections.
 */
export async function startProvider(config) {
  const dir = join(repoRoot, 'test', 'oidctest');
  if (!existsSync(join(dir, 'node_modules', 'oidc-provider'))) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  }
  const file = join(scratch('oidc-'), 'provider.json');
  writeFileSync(file, JSON.stringify(config));
  // stdin stays open: the provider exits when it closes (the test runner died).
  const proc = start('oidc-provider', process.execPath, [join(dir, 'provider.mjs'), file], { stdio: ['pipe', 'pipe', 'pipe'] }, true);
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
