// Client options that add features: the call quality score
// (voiceQualityMonitorEnabled, restoreCallQualityMaxDelay) between two
// browsers whose media is forced through a UDP relay run by this test, so
// that packet loss can be injected on a path no other test uses; and screen
// sharing (isScreenSharingEnabled, isCrossScreenSharingAllowed) with
// Chromium's fake capture: with --use-fake-ui-for-media-stream and
// --use-fake-device-for-media-stream, headless Chromium answers
// getDisplayMedia without a picker with its animated test picture; the
// viewer must show the picture the sharer previews.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { launchChromium, sipDomain, sipMessages, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { dial, openPhone, signIn, videoFrames, waitCallStatus, waitRegistered, shot } from '../lib/phone.mjs';

/**
 * Relay is a UDP relay on loopback. relayFor(ip, port) gives a relay port
 * standing for the candidate ip:port: what a browser sends there goes to
 * the candidate from a socket of its own per sender (a port-restricted NAT),
 * and replies come back through the relay port. RTP and RTCP packets (first
 * byte 128..191, RFC 7983) are dropped with probability loss; STUN and DTLS
 * always pass, so the call stays up.
 */
class Relay {
  loss = 0;
  forwarded = 0;
  dropped = 0;
  #ports = new Map();
  #sockets = [];

  async #socket(onMessage) {
    const s = dgram.createSocket('udp4');
    s.on('message', onMessage);
    await new Promise((res, rej) => {
      s.once('error', rej);
      s.bind(0, '127.0.0.1', res);
    });
    this.#sockets.push(s);
    return s;
  }

  #pass(msg) {
    if (msg[0] >= 128 && msg[0] <= 191 && Math.random() < this.loss) {
      this.dropped++;
      return false;
    }
    this.forwarded++;
    return true;
  }

  /** How many remote candidates were replaced by relay ports. */
  get candidates() {
    return this.#ports.size;
  }

  async relayFor(ip, port) {
    const key = `${ip}:${port}`;
    if (!this.#ports.has(key)) {
      this.#ports.set(key, (async () => {
        const outs = new Map();
        const front = await this.#socket(async (msg, from) => {
          const sender = `${from.address}:${from.port}`;
          if (!outs.has(sender)) {
            outs.set(sender, this.#socket((reply, r) => {
              if (r.address === ip && r.port === port && this.#pass(reply)) front.send(reply, from.port, from.address);
            }));
          }
          const out = await outs.get(sender);
          if (this.#pass(msg)) out.send(msg, port, ip);
        });
        return front.address().port;
      })());
    }
    return this.#ports.get(key);
  }

  close() {
    for (const s of this.#sockets) s.close();
  }
}

// Runs in the page: every remote description's UDP IPv4 candidates are
// replaced by the relay's ports (others are dropped), so no direct path exists.
const throughRelay = () => {
  const setRemote = RTCPeerConnection.prototype.setRemoteDescription;
  RTCPeerConnection.prototype.setRemoteDescription = async function (desc, ...rest) {
    if (desc?.sdp) {
      const out = [];
      for (const line of desc.sdp.split('\r\n')) {
        if (!line.startsWith('a=candidate:')) {
          out.push(line);
          continue;
        }
        const m = /^a=candidate:(\S+) (\d+) udp (\d+) (\d+\.\d+\.\d+\.\d+) (\d+) typ /i.exec(line);
        if (!m) continue;
        const port = await window.__relayFor(m[4], Number(m[5]));
        out.push(`a=candidate:${m[1]} ${m[2]} udp ${m[3]} 127.0.0.1 ${port} typ host`);
      }
      desc = { type: desc.type, sdp: out.join('\r\n') };
    }
    return setRemote.call(this, desc, ...rest);
  };
};

/** mos is the score the call card shows (null when none). */
const mos = async (page) => {
  const badge = page.getByTestId('call-quality');
  return (await badge.count()) ? Number(await badge.getAttribute('data-mos')) : null;
};

