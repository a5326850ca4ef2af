// Calls between the browser softphone and a SIP user agent that is not a
// browser: Debian's baresip, registered through the same Kamailio over TCP,
// DTLS-SRTP and ICE straight to the browser. Its SDP has no BUNDLE group,
// answers re-INVITEs with a=setup:actpass when it made the first offer, and
// offers telephone-event at 8 kHz only. Both directions, audio both ways,
// DTMF in the media and by SIP INFO, hold and resume from each side,
// hang-up from each side, leaving the page mid-call, and the words a failed
// call shows.
import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { launchChromium, sipDomain, sipMessages, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { startBaresip } from '../lib/baresip.mjs';
import { call, dial, openPhone, shot, signIn, waitCallStatus, waitRegistered } from '../lib/phone.mjs';

/** packets sums the audio RTP packets the page's live peer connections sent and received (getStats). */
async function packets(page) {
  return page.evaluate(async () => {
    let sent = 0;
    let received = 0;
    for (const pc of window.__pcs ?? []) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'outbound-rtp' && s.kind === 'audio') sent += s.packetsSent ?? 0;
        if (s.type === 'inbound-rtp' && s.kind === 'audio') received += s.packetsReceived ?? 0;
      });
    }
    return { sent, received };
  });
}

/** packetsRise waits until both of the page's packet counters rose by more than min. */
async function packetsRise(page, what, min = 20, ms = 10000) {
  const a = await packets(page);
  const until = Date.now() + ms;
  for (;;) {
    const b = await packets(page);
    const d = { sent: b.sent - a.sent, received: b.received - a.received };
    if (d.sent > min && d.received > min) return d;
    if (Date.now() > until) assert.fail(`${what}: audio packets sent +${d.sent}, received +${d.received} in ${ms} ms, want both > ${min}`);
    await page.waitForTimeout(200);
  }
}

/** summary reads baresip's own RTP counters, printed when a call ends, from its log after offset. */
async function summary(peer, offset) {
  const m = await peer.waitLog(/Transmit:\s+Receive:[\s\S]*?packets:\s+(\d+)\s+(\d+)/, { from: offset });
  return { sent: Number(m[1]), received: Number(m[2]) };
}

