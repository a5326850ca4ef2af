// SBC failover: with prioritize, a dead first address is skipped and the
// phone registers through the next one. Dual registration: with
// backupSipServerAddress the phone registers to a second SBC as well.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { freePort, launchChromium, screenshotDir, sipDomain, sipPassword, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { openPhone, registeredAt, signIn } from '../lib/phone.mjs';

describe('SBC failover', () => {
  let kam, kam2, site, dual, browser, dead;

  before(async () => {
    kam = await startKamailio();
    // A port nobody listens on: connections are refused at once.
    dead = `ws://127.0.0.1:${await freePort()}`;
    site = await startSoftphone({
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [dead, kam.url], prioritize: true },
        reconnectIntervalMin: 1,
        reconnectIntervalMax: 2,
      },
    });
    kam2 = await startKamailio();
    dual = await startSoftphone({
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url], backupSipServerAddress: [kam2.url] },
      },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('registers through the next SBC when the first is dead', async () => {
    const { page } = await openPhone(browser, site.url);
    await signIn(page, 'carol');
    const line = page.locator('[data-line="main"]');
    assert.equal(await line.getAttribute('data-server'), kam.url, 'registered through the wrong SBC');
    await page.reload();
    await page.locator('[data-line="main"][data-state="registered"]').waitFor();
    assert.equal(await line.getAttribute('data-server'), kam.url, 'registered through the wrong SBC after a reload');
    console.log(`# page load to registered with a dead first SBC (auto-login): ${(await registeredAt(page)).toFixed(0)} ms`);
  });

  it('keeps the sign-in form with the refused password marked, and signs in after a fix', async () => {
    const { page } = await openPhone(browser, dual.url);
    await page.getByLabel('SIP user').fill('judy');
    await page.getByLabel('Password', { exact: true }).fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const password = page.getByLabel('Password', { exact: true });
    await page.locator('input[name="password"][aria-invalid="true"]').waitFor({ timeout: 10000 });
    await page.getByRole('alert').filter({ hasText: 'refused the SIP user or password' }).waitFor();
    assert.equal(await password.getAttribute('aria-describedby'), 'password-error', 'the error is not tied to the password field');
    await page.screenshot({ path: join(screenshotDir(), '20-registration-refused.png'), fullPage: true });
    assert.equal(await page.getByLabel('SIP user').inputValue(), 'judy', 'the user name should stay filled in');
    await password.fill(sipPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-line="main"][data-state="registered"]').waitFor({ timeout: 10000 });
  });

  it('registers on the backup SBC too (dual registration)', async () => {
    const { page } = await openPhone(browser, dual.url);
    await signIn(page, 'ivan');
    const backup = page.locator('[data-line="backup"][data-state="registered"]');
    await backup.waitFor({ timeout: 10000 });
    assert.equal(await backup.getAttribute('data-server'), kam2.url, 'backup line registered through the wrong SBC');
    assert.match(await backup.textContent(), /Backup/);
  });
});