/** waitMos waits until the shown score passes test, and returns it. */
const waitMos = async (page, test, what, timeout = 30000) => {
  const seen = [];
  for (const end = Date.now() + timeout; Date.now() < end;) {
    const m = await mos(page);
    if (m !== null && seen[seen.length - 1] !== m) seen.push(m);
    if (m !== null && test(m)) return m;
    await page.waitForTimeout(250);
  }
  throw new Error(`quality score never ${what} in ${timeout} ms; scores shown: ${seen.join(', ') || 'none'}`);
};

describe('call quality score', () => {
  let kam, site, browser, a, b;
  const relay = new Relay();

  before(async () => {
    kam = await startKamailio();
    site = await startSoftphone({
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url] },
        storageConfig: { location: 'localStorage' },
        voiceQualityMonitorEnabled: true,
        restoreCallQualityMaxDelay: 600,
      },
    });
    browser = await launchChromium();
    a = await openPhone(browser, site.url);
    b = await openPhone(browser, site.url, { viewport: { width: 1280, height: 800 } });
    for (const p of [a.page, b.page]) {
      await p.exposeFunction('__relayFor', (ip, port) => relay.relayFor(ip, port));
      await p.addInitScript(throughRelay);
      await p.reload();
    }
    await signIn(a.page, 'quinn', { displayName: 'Quinn Quality' });
    await signIn(b.page, 'rita', { displayName: 'Rita Relay' });
  });

  after(async () => {
    await browser?.close();
    relay.close();
    stopAll();
  });

  it('shows a score during the call, which falls with packet loss and recovers without', async () => {
    await dial(a.page, 'rita');
    await waitCallStatus(b.page, 'incoming');
    await b.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await waitCallStatus(a.page, 'connected');
    await waitCallStatus(b.page, 'connected');

    assert.ok(relay.candidates > 0, 'no UDP IPv4 candidate reached the relay: the browsers offered none (mDNS or IPv6 only?)');
    const clean = await waitMos(b.page, (m) => m >= 4, 'reached 4.0 on a clean path');
    assert.ok(relay.forwarded > 100, `the relay forwarded ${relay.forwarded} packets: the media does not go through it`);
    await waitMos(a.page, (m) => m >= 4, 'reached 4.0 on the caller side');
    await shot(b.page, '60-quality-good-wide');

    relay.loss = 0.3;
    const lossy = await waitMos(b.page, (m) => m < 3, 'fell below 3.0 with 30 % loss');
    await waitMos(a.page, (m) => m < 3, 'fell below 3.0 on the caller side with 30 % loss');
    assert.ok(relay.dropped > 20, `the relay dropped ${relay.dropped} packets`);
    assert.equal(await b.page.getByTestId('call-quality').getAttribute('data-level'), 'poor');
    await shot(b.page, '61-quality-poor-wide');
    console.log(`# call quality: ${clean} on a clean path, ${lossy} with 30 % loss (${relay.dropped} RTP packets dropped)`);

    relay.loss = 0;
    await waitMos(b.page, (m) => m >= 4, 'came back to 4.0 once the loss stopped');
  });

  it('keeps the last score in the history and across a reload', async () => {
    const last = await mos(b.page);
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    for (const p of [a.page, b.page]) await p.locator('[data-testid="call"]').first().waitFor({ state: 'detached', timeout: 15000 });

    await b.page.getByRole('button', { name: 'Call history' }).click();
    const entry = b.page.getByTestId('history-entry').first();
    await entry.waitFor();
    const text = await entry.textContent();
    const m = /quality (\d\.\d)/.exec(text);
    assert.ok(m, `the history entry shows no quality: ${text}`);
    assert.ok(Math.abs(Number(m[1]) - last) <= 0.3, `history quality ${m[1]}, last shown ${last}`);
    await shot(b.page, '62-quality-history-wide');
    await b.page.getByRole('button', { name: 'Close' }).click();

    await b.page.reload();
    await waitRegistered(b.page);
    const restored = b.page.getByTestId('last-quality');
    await restored.waitFor({ timeout: 10000 });
    assert.equal(await restored.getAttribute('data-mos'), m[1], 'the score restored after the reload is not the last one');
    await shot(b.page, '63-quality-restored-wide');
  });
});

