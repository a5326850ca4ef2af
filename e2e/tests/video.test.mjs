// Video between two browsers with Chromium's fake camera (a moving
// picture): a video call answered with video shows moving remote video on
// both sides with the local preview; an audio call gets video added
// (enableAddVideo) and the far side sees it move.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchChromium, screenshotDir, sipDomain, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { dial, openPhone, signIn, videoFrames, videoMotion, waitCallStatus } from '../lib/phone.mjs';

describe('video calls', () => {
  let kam, site, browser, a, b, dir;

  const hangUp = async () => {
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    for (const p of [a.page, b.page]) await p.locator('[data-testid="call"]').first().waitFor({ state: 'detached', timeout: 15000 });
  };

  const assertMoving = async (name, page) => {
    const m = await videoMotion(page, 'remote-video');
    assert.ok(m.width > 0 && m.height > 0, `${name}: remote video is ${m.width}x${m.height}`);
    assert.ok(m.lit > 100, `${name}: remote video is dark (${m.lit} lit pixels of 6912)`);
    assert.ok(m.changed > 20, `${name}: remote video changed in ${m.changed} pixels over 700 ms, want it moving`);
    const f0 = await videoFrames(page);
    await page.waitForTimeout(1000);
    const f1 = await videoFrames(page);
    assert.ok(f1 - f0 > 5, `${name}: ${f1 - f0} video frames decoded in 1 s`);
  };

  before(async () => {
    dir = screenshotDir();
    kam = await startKamailio();
    site = await startSoftphone({
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url] },
        isVideoEnabled: true,
        enableAddVideo: true,
        mediaDeviceSettings: { allowMediaDeviceSelection: true },
      },
    });
    browser = await launchChromium();
    a = await openPhone(browser, site.url, { camera: true });
    b = await openPhone(browser, site.url, { camera: true, viewport: { width: 1280, height: 800 } });
    await signIn(a.page, 'vera', { displayName: 'Vera Video' });
    await signIn(b.page, 'walt', { displayName: 'Walt Video' });
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('a video call answered with video shows moving remote video on both sides', async () => {
    await a.page.getByLabel('Number or SIP address').fill('walt');
    await a.page.getByRole('button', { name: 'Video call' }).click();
    await waitCallStatus(b.page, 'incoming');
    await b.page.screenshot({ path: join(dir, '40-video-incoming-wide.png'), fullPage: true });
    await b.page.getByRole('button', { name: 'Answer with video' }).click();
    await waitCallStatus(a.page, 'connected');
    await waitCallStatus(b.page, 'connected');
    for (const [name, p] of [['caller', a.page], ['callee', b.page]]) {
      await assertMoving(name, p);
      await p.getByTestId('local-video').waitFor();
    }
    await a.page.screenshot({ path: join(dir, '41-video-call-narrow.png'), fullPage: true });
    await b.page.screenshot({ path: join(dir, '42-video-call-wide.png'), fullPage: true });
    await hangUp();
  });

  it('adds video to an audio call', async () => {
    await dial(a.page, 'walt');
    await waitCallStatus(b.page, 'incoming');
    await b.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await waitCallStatus(a.page, 'connected');
    assert.equal(await b.page.getByTestId('remote-video').count(), 0, 'an audio call shows remote video');
    await a.page.getByRole('button', { name: 'Add video' }).click();
    await b.page.getByTestId('remote-video').waitFor({ timeout: 10000 });
    await assertMoving('callee after Add video', b.page);
    await a.page.getByTestId('local-video').waitFor();
    await b.page.screenshot({ path: join(dir, '43-video-added-wide.png'), fullPage: true });
    await hangUp();
  });

  it('lists the camera with the other devices in the settings', async () => {
    await a.page.getByRole('button', { name: 'Settings' }).click();
    const camera = a.page.getByLabel('Camera');
    await camera.waitFor();
    assert.ok((await camera.locator('option').count()) >= 2, 'camera choice lists no camera');
    await a.page.screenshot({ path: join(dir, '44-settings-camera.png'), fullPage: true });
    await a.page.getByRole('button', { name: 'Cancel' }).click();
  });
});