/** messages lists the SIP messages Kamailio logged, from index from on. */
function messages(kam, from = 0) {
  return sipMessages(kam.logs()).slice(from);
}
/** until polls get until it returns something, for at most ms. */
async function until(get, what, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) assert.fail(`${what}: not seen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * cuttableProxy relays TCP from a free loopback port to port, until cut()
 * closes the listener and every connection: the SBC becomes unreachable.
 */
async function cuttableProxy(port) {
  const sockets = new Set();
  const server = createServer((c) => {
    const up = connect(port, '127.0.0.1');
    for (const s of [c, up]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    c.pipe(up);
    up.pipe(c);
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  return {
    url: `ws://127.0.0.1:${server.address().port}`,
    cut() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

/** logged waits until Kamailio has logged a SIP message (from index from on) that pred accepts, and returns it. */
function logged(kam, from, pred, what) {
  return until(() => messages(kam, from).find(pred), what);
}

const fromBaresip = (m) => /^(Server|User-Agent): baresip/m.test(m);
const sdpOf = (m) => m.slice(m.indexOf('\nv=0') + 1);

const shots = [];

describe('calls with baresip, a SIP phone that is not a browser', () => {
  let kam, rfcSite, infoSite, browser, alice, dave, carol, erin;

  before(async () => {
    // testNumbers: *76NNN is answered by Kamailio with status NNN.
    kam = await startKamailio({ logMessages: true, testNumbers: true });
    const options = (dtmfUseWebRTC) => ({
      defaultServerConfig: { sipDomain, sipServerAddress: [kam.url] },
      storageConfig: { location: 'localStorage' },
      dtmfUseWebRTC,
      dtmfDuration: 120,
      dtmfInterToneGap: 120,
    });
    // dtmfUseWebRTC is a client setting: one server for each way of sending DTMF.
    rfcSite = await startSoftphone({ advancedOptions: options(true) });
    infoSite = await startSoftphone({ advancedOptions: options(false) });
    carol = await startBaresip(kam, 'carol');
    // erin cannot multiplex RTP and RTCP on one port, which browsers require.
    erin = await startBaresip(kam, 'erin', { rtcpMux: false });
    browser = await launchChromium();
    alice = await openPhone(browser, rfcSite.url);
    dave = await openPhone(browser, infoSite.url);
  });

  after(async () => {
    carol?.close();
    erin?.close();
    await browser?.close();
    stopAll();
    if (shots.length) console.log(`# screenshots: ${shots.join(', ')}`);
  });

  it('registers the browser agents and baresip', async () => {
    await carol.registered();
    await erin.registered();
    await signIn(alice.page, 'alice', { displayName: 'Alice Agent' });
    await signIn(dave.page, 'dave', { displayName: 'Dave Agent' });
  });

  it('an outgoing call to baresip connects with audio both ways; the peer does not bundle', async () => {
    const sip = messages(kam).length;
    const events = carol.events().length;
    await dial(alice.page, 'carol');
    await carol.waitEvent('CALL_INCOMING', { from: events });
    const accepted = await carol.command('accept');
    assert.equal(accepted.ok, true, `baresip accept: ${JSON.stringify(accepted)}`);
    await waitCallStatus(alice.page, 'connected');
    await carol.waitEvent('CALL_ESTABLISHED', { from: events });
    await carol.waitEvent('CALL_MENC', { from: events, match: (e) => /audio/.test(e.param ?? '') });
    const d = await packetsRise(alice.page, 'alice calling carol');
    console.log(`# alice -> carol: ${d.sent} packets sent, ${d.received} received in the sample`);
    const offer = await logged(kam, sip, (m) => m.startsWith('INVITE ') && !fromBaresip(m), 'the INVITE');
    const answer = await logged(kam, sip, (m) => m.startsWith('SIP/2.0 200') && fromBaresip(m) && /\nv=0/.test(m), 'baresip\'s 200 OK with SDP');
    assert.match(sdpOf(offer), /^a=group:BUNDLE /m, 'the browser offer should bundle');
    assert.doesNotMatch(sdpOf(answer), /^a=group:BUNDLE/m, 'baresip\'s answer has a BUNDLE group');
    assert.doesNotMatch(sdpOf(answer), /telephone-event\/48000/, 'baresip offers telephone-event at 48 kHz');
    assert.match(sdpOf(answer), /telephone-event\/8000/);
  });

  it('DTMF in the media (RFC 4733) reaches baresip; typed digits show on the keypad too', async () => {
    const events = carol.events().length;
    await alice.page.getByRole('button', { name: 'Keypad' }).click();
    const pad = alice.page.getByRole('group', { name: 'Keypad' });
    for (const k of ['1', '2', '#']) await pad.getByRole('button', { name: k, exact: true }).click();
    // Digits typed outside a text field go to the call too.
    await alice.page.keyboard.press('5');
    await alice.page.keyboard.press('*');
    await alice.page.getByTestId('sent-tones').filter({ hasText: '12#5*' }).waitFor({ timeout: 5000 });
    const until = Date.now() + 15000;
    const digits = () => carol.events().slice(events).filter((e) => e.type === 'CALL_DTMF_START').map((e) => e.param).join('');
    while (digits().length < 5 && Date.now() < until) await alice.page.waitForTimeout(100);
    assert.equal(digits(), '12#5*', 'digits baresip received in the media');
    shots.push('interop-dtmf');
    await shot(alice.page, 'interop-dtmf');
  });

  it('hold and resume from the browser', async () => {
    const sip = messages(kam).length;
    await alice.page.getByRole('button', { name: 'Hold' }).click();
    await alice.page.locator('[data-testid="call"][data-local-hold="true"]').waitFor({ timeout: 10000 });
    await alice.page.getByRole('button', { name: 'Resume' }).click();
    await alice.page.locator('[data-testid="call"][data-local-hold="false"]').waitFor({ timeout: 10000 });
    assert.equal((await call(alice.page).getAttribute('data-status')), 'connected');
    const reinvite = (dir) => (m) => m.startsWith('INVITE ') && !fromBaresip(m) && new RegExp(`^a=${dir}`, 'm').test(sdpOf(m));
    await logged(kam, sip, reinvite('sendonly'), 'the hold re-INVITE (sendonly)');
    await logged(kam, sip, reinvite('sendrecv'), 'the resume re-INVITE (sendrecv)');
    await packetsRise(alice.page, 'after resuming');
  });

  it('hold and resume from baresip', async () => {
    const held = await carol.command('hold');
    assert.equal(held.ok, true, `baresip hold: ${JSON.stringify(held)}`);
    await alice.page.locator('[data-testid="call"][data-remote-hold="true"]').waitFor({ timeout: 10000 });
    assert.match(await call(alice.page).textContent(), /Held by the other side/);
    shots.push('interop-held-by-peer');
    await shot(alice.page, 'interop-held-by-peer');
    const resumed = await carol.command('resume');
    assert.equal(resumed.ok, true, `baresip resume: ${JSON.stringify(resumed)}`);
    await alice.page.locator('[data-testid="call"][data-remote-hold="false"]').waitFor({ timeout: 10000 });
    await packetsRise(alice.page, 'after baresip resumed');
  });

  it('hang-up by baresip ends the call; baresip counted audio both ways', async () => {
    const offset = carol.log().length;
    const events = carol.events().length;
    await carol.command('hangup');
    await waitCallStatus(alice.page, 'ended');
    await carol.waitEvent('CALL_CLOSED', { from: events });
    const s = await summary(carol, offset);
    console.log(`# baresip's counters for the call: ${s.sent} packets sent, ${s.received} received`);
    assert.ok(s.sent > 50 && s.received > 50, `baresip sent ${s.sent} and received ${s.received} RTP packets, want both > 50`);
    await alice.page.locator('[data-testid="call"]').waitFor({ state: 'detached', timeout: 10000 });
  });

  it('an incoming call from baresip rings, is answered, and survives a hold answered with actpass', async () => {
    const sip = messages(kam).length;
    const events = carol.events().length;
    const dialed = await carol.command(`dial sip:alice@${sipDomain}`);
    assert.equal(dialed.ok, true, `baresip dial: ${JSON.stringify(dialed)}`);
    await waitCallStatus(alice.page, 'incoming');
    const invite = await logged(kam, sip, (m) => m.startsWith('INVITE ') && fromBaresip(m), 'baresip\'s INVITE');
    assert.doesNotMatch(sdpOf(invite), /^a=group:BUNDLE/m, 'baresip\'s offer has a BUNDLE group');
    await alice.page.getByRole('button', { name: 'Answer' }).click();
    await waitCallStatus(alice.page, 'connected');
    await carol.waitEvent('CALL_ESTABLISHED', { from: events });
    await packetsRise(alice.page, 'carol calling alice');
    const before = messages(kam).length;
    await alice.page.getByRole('button', { name: 'Hold' }).click();
    await alice.page.locator('[data-testid="call"][data-local-hold="true"]').waitFor({ timeout: 10000 });
    // Kamailio's log of the answer may trail the browser's view of it.
    const answer = await logged(kam, before, (m) => m.startsWith('SIP/2.0 200') && fromBaresip(m) && /\nv=0/.test(m), 'baresip\'s answer to the hold');
    assert.match(sdpOf(answer), /^a=setup:actpass/m, 'baresip answered the hold without actpass: the rule was not exercised');
    await alice.page.getByRole('button', { name: 'Resume' }).click();
    await alice.page.locator('[data-testid="call"][data-local-hold="false"]').waitFor({ timeout: 10000 });
    assert.equal(await call(alice.page).getAttribute('data-status'), 'connected');
    await packetsRise(alice.page, 'after resuming the incoming call');
  });

  it('hang-up by the browser ends the call at baresip', async () => {
    const events = carol.events().length;
    await alice.page.getByRole('button', { name: 'Hang up' }).click();
    await carol.waitEvent('CALL_CLOSED', { from: events });
    await waitCallStatus(alice.page, 'ended');
    await alice.page.locator('[data-testid="call"]').waitFor({ state: 'detached', timeout: 10000 });
  });

  it('DTMF by SIP INFO (dtmfUseWebRTC false) reaches baresip', async () => {
    const events = carol.events().length;
    await dial(dave.page, 'carol');
    await carol.waitEvent('CALL_INCOMING', { from: events });
    await carol.command('accept');
    await waitCallStatus(dave.page, 'connected');
    await packetsRise(dave.page, 'dave calling carol');
    const sip = messages(kam).length;
    await dave.page.getByRole('button', { name: 'Keypad' }).click();
    const pad = dave.page.getByRole('group', { name: 'Keypad' });
    for (const k of ['4', '0', '9']) await pad.getByRole('button', { name: k, exact: true }).click();
    await carol.waitEvent('CALL_DTMF_START', { from: events, match: (e) => e.param === '9' });
    const digits = carol.events().slice(events).filter((e) => e.type === 'CALL_DTMF_START').map((e) => e.param).join('');
    assert.equal(digits, '409');
    const infos = await until(() => {
      const l = messages(kam, sip).filter((m) => m.startsWith('INFO '));
      return l.length >= 3 && l;
    }, 'three SIP INFO requests');
    assert.deepEqual(infos.map((m) => /Signal=\s*(\S)/.exec(m)?.[1]), ['4', '0', '9'], 'SIP INFO requests with the digits');
    await dave.page.getByRole('button', { name: 'Hang up' }).click();
    await carol.waitEvent('CALL_CLOSED', { from: events });
  });

  it('leaving the page mid-call asks first, then ends the call with BYE (restoreCall off)', async () => {
    const events = carol.events().length;
    await dial(alice.page, 'carol');
    await carol.waitEvent('CALL_INCOMING', { from: events });
    await carol.command('accept');
    await waitCallStatus(alice.page, 'connected');
    const sip = messages(kam).length;
    const dialogs = [];
    const onDialog = (d) => {
      dialogs.push(d.type());
      void d.accept();
    };
    alice.page.on('dialog', onDialog);
    try {
      await alice.page.reload();
      await carol.waitEvent('CALL_CLOSED', { from: events });
    } finally {
      alice.page.off('dialog', onDialog);
    }
    assert.deepEqual(dialogs, ['beforeunload'], 'dialogs shown on leaving');
    await logged(kam, sip, (m) => m.startsWith('BYE ') && !fromBaresip(m), 'the browser\'s BYE');
    // The reloaded page signs in again from storage, with no call.
    await waitRegistered(alice.page);
    assert.equal(await alice.page.locator('[data-testid="call"]').count(), 0);
  });

  it('between two browsers the media is still bundled', async () => {
    const sip = messages(kam).length;
    await dial(alice.page, 'dave');
    await waitCallStatus(dave.page, 'incoming');
    await dave.page.getByRole('button', { name: 'Answer' }).click();
    await waitCallStatus(alice.page, 'connected');
    const answer = await logged(kam, sip, (m) => m.startsWith('SIP/2.0 200') && /^CSeq: \d+ INVITE/m.test(m) && /\nv=0/.test(m), "dave's 200 OK with SDP");
    assert.match(sdpOf(answer), /^a=group:BUNDLE /m, "dave's answer does not bundle");
    await packetsRise(alice.page, 'alice calling dave');
    await dave.page.getByRole('button', { name: 'Hang up' }).click();
    await waitCallStatus(alice.page, 'ended');
    await alice.page.locator('[data-testid="call"]').waitFor({ state: 'detached', timeout: 10000 });
  });

  describe('a failed call says why', () => {
    it('not found', async () => {
      await dial(alice.page, 'nobody');
      await waitCallStatus(alice.page, 'ended');
      assert.match(await call(alice.page).textContent(), /Number not found/);
      shots.push('interop-failed-not-found');
      await shot(alice.page, 'interop-failed-not-found');
      await alice.page.locator('[data-testid="call"]').waitFor({ state: 'detached', timeout: 10000 });
    });

    for (const [code, name, words] of [
      ['603', 'declined', /Declined by the other side/],
      ['480', 'unavailable', /The other side is not available/],
      ['484', 'incomplete', /The number is incomplete/],
      ['500', 'server-error', /Server error on the way to the other side/],
    ]) {
      it(`${name}: the SBC answers ${code}`, async () => {
        await dial(alice.page, `*76${code}`);
        await waitCallStatus(alice.page, 'ended');
        assert.match(await call(alice.page).textContent(), words);
        shots.push(`interop-failed-${name}`);
        await shot(alice.page, `interop-failed-${name}`);
        await alice.page.locator('[data-testid="call"]').waitFor({ state: 'detached', timeout: 10000 });
      });
    }

    it('busy: baresip refuses the call', async () => {
      const events = carol.events().length;
      await dial(alice.page, 'carol');
      await carol.waitEvent('CALL_INCOMING', { from: events });
      await carol.command('hangup');
      await waitCallStatus(alice.page, 'ended');
      // baresip refuses with 486 Busy Here.
      assert.match(await call(alice.page).textContent(), /Busy: the other side is on another call/);
      shots.push('interop-failed-busy');
      await shot(alice.page, 'interop-failed-busy');
      await alice.page.locator('[data-testid="call"]').waitFor({ state: 'detached', timeout: 10000 });
    });

    it('SBC unreachable: the connection to the SBC is lost while the call rings', async () => {
      const proxy = await cuttableProxy(kam.port);
      const site = await startSoftphone({
        advancedOptions: {
          defaultServerConfig: { sipDomain, sipServerAddress: [proxy.url] },
          storageConfig: { location: 'localStorage' },
          reconnectIntervalMin: 30,
          reconnectIntervalMax: 60,
        },
      });
      const frank = await openPhone(browser, site.url);
      try {
        await signIn(frank.page, 'frank');
        const events = carol.events().length;
        await dial(frank.page, 'carol');
        await carol.waitEvent('CALL_INCOMING', { from: events });
        await waitCallStatus(frank.page, 'ringing');
        proxy.cut();
        await waitCallStatus(frank.page, 'ended');
        assert.match(await call(frank.page).textContent(), /The SBC cannot be reached/);
        shots.push('interop-failed-sbc-unreachable');
        await shot(frank.page, 'interop-failed-sbc-unreachable');
        await carol.command('hangup');
        await carol.waitEvent('CALL_CLOSED', { from: events });
      } finally {
        proxy.cut();
        await frank.context.close();
      }
    });

    it('media refused: a peer without rtcp-mux', async () => {
      const events = erin.events().length;
      await dial(alice.page, 'erin');
      await erin.waitEvent('CALL_INCOMING', { from: events });
      await erin.command('accept');
      await waitCallStatus(alice.page, 'ended');
      assert.match(await call(alice.page).textContent(), /Media refused/);
      shots.push('interop-failed-media-refused');
      await shot(alice.page, 'interop-failed-media-refused');
      await erin.waitEvent('CALL_CLOSED', { from: events });
      await alice.page.locator('[data-testid="call"]').waitFor({ state: 'detached', timeout: 10000 });
    });

    it('media refused: answering a peer without rtcp-mux', async () => {
      const events = erin.events().length;
      const dialed = await erin.command(`dial sip:alice@${sipDomain}`);
      assert.equal(dialed.ok, true, `baresip dial: ${JSON.stringify(dialed)}`);
      await waitCallStatus(alice.page, 'incoming');
      await alice.page.getByRole('button', { name: 'Answer' }).click();
      await waitCallStatus(alice.page, 'ended');
      assert.match(await call(alice.page).textContent(), /Media refused/);
      shots.push('interop-failed-media-refused-incoming');
      await shot(alice.page, 'interop-failed-media-refused-incoming');
      await erin.waitEvent('CALL_CLOSED', { from: events });
    });
  });
});