/** grab draws a video element (by data-testid) at 32x24 in grey levels, with its size. */
const grab = (page, testid) => page.evaluate(async (id) => {
  const v = document.querySelector(`video[data-testid="${id}"]`);
  for (let i = 0; i < 100 && !(v?.videoWidth > 0); i++) await new Promise((r) => setTimeout(r, 100));
  const c = document.createElement('canvas');
  c.width = 32;
  c.height = 24;
  const g = c.getContext('2d', { willReadFrequently: true });
  g.drawImage(v, 0, 0, 32, 24);
  const d = g.getImageData(0, 0, 32, 24).data;
  const grey = [];
  for (let i = 0; i < d.length; i += 4) grey.push((d[i] + d[i + 1] + d[i + 2]) / 3);
  return { width: v.videoWidth, height: v.videoHeight, grey };
}, testid);

/**
 * assertScreen checks that the viewer shows the sharer's screen: the same
 * picture as the sharer's preview of its capture, not flat, with video
 * frames decoded, and not as camera video.
 */
const assertScreen = async (name, viewer, sharer) => {
  let shown, source, diff, spread;
  // The first frames may still be dark or stale: a few tries.
  for (let i = 0; i < 10; i++) {
    [shown, source] = [await grab(viewer, 'remote-screen'), await grab(sharer, 'local-screen')];
    diff = shown.grey.reduce((sum, v, k) => sum + Math.abs(v - source.grey[k]), 0) / shown.grey.length;
    const mean = source.grey.reduce((a, v) => a + v, 0) / source.grey.length;
    spread = Math.sqrt(source.grey.reduce((a, v) => a + (v - mean) ** 2, 0) / source.grey.length);
    if (diff < 12 && spread > 10) break;
    await viewer.waitForTimeout(500);
  }
  assert.ok(spread > 10, `${name}: the shared source is a flat picture (spread ${spread.toFixed(1)}), nothing to compare`);
  assert.ok(diff < 12, `${name}: the remote screen (${shown.width}x${shown.height}) differs from the shared source (${source.width}x${source.height}) by ${diff.toFixed(1)} grey levels per pixel`);
  assert.ok(Math.abs(shown.width / shown.height - source.width / source.height) < 0.05, `${name}: remote screen ${shown.width}x${shown.height}, source ${source.width}x${source.height}`);
  let decoded = 0;
  const f0 = await videoFrames(viewer);
  for (let i = 0; i < 20 && decoded <= 5; i++) {
    await viewer.waitForTimeout(250);
    decoded = (await videoFrames(viewer)) - f0;
  }
  assert.ok(decoded > 5, `${name}: ${decoded} video frames decoded in 5 s`);
  assert.equal(await viewer.getByTestId('remote-video').count(), 0, `${name}: the shared screen is shown as camera video`);
  return diff;
};

const screenShown = (page, state = 'visible') => page.getByTestId('remote-screen').waitFor({ state, timeout: 30000 });

