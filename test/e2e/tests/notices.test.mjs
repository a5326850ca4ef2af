// notificationOptions.autoplay: when the browser blocks sound at page load,
// the page shows an alert and a browser notification; one click on the
// alert's button unblocks the ring tones.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchChromium, screenshotDir, sipDomain, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { notifications, openPhone } from '../lib/phone.mjs';

describe('autoplay notices', () => {
  let kam, alerting, silent, browser;

  before(async () => {
    kam = await startKamailio();
    const server = { sipDomain, sipServerAddress: [kam.url] };
    alerting = await startSoftphone({
      advancedOptions: { defaultServerConfig: server, notificationOptions: { autoplay: { showAutoplayDisabledAlert: true, showAutoplayDisabledNotification: true } } },
    });
    silent = await startSoftphone({
      advancedOptions: { defaultServerConfig: server, notificationOptions: { autoplay: { showAutoplayDisabledAlert: false, showAutoplayDisabledNotification: false } } },
    });
    // The browser's own autoplay policy: no sound before a user gesture.
    browser = await launchChromium({ autoplay: false });
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('alerts on the page and by notification when sound is blocked', async () => {
    const { page } = await openPhone(browser, alerting.url);
    const alert = page.getByRole('alert').filter({ hasText: 'blocks sounds' });
    await alert.waitFor({ timeout: 10000 });
    await page.waitForFunction(() => window.__notifications.length > 0, null, { timeout: 5000 });
    assert.deepEqual(await notifications(page), [{ title: 'Softphone', body: 'Click the softphone page so that it can play ring tones.' }]);
    await page.screenshot({ path: join(screenshotDir(), '46-autoplay-blocked.png'), fullPage: true });
    await alert.getByRole('button', { name: 'Enable sound' }).click();
    await alert.waitFor({ state: 'detached' });
  });

  it('stays quiet when both notices are off', async () => {
    const { page } = await openPhone(browser, silent.url);
    await page.getByLabel('SIP user').waitFor();
    await page.waitForTimeout(1500);
    assert.equal(await page.getByRole('alert').filter({ hasText: 'blocks sounds' }).count(), 0, 'autoplay alert shown although showAutoplayDisabledAlert is false');
    assert.deepEqual(await notifications(page), []);
  });
});
