// mediaDeviceSettings: with devicesMustBeSelectedByUser the agent is asked
// to choose the devices of the allowed categories; the choice is
// remembered across reloads and the chosen microphone is the one a call uses.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchChromium, screenshotDir, sipDomain, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { dial, openPhone, signIn, waitCallStatus, waitRegistered } from '../lib/phone.mjs';

describe('media devices chosen by the user', () => {
  let kam, site, browser;

  before(async () => {
    kam = await startKamailio();
    site = await startSoftphone({
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url] },
        mediaDeviceSettings: { deviceCategories: ['microphone', 'voiceoutput'], allowMediaDeviceSelection: true, devicesMustBeSelectedByUser: true },
      },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('asks for the allowed devices, remembers them and calls with the chosen microphone', async () => {
    const a = await openPhone(browser, site.url);
    const b = await openPhone(browser, site.url);
    await signIn(a.page, 'dora');
    await signIn(b.page, 'emil');
    const banner = a.page.getByTestId('choose-devices');
    await banner.waitFor();
    await a.page.screenshot({ path: join(screenshotDir(), '47-choose-devices.png'), fullPage: true });
    await banner.getByRole('button', { name: 'Settings' }).click();
    assert.equal(await a.page.getByLabel('Ringer output').count(), 0, 'ringer output offered although not in deviceCategories');
    const chosen = {};
    for (const label of ['Microphone', 'Speaker']) {
      const select = a.page.getByLabel(label);
      await select.locator('option:not([disabled])').first().waitFor({ state: 'attached' });
      const value = await select.locator('option:not([disabled])').first().getAttribute('value');
      assert.ok(value, `${label}: no device to choose`);
      await select.selectOption(value);
      chosen[label] = value;
    }
    await a.page.screenshot({ path: join(screenshotDir(), '48-devices-chosen.png'), fullPage: true });
    await a.page.getByRole('button', { name: 'Save' }).click();
    await banner.waitFor({ state: 'detached' });

    await a.page.reload();
    await waitRegistered(a.page);
    assert.equal(await a.page.getByTestId('choose-devices').count(), 0, 'asked again for devices after a reload');
    await a.page.getByRole('button', { name: 'Settings' }).click();
    for (const label of ['Microphone', 'Speaker']) {
      // The device list arrives after the form: wait for the chosen one to be listed.
      const select = a.page.getByLabel(label);
      await select.locator(`option[value="${chosen[label]}"]`).waitFor({ state: 'attached' });
      assert.equal(await select.inputValue(), chosen[label], `${label} not remembered`);
    }
    await a.page.getByRole('button', { name: 'Cancel' }).click();

    await dial(a.page, 'emil');
    await waitCallStatus(b.page, 'incoming');
    await b.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await waitCallStatus(a.page, 'connected');
    const mics = await a.page.evaluate(() => (window.__pcs ?? [])
      .filter((pc) => pc.connectionState !== 'closed')
      .flatMap((pc) => pc.getSenders())
      .filter((s) => s.track?.kind === 'audio')
      .map((s) => s.track.getSettings().deviceId));
    assert.deepEqual(mics, [chosen.Microphone], 'the call does not use the chosen microphone');
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await waitCallStatus(b.page, 'ended');
  });
});