describe('screen sharing', () => {
  let kam, browser, a, b, c, d;

  const connect = async (from, to, user) => {
    await dial(from.page, user);
    await waitCallStatus(to.page, 'incoming');
    await to.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await waitCallStatus(from.page, 'connected');
    await waitCallStatus(to.page, 'connected');
  };
  const hangUp = async (x, y) => {
    await x.page.getByRole('button', { name: 'Hang up' }).click();
    for (const p of [x.page, y.page]) await p.locator('[data-testid="call"]').first().waitFor({ state: 'detached', timeout: 15000 });
  };

  before(async () => {
    kam = await startKamailio({ logMessages: true });
    const server = { sipDomain, sipServerAddress: [kam.url] };
    const strict = await startSoftphone({ advancedOptions: { defaultServerConfig: server, isScreenSharingEnabled: true } });
    const cross = await startSoftphone({ advancedOptions: { defaultServerConfig: server, isScreenSharingEnabled: true, isCrossScreenSharingAllowed: true } });
    browser = await launchChromium();
    a = await openPhone(browser, strict.url);
    b = await openPhone(browser, strict.url, { viewport: { width: 1280, height: 800 } });
    c = await openPhone(browser, cross.url, { viewport: { width: 1280, height: 800 } });
    d = await openPhone(browser, cross.url, { viewport: { width: 1280, height: 800 } });
    await signIn(a.page, 'sam', { displayName: 'Sam Sharer' });
    await signIn(b.page, 'tess', { displayName: 'Tess Viewer' });
    await signIn(c.page, 'uma', { displayName: 'Uma Cross' });
    await signIn(d.page, 'vic', { displayName: 'Vic Cross' });
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('shares a screen by re-INVITE, the far side sees it, stopping ends it', async () => {
    await connect(a, b, 'tess');
    const before = sipMessages(kam.logs()).length;
    await a.page.getByRole('button', { name: 'Share screen' }).click();
    await screenShown(b.page);
    const diff = await assertScreen('viewer', b.page, a.page);
    console.log(`# screen sharing: the viewer's picture differs from the shared source by ${diff.toFixed(1)} grey levels per pixel`);
    await a.page.getByTestId('local-screen').waitFor();
    const reinvite = sipMessages(kam.logs()).slice(before).find((m) => m.startsWith('INVITE ') && /^a=content:slides\r?$/m.test(m));
    assert.ok(reinvite, 'no re-INVITE offering a=content:slides video');
    assert.match(reinvite.split(/^a=content:slides/m)[0].split(/^m=/m).pop(), /^video [1-9]\d* /, 'a=content:slides is not on an active video section');
    // The far side shares: without isCrossScreenSharingAllowed, no sharing back.
    assert.equal(await b.page.getByRole('button', { name: 'Share screen' }).isDisabled(), true, 'the viewer may share back although cross sharing is not allowed');
    await shot(b.page, '65-screen-shared-wide');
    await shot(a.page, '66-screen-sharing-narrow');

    await a.page.getByRole('button', { name: 'Stop sharing' }).click();
    await screenShown(b.page, 'detached');
    assert.equal(await a.page.getByTestId('local-screen').count(), 0, 'the sharer still shows its preview');
    // Once the far side stopped, the viewer may share.
    await b.page.getByRole('button', { name: 'Share screen' }).click();
    await screenShown(a.page);
    await assertScreen('first sharer, now viewer', a.page, b.page);
    await b.page.getByRole('button', { name: 'Stop sharing' }).click();
    await screenShown(a.page, 'detached');
    await hangUp(a, b);
  });

  it('with isCrossScreenSharingAllowed both sides share at once', async () => {
    await connect(c, d, 'vic');
    await c.page.getByRole('button', { name: 'Share screen' }).click();
    await screenShown(d.page);
    await d.page.getByRole('button', { name: 'Share screen' }).click();
    await screenShown(c.page).catch(async (err) => {
      const flow = sipMessages(kam.logs()).map((m) => m.split('\n')[0] + (m.includes('a=content:slides') ? ' (slides)' : '')).slice(-12);
      throw new Error(`${err.message}\nlast SIP messages:\n${flow.join('\n')}\nsecond sharer: ${await d.page.locator('[data-testid="call"]').textContent()}`);
    });
    await assertScreen('first sharer', c.page, d.page);
    await assertScreen('second sharer', d.page, c.page);
    await shot(d.page, '67-screen-cross-wide');
    await hangUp(c, d);
  });
});
