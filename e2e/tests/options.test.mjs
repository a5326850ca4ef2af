// Client options that add features: the call quality score
// (voiceQualityMonitorEnabled, restoreCallQualityMaxDelay) between two
// browsers whose media is forced through a UDP relay run by this test, so
// that packet loss can be injected on a path no other test uses.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { launchChromium, sipDomain, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { dial, openPhone, signIn, waitCallStatus, waitRegistered, shot } from '../lib/phone.mjs';

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
