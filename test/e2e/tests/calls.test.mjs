// Two Chromium contexts register to Kamailio through the softphone server
// and call each other: ringing, answer, audio both ways, hold/resume seen by
// the far side, DTMF, hang-up from either side, no-answer timeout.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchChromium, sipDomain, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { call, dial, notifications, openPhone, registeredAt, remoteSDP, rtpRising, sentTones, signIn, waitCallStatus, waitRegistered, watchDTMFSenders } from '../lib/phone.mjs';

const noAnswerTimeout = 6;

describe('calls between two browsers', () => {
  let kam, site, browser, a, b, c;

  before(async () => {
    kam = await startKamailio();
    site = await startSoftphone({
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url], prioritize: true },
        storageConfig: { location: 'localStorage' },
        noAnswerTimeout,
        reconnectIntervalMin: 1,
        reconnectIntervalMax: 2,
        dtmfUseWebRTC: true,
        dtmfDuration: 100,
        dtmfInterToneGap: 100,
      },
    });
    browser = await launchChromium();
    a = await openPhone(browser, site.url);
    b = await openPhone(browser, site.url);
    c = await openPhone(browser, site.url);
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('registers both users', async () => {
    await signIn(a.page, 'alice', { displayName: 'Alice Agent' });
    await signIn(b.page, 'bob', { displayName: 'Bob Agent' });
    await signIn(c.page, 'carl', { displayName: 'Carl Supervisor' });
  });

  it('auto-logs in from stored credentials after a reload', async () => {
    const times = [];
    for (let i = 0; i < 3; i++) {
      await a.page.reload();
      await waitRegistered(a.page);
      times.push(await registeredAt(a.page));
    }
    assert.ok(times.every((t) => typeof t === 'number' && t > 0), `registered marks = ${times}`);
    console.log(`# page load to registered (auto-login, ${times.length} reloads): ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  });

  it('A calls B, B rings and answers, audio flows both ways', async () => {
    await dial(a.page, 'bob');
    await waitCallStatus(b.page, 'incoming');
    await waitCallStatus(a.page, 'ringing');
    assert.match(await call(b.page).textContent(), /Alice Agent/);
    // B rings with sounds/ringing.wav and a notification; A hears the ring-back.
    await b.page.waitForFunction(() => window.__played.some((p) => p.endsWith('/sounds/ringing.wav')));
    await a.page.waitForFunction(() => window.__played.some((p) => p.endsWith('/sounds/ringback.wav')));
    assert.deepEqual(await notifications(b.page), [{ title: 'Incoming call', body: 'Alice Agent' }]);
    for (const path of ['sounds/ringing.wav', 'sounds/ringback.wav']) {
      const res = await fetch(new URL(path, site.url));
      assert.equal(res.headers.get('content-type')?.split(';')[0], 'audio/wav', `${path} content type`);
    }
    await b.page.getByRole('button', { name: 'Answer' }).click();
    await waitCallStatus(a.page, 'connected');
    await waitCallStatus(b.page, 'connected');
    for (const [name, p] of [['A', a.page], ['B', b.page]]) {
      const d = await rtpRising(p);
      assert.ok(d.sent > 0, `${name}: audio RTP bytes sent rose by ${d.sent}, want > 0`);
      assert.ok(d.received > 0, `${name}: audio RTP bytes received rose by ${d.received}, want > 0`);
    }
  });

  it('hold and resume are seen by the far side', async () => {
    await a.page.getByRole('button', { name: 'Hold' }).click();
    await b.page.locator('[data-testid="call"][data-remote-hold="true"]').waitFor({ timeout: 10000 });
    await a.page.locator('[data-testid="call"][data-local-hold="true"]').waitFor();
    assert.match(await call(b.page).textContent(), /Held by the other side/);
    await a.page.getByRole('button', { name: 'Resume' }).click();
    await b.page.locator('[data-testid="call"][data-remote-hold="false"]').waitFor({ timeout: 10000 });
    const d = await rtpRising(b.page);
    assert.ok(d.received > 0, `B after resume: RTP bytes received rose by ${d.received}, want > 0`);
  });

  it('mutes and unmutes the microphone', async () => {
    const micEnabled = () => a.page.evaluate(() => (window.__pcs ?? [])
      .filter((pc) => pc.connectionState !== 'closed')
      .flatMap((pc) => pc.getSenders())
      .filter((s) => s.track?.kind === 'audio')
      .map((s) => s.track.enabled));
    assert.deepEqual(await micEnabled(), [true]);
    await a.page.getByRole('button', { name: 'Mute' }).click();
    await a.page.getByRole('button', { name: 'Unmute' }).waitFor();
    assert.deepEqual(await micEnabled(), [false], 'the audio track still sends after Mute');
    await a.page.getByRole('button', { name: 'Unmute' }).click();
    await a.page.getByRole('button', { name: 'Mute' }).waitFor();
    assert.deepEqual(await micEnabled(), [true], 'the audio track stays off after Unmute');
  });

  it('sends DTMF in the media (RFC 2833) with the negotiated telephone-event', async () => {
    await watchDTMFSenders(a.page);
    await a.page.getByRole('button', { name: 'Keypad' }).click();
    const pad = a.page.getByRole('group', { name: 'Keypad' });
    for (const k of ['1', '2', '#']) await pad.getByRole('button', { name: k, exact: true }).click();
    await a.page.waitForFunction(() => (window.__tones ?? '').replace(/[^0-9*#]/g, '').length >= 3, null, { timeout: 10000 });
    assert.equal((await sentTones(a.page)).replace(/[^0-9*#]/g, ''), '12#');
    assert.match(await remoteSDP(a.page), /a=rtpmap:\d+ telephone-event\/8000/, "B's answer lacks telephone-event");
  });

  it('hang-up by B ends the call on both sides', async () => {
    await b.page.getByRole('button', { name: 'Hang up' }).click();
    await waitCallStatus(a.page, 'ended');
    await waitCallStatus(b.page, 'ended');
    await a.page.locator('[data-testid="call"]').waitFor({ state: 'detached', timeout: 10000 });
  });

  it('hang-up by A ends the call on both sides', async () => {
    await dial(a.page, 'bob');
    await waitCallStatus(b.page, 'incoming');
    await b.page.keyboard.press('Alt+A');
    await waitCallStatus(a.page, 'connected');
    await a.page.keyboard.press('Alt+H');
    await waitCallStatus(b.page, 'ended');
    await waitCallStatus(a.page, 'ended');
    await b.page.locator('[data-testid="call"]').waitFor({ state: 'detached', timeout: 10000 });
  });

  it('blind transfer: B transfers A to C', async () => {
    await dial(a.page, 'bob');
    await waitCallStatus(b.page, 'incoming');
    await b.page.getByRole('button', { name: 'Answer' }).click();
    await waitCallStatus(b.page, 'connected');
    await b.page.getByRole('button', { name: 'Transfer' }).click();
    await b.page.getByLabel('Transfer to').fill('carl');
    await b.page.getByLabel('Transfer to').press('Enter');
    await waitCallStatus(b.page, 'ended');
    assert.match(await call(b.page).textContent(), /Transferred/);
    await waitCallStatus(c.page, 'incoming');
    assert.match(await call(c.page).textContent(), /Alice Agent/);
    await c.page.getByRole('button', { name: 'Answer' }).click();
    await a.page.locator('[data-testid="call"][data-status="connected"]', { hasText: 'carl' }).waitFor({ timeout: 10000 });
    const d = await rtpRising(c.page);
    assert.ok(d.received > 0 && d.sent > 0, `C after transfer: RTP sent +${d.sent}, received +${d.received}, want both > 0`);
    await c.page.getByRole('button', { name: 'Hang up' }).click();
    await waitCallStatus(c.page, 'ended');
    await a.page.locator('[data-testid="call"]:not([data-status="ended"])').waitFor({ state: 'detached', timeout: 10000 });
    await a.page.locator('[data-testid="call"]').first().waitFor({ state: 'detached', timeout: 10000 });
  });

  it('an unanswered call ends after noAnswerTimeout', async () => {
    await dial(a.page, 'bob');
    await waitCallStatus(b.page, 'incoming');
    const rang = Date.now();
    await waitCallStatus(b.page, 'ended', (noAnswerTimeout + 5) * 1000);
    await waitCallStatus(a.page, 'ended', 5000);
    const took = (Date.now() - rang) / 1000;
    assert.ok(took >= noAnswerTimeout - 1 && took <= noAnswerTimeout + 4, `call ended after ${took}s, want about ${noAnswerTimeout}s`);
    assert.match(await call(a.page).textContent(), /Not answered/);
  });
});
