// Video between two browsers with Chromium's fake camera (a moving
// picture): a video call answered with video shows moving remote video on
// both sides with the local preview; an audio call gets video added
// (enableAddVideo) and the far side sees it move; an offerless INVITE that
// asks for auto-answer is answered with a video offer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchChromium, sipDomain, sipMessages, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { dial, openPhone, signIn, videoFrames, videoMotion, waitCallStatus, shot } from '../lib/phone.mjs';

describe('video calls', () => {
  let kam, site, browser, a, b;

  const hangUp = async () => {
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    for (const p of [a.page, b.page]) await p.locator('[data-testid="call"]').first().waitFor({ state: 'detached', timeout: 15000 });
  };

  // The picture must change and frames must be decoded; on a busy machine a
  // stall of a second is allowed, so each is tried a few times.
  const assertMoving = async (name, page) => {
    let m;
    for (let i = 0; i < 5; i++) {
      m = await videoMotion(page, 'remote-video');
      if (m.changed > 20) break;
    }
    assert.ok(m.width > 0 && m.height > 0, `${name}: remote video is ${m.width}x${m.height}`);
    assert.ok(m.lit > 100, `${name}: remote video is dark (${m.lit} lit pixels of 6912)`);
    assert.ok(m.changed > 20, `${name}: remote video changed in ${m.changed} pixels over 700 ms, five times in a row; want it moving`);
    let decoded = 0;
    const f0 = await videoFrames(page);
    for (let i = 0; i < 10 && decoded <= 5; i++) {
      await page.waitForTimeout(500);
      decoded = (await videoFrames(page)) - f0;
    }
    assert.ok(decoded > 5, `${name}: ${decoded} video frames decoded in 5 s`);
  };

  before(async () => {
    kam = await startKamailio({ logMessages: true, testNumbers: true });
    site = await startSoftphone({
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url] },
        isVideoEnabled: true,
        enableAddVideo: true,
        autoAnswerOptions: { answerDelayedOfferWithVideo: true },
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
    await shot(b.page, '40-video-incoming-wide');
    await b.page.getByRole('button', { name: 'Answer with video' }).click();
    await waitCallStatus(a.page, 'connected');
    await waitCallStatus(b.page, 'connected');
    for (const [name, p] of [['caller', a.page], ['callee', b.page]]) {
      await assertMoving(name, p);
      await p.getByTestId('local-video').waitFor();
    }
    await shot(a.page, '41-video-call-narrow');
    await shot(b.page, '42-video-call-wide');
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
    await shot(b.page, '43-video-added-wide');
    await hangUp();
  });

  it('answers an offerless auto-answer INVITE with a video offer (answerDelayedOfferWithVideo)', async () => {
    // Kamailio's *75 removes the caller's SDP and adds Call-Info answer-after=0.
    const before = sipMessages(kam.logs()).length;
    await dial(a.page, '*75walt');
    let offer;
    for (let i = 0; i < 100 && !offer; i++) {
      offer = sipMessages(kam.logs()).slice(before).find((m) => m.startsWith('SIP/2.0 200') && /^CSeq: \d+ INVITE\r?$/m.test(m));
      if (!offer) await a.page.waitForTimeout(100);
    }
    assert.ok(offer, `no 200 OK to the offerless INVITE among:\n${sipMessages(kam.logs()).slice(before).map((m) => m.split('\n')[0]).join('\n')}`);
    assert.match(offer, /^m=video [1-9]\d* /m, `the 200 OK offers no video:\n${offer}`);
    assert.match(offer.split(/^m=video/m)[1] ?? '', /^a=sendrecv\r?$/m, 'the video offer does not send and receive');
    // The caller had made an offer of its own, so this call cannot go on: clean up.
    for (const p of [a.page, b.page]) {
      const live = p.locator('[data-testid="call"]:not([data-status="ended"])');
      if (await live.count()) await live.first().getByRole('button', { name: 'Hang up' }).click().catch(() => {});
    }
    for (const p of [a.page, b.page]) await p.locator('[data-testid="call"]').first().waitFor({ state: 'detached', timeout: 40000 });
  });

  it('lists the camera with the other devices in the settings', async () => {
    await a.page.getByRole('button', { name: 'Settings' }).click();
    const camera = a.page.getByLabel('Camera');
    await camera.waitFor();
    // The list fills in when the browser has enumerated its devices.
    let options = 0;
    for (let i = 0; i < 50 && options < 2; i++) {
      options = await camera.locator('option').count();
      if (options < 2) await a.page.waitForTimeout(100);
    }
    assert.ok(options >= 2, 'camera choice lists no camera');
    await shot(a.page, '44-settings-camera');
    await a.page.getByRole('button', { name: 'Cancel' }).click();
  });
});
