// Calls that outlive a page reload (restoreCall: an INVITE with Replaces,
// RFC 3891), consult transfer (REFER with Replaces) and a three-way
// conference mixed in the agent's browser, among three Chromium contexts
// registered to one Kamailio. Audio is checked from each page's getStats().
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchChromium, sipDomain, sipMessages, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { call, dial, openPhone, shot, signIn, waitCallStatus, waitRegistered } from '../lib/phone.mjs';

/** audioIn lists, per live peer connection, the audio packets received and the energy heard. */
function audioIn(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const pc of window.__pcs ?? []) {
      if (pc.connectionState === 'closed') continue;
      let packets = 0;
      let energy = 0;
      let sent = 0;
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          packets += s.packetsReceived ?? 0;
          energy += s.totalAudioEnergy ?? 0;
        }
        if (s.type === 'outbound-rtp' && s.kind === 'audio') sent += s.packetsSent ?? 0;
      });
      out.push({ packets, energy, sent });
    }
    return out;
  });
}

/**
 * receives waits until every one of the page's `want` live peer connections
 * received more than `more` audio packets (and sent some) beyond what they
 * had when called; it returns the rises.
 */
async function receives(page, name, want, more = 20, timeout = 15000) {
  const until = Date.now() + timeout;
  const first = await audioIn(page);
  let last = first;
  while (Date.now() < until) {
    last = await audioIn(page);
    if (last.length === want && first.length === want
      && last.every((s, i) => s.packets - first[i].packets > more && s.sent > first[i].sent)) {
      return last.map((s, i) => ({ packets: s.packets - first[i].packets, energy: s.energy - first[i].energy }));
    }
    await page.waitForTimeout(250);
  }
  assert.fail(`${name}: want ${want} live peer connections receiving audio packets; before ${JSON.stringify(first)}, after ${JSON.stringify(last)}`);
}

/** seconds reads the running call timer (m:ss or h:mm:ss) of the page's call card. */
async function seconds(page) {
  const text = (await call(page).locator('.call-time').textContent()).trim();
  return text.split(':').map(Number).reduce((acc, n) => acc * 60 + n, 0);
}

/** connect makes B call A and A answer, then A call C (holding B) and C answer. */
async function threeParties(a, b, c) {
  await dial(b.page, 'alice');
  await waitCallStatus(a.page, 'incoming');
  await a.page.getByRole('button', { name: 'Answer' }).click();
  await waitCallStatus(b.page, 'connected');
  await a.page.getByRole('button', { name: 'New call' }).click();
  await dial(a.page, 'carl');
  await waitCallStatus(c.page, 'incoming');
  await c.page.getByRole('button', { name: 'Answer' }).click();
  await waitCallStatus(c.page, 'connected');
  await a.page.locator('[data-testid="call"][data-status="connected"]', { hasText: 'carl' }).waitFor();
  await b.page.locator('[data-testid="call"][data-remote-hold="true"]').waitFor({ timeout: 10000 });
}

/** noLiveCalls waits until the page shows no call that is not ended. */
async function noLiveCalls(page) {
  await page.locator('[data-testid="call"]:not([data-status="ended"])').first().waitFor({ state: 'detached', timeout: 15000 });
}

/**
 * slowMicrophone makes the page's next getUserMedia wait until the test calls
 * window.__openMic() (a slow device); window.__micAsked tells that the page
 * started answering.
 */
async function slowMicrophone(page) {
  await page.evaluate(() => {
    window.__micAsked = false;
    const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    const gate = new Promise((open) => { window.__openMic = open; });
    navigator.mediaDevices.getUserMedia = async (c) => {
      navigator.mediaDevices.getUserMedia = gum;
      window.__micAsked = true;
      await gate;
      return gum(c);
    };
  });
}

const ringing = (page) => page.evaluate(() => window.__played.filter((p) => p.endsWith('/sounds/ringing.wav')).length);

describe('restore, consult transfer and conference', () => {
  let kam, site, browser, a, b, c;

  before(async () => {
    kam = await startKamailio({ logMessages: true });
    site = await startSoftphone({
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url], prioritize: true },
        storageConfig: { location: 'sessionStorage' },
        restoreCall: true,
        restoreCallMaxDelay: 20,
        reconnectIntervalMin: 1,
        reconnectIntervalMax: 2,
      },
    });
    browser = await launchChromium();
    a = await openPhone(browser, site.url);
    b = await openPhone(browser, site.url);
    c = await openPhone(browser, site.url);
    await signIn(a.page, 'alice', { displayName: 'Alice Agent' });
    await signIn(b.page, 'bob', { displayName: 'Bob Customer' });
    await signIn(c.page, 'carl', { displayName: 'Carl Expert' });
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('a reload mid-call brings the same call back, audio and timer going on', async () => {
    await dial(a.page, 'bob');
    await waitCallStatus(b.page, 'incoming');
    await b.page.getByRole('button', { name: 'Answer' }).click();
    await waitCallStatus(a.page, 'connected');
    await waitCallStatus(b.page, 'connected');
    await receives(a.page, 'A before the reload', 1);
    const cardId = await call(b.page).getAttribute('data-call-id');
    const party = await call(a.page).locator('.call-who').textContent();
    const rings = await ringing(b.page);
    // Let the timer run, so that a timer started afresh would show less.
    await b.page.waitForFunction(() => /^0:0[4-9]|^0:[1-5]/.test(document.querySelector('.call-time')?.textContent ?? ''), null, { timeout: 15000 });
    const before = await seconds(b.page);
    // B's microphone answers late, so that the restoring state can be seen.
    await slowMicrophone(b.page);

    await a.page.reload();
    await waitRegistered(a.page);
    const restoring = a.page.locator('[data-testid="call"]', { hasText: 'Restoring the call' });
    await restoring.waitFor({ timeout: 20000 });
    await b.page.waitForFunction(() => window.__micAsked);
    await shot(a.page, 'restore-restoring');
    // B's stack said 180 Ringing; a rejoining call plays no ring-back.
    await a.page.locator('[data-testid="call"][data-status="ringing"]').waitFor({ timeout: 10000 });
    assert.deepEqual(await a.page.evaluate(() => window.__played.filter((p) => p.endsWith('/sounds/ringback.wav'))), []);
    await b.page.evaluate(() => window.__openMic());
    await waitCallStatus(a.page, 'connected', 20000);
    await shot(a.page, 'restore-agent-after-reload');
    await shot(b.page, 'restore-far-party-after-reload');

    // The agent's card shows the same party and the timer from the original start.
    assert.equal(await call(a.page).locator('.call-who').textContent(), party);
    assert.ok(await seconds(a.page) >= before, `A's timer shows ${await seconds(a.page)} s after the reload, want >= ${before} s`);
    // The far party: one call, the same card (id, party, timer), never rang again.
    await b.page.locator('[data-testid="call"]').nth(1).waitFor({ state: 'detached' });
    assert.equal(await call(b.page).getAttribute('data-call-id'), cardId, "B's call card is not the same one");
    assert.equal(await call(b.page).getAttribute('data-status'), 'connected');
    assert.match(await call(b.page).locator('.call-name').textContent(), /Alice Agent/);
    assert.ok(await seconds(b.page) >= before, `B's timer went back to ${await seconds(b.page)} s, want >= ${before} s`);
    assert.equal(await ringing(b.page), rings, 'B rang for the rejoining call');
    // The rejoin was an INVITE naming the old dialog in Replaces (RFC 3891).
    const invites = sipMessages(kam.logs()).filter((m) => /^INVITE /.test(m) && /^Proxy-Authorization: /m.test(m));
    const callId = (m) => /^Call-ID: (.+)$/m.exec(m)?.[1].trim();
    const rejoin = invites.filter((m) => /^Replaces: /m.test(m));
    assert.equal(rejoin.length, 1, 'INVITEs with Replaces seen by Kamailio');
    assert.match(rejoin[0], /^Require: replaces\r?$/m, 'a peer without Replaces must refuse (420), not ring');
    assert.match(rejoin[0], /^INVITE sip:[^ ]*;alias=/, 'the rejoin goes to the remote target (Contact)');
    assert.match(rejoin[0], /^From: "Alice Agent" <sip:alice@example\.test>/m);
    assert.equal(/^Replaces: ([^;\r\n]+)/m.exec(rejoin[0])[1].trim(), callId(invites[0]), 'Replaces names the first call');
    // Audio flows again both ways, on the new peer connections.
    await receives(a.page, 'A after the reload', 1);
    await receives(b.page, 'B after the reload', 1);

    await b.page.getByRole('button', { name: 'Hang up' }).click();
    await waitCallStatus(a.page, 'ended');
    await a.page.locator('[data-testid="call"]').waitFor({ state: 'detached', timeout: 10000 });
    await b.page.locator('[data-testid="call"]').waitFor({ state: 'detached', timeout: 10000 });
  });

  it('hanging up while the call is being restored ends it on both sides', async () => {
    await dial(a.page, 'bob');
    await waitCallStatus(b.page, 'incoming');
    await b.page.getByRole('button', { name: 'Answer' }).click();
    await waitCallStatus(a.page, 'connected');
    await slowMicrophone(b.page);
    await a.page.reload();
    await a.page.locator('[data-testid="call"]', { hasText: 'Restoring the call' }).waitFor({ timeout: 20000 });
    await b.page.waitForFunction(() => window.__micAsked);
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    // B's old call, whose other end was the page before the reload, ends with the new one.
    await noLiveCalls(b.page);
    await b.page.evaluate(() => window.__openMic());
    await noLiveCalls(a.page);
  });

  it('a reload with two calls brings both back, the held one still held', async () => {
    await threeParties(a, b, c);
    await a.page.reload();
    await waitRegistered(a.page);
    await a.page.locator('[data-testid="call"][data-status="connected"][data-local-hold="false"]', { hasText: 'carl' }).waitFor({ timeout: 20000 });
    await a.page.getByRole('button', { name: /^Show all calls/ }).click();
    await a.page.locator('[data-testid="call"][data-status="connected"][data-local-hold="true"]', { hasText: 'Bob Customer' })
      .waitFor({ timeout: 20000 });
    await shot(a.page, 'restore-two-calls');
    // B is held again on the new dialog; A and C talk.
    await b.page.locator('[data-testid="call"][data-status="connected"][data-remote-hold="true"]').waitFor({ timeout: 10000 });
    assert.equal(await b.page.locator('[data-testid="call"]:not([data-status="ended"])').count(), 1);
    assert.equal(await c.page.locator('[data-testid="call"]:not([data-status="ended"])').count(), 1);
    await receives(c.page, 'C after the reload', 1);
    await a.page.getByRole('button', { name: 'Show current call only' }).click();
    await b.page.getByRole('button', { name: 'Hang up' }).click();
    await c.page.getByRole('button', { name: 'Hang up' }).click();
    await noLiveCalls(a.page);
  });

  it('a call the far party ended while the page was away is not restored, and the agent is told', async () => {
    await dial(a.page, 'bob');
    await waitCallStatus(b.page, 'incoming');
    await b.page.getByRole('button', { name: 'Answer' }).click();
    await waitCallStatus(a.page, 'connected');
    await a.page.goto('about:blank');
    await b.page.getByRole('button', { name: 'Hang up' }).click();
    await noLiveCalls(b.page);
    await a.page.goto(site.url);
    // B no longer has the dialog: its answer to the INVITE with Replaces is 481.
    const failed = a.page.locator('[data-testid="call"]', { hasText: 'The call could not be restored' });
    await failed.waitFor({ timeout: 20000 });
    await shot(a.page, 'restore-failed');
    assert.equal(await failed.getAttribute('data-status'), 'ended');
    const invites = sipMessages(kam.logs()).filter((m) => /^INVITE /.test(m) && /^Replaces: /m.test(m));
    assert.ok(invites.length >= 1, 'no INVITE with Replaces was sent');
    assert.ok(sipMessages(kam.logs()).some((m) => /^SIP\/2\.0 481 /.test(m)), 'no 481 answer was relayed');
    await noLiveCalls(a.page);
  });

  it('consult transfer: A talks to C, then hands B over to C', async () => {
    await threeParties(a, b, c);
    // Blind and consult transfer are two buttons with their own names.
    await a.page.getByRole('button', { name: 'Transfer to...', exact: true }).waitFor();
    await a.page.getByRole('button', { name: 'Complete transfer', exact: true }).waitFor();
    await shot(a.page, 'consult-transfer-two-calls');
    await a.page.getByRole('button', { name: 'Complete transfer' }).click();

    // B follows the REFER: a new call to C replaces the one with A.
    await b.page.locator('[data-testid="call"][data-status="connected"]', { hasText: 'carl' }).waitFor({ timeout: 15000 });
    // C's call with A is taken over by B's INVITE with Replaces, answered without ringing.
    await c.page.locator('[data-testid="call"][data-status="connected"]', { hasText: 'Bob Customer' }).waitFor({ timeout: 15000 });
    await noLiveCalls(a.page);
    await shot(a.page, 'consult-transfer-agent-done');
    await shot(b.page, 'consult-transfer-transferee');
    await shot(c.page, 'consult-transfer-target');
    assert.equal(await c.page.locator('[data-testid="call"]:not([data-status="ended"])').count(), 1);
    // B and C hear each other; A has no live peer connection left.
    await receives(b.page, 'B after the transfer', 1);
    await receives(c.page, 'C after the transfer', 1);
    assert.deepEqual(await audioIn(a.page), [], "A's peer connections after the transfer");

    await c.page.getByRole('button', { name: 'Hang up' }).click();
    await noLiveCalls(b.page);
    await noLiveCalls(c.page);
  });

  it('three-way conference: B and C hear each other through A', async () => {
    await threeParties(a, b, c);
    // A mutes the call with C: before the conference C hears silence from A.
    await a.page.getByRole('button', { name: 'Mute' }).click();
    await a.page.getByRole('button', { name: 'Unmute' }).waitFor();
    // (What was on its way and in C's jitter buffer when A muted plays out first.)
    await receives(c.page, 'C, muted by A', 1, 50);
    const [silent] = await receives(c.page, 'C, muted by A', 1, 100);
    assert.ok(silent.energy < 1e-4, `C heard energy ${silent.energy} from a muted A, want about 0`);

    await a.page.getByRole('button', { name: 'Conference' }).click();
    await a.page.getByRole('button', { name: 'End conference' }).waitFor();
    await b.page.locator('[data-testid="call"][data-remote-hold="false"]').waitFor({ timeout: 10000 });
    await shot(a.page, 'conference-agent');
    // Everybody receives audio: A from both, B and C from A.
    const fromBoth = await receives(a.page, 'A in the conference', 2);
    assert.equal(fromBoth.length, 2);
    await receives(b.page, 'B in the conference', 1);
    // A's microphone is still muted: what C hears now is B, mixed in by A.
    const until = Date.now() + 15000;
    let heard = 0;
    while (Date.now() < until && heard <= 1e-3) {
      [{ energy: heard }] = await receives(c.page, 'C in the conference', 1, 50);
    }
    console.log('# energy: muted', silent.energy, 'conference', heard);
    assert.ok(heard > 1e-3, `C heard energy ${heard} in the conference, want B's audio (> 0.001)`);

    await a.page.getByRole('button', { name: 'End conference' }).click();
    await a.page.getByRole('button', { name: 'Conference' }).waitFor();
    await b.page.getByRole('button', { name: 'Hang up' }).click();
    await c.page.getByRole('button', { name: 'Hang up' }).click();
    await noLiveCalls(a.page);
  });
});
