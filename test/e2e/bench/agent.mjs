// The browser part of `make bench` (test/scripts/bench.sh): what an agent
// feels, in Debian's headless Chromium, against web servers that all serve
// the same exported softphone tree over HTTPS.
//
//   load-cold       a returning agent (SIP credentials stored by an earlier
//                   sign-in) opens the page in a new browser context: empty
//                   HTTP cache, new TLS connection. Navigation start to the
//                   main line registered (the client's User Timing mark
//                   "softphone:registered").
//   load-warm       the same agent reloads that page: cached assets.
//   call-connected  the first call from the reloaded page: the Call click to
//                   the call shown as connected.
//   call-audio      the same click to the first audio packets received.
//
// The callee is baresip answering by itself (answermode=auto): no script
// sits between the INVITE and its 200 OK. The web server plays no part in a
// call; calls are reported per site to show that.
//
// Environment (bench.sh sets it): BENCH_SITES ("name=url name=url ..."),
// BENCH_KAMAILIO_PORT (Kamailio from examples/kamailio/kamailio.cfg, which
// the exported trees' advancedOptions point at), BENCH_SIP_DOMAIN,
// BENCH_SIP_PASSWORD, BENCH_BROWSER_ROUNDS (default 5), CHROMIUM.
//
// stdout has one line per site and metric:
//   browser <site> <metric> <median-ms> ms  rounds: <r1> <r2> ...
// Progress goes to stderr. Any failure ends the run with a non-zero status
// and no figures for it.
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';

const log = (...a) => console.error('bench browser:', ...a);

function fail(message) {
  log(`FAILED: ${message}`);
  process.exit(1);
}

// --- configuration -------------------------------------------------------

const sites = (process.env.BENCH_SITES ?? '').split(/\s+/).filter(Boolean).map((s) => {
  const eq = s.indexOf('=');
  if (eq <= 0) fail(`BENCH_SITES: "${s}" is not name=url`);
  const name = s.slice(0, eq);
  const url = s.slice(eq + 1);
  if (!/^https:\/\//.test(url)) fail(`BENCH_SITES: ${name}: ${url} is not an https URL`);
  // A SIP user per site; names like "nginx-static" stay valid SIP users.
  return { name, url, user: `agent-${name.toLowerCase().replace(/[^a-z0-9-]/g, '-')}` };
});
if (sites.length === 0) fail('BENCH_SITES is empty: want "name=https://127.0.0.1:PORT/ ..."');
if (new Set(sites.map((s) => s.name)).size !== sites.length) fail('BENCH_SITES: site names must differ');
const kamailioPort = Number(process.env.BENCH_KAMAILIO_PORT);
if (!Number.isInteger(kamailioPort) || kamailioPort <= 0) fail(`BENCH_KAMAILIO_PORT is not a port: "${process.env.BENCH_KAMAILIO_PORT ?? ''}"`);
const domain = process.env.BENCH_SIP_DOMAIN;
const password = process.env.BENCH_SIP_PASSWORD;
if (!domain || !password) fail('BENCH_SIP_DOMAIN and BENCH_SIP_PASSWORD must be set (the Kamailio SIP_REALM and SIP_PASSWORD)');
const rounds = Number(process.env.BENCH_BROWSER_ROUNDS || 5);
if (!Number.isInteger(rounds) || rounds < 1) fail(`BENCH_BROWSER_ROUNDS is not a positive integer: "${process.env.BENCH_BROWSER_ROUNDS}"`);
const callee = 'bench-callee';

// The e2e helpers keep their working files (baresip's config) in
// E2E_WORKDIR, read when env.mjs loads: a folder of this run's own under
// test/e2e/out/tmp, removed at the end, unless the caller chose one.
const e2eDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let ownWorkDir = null;
if (!process.env.E2E_WORKDIR) {
  mkdirSync(join(e2eDir, 'out', 'tmp'), { recursive: true });
  ownWorkDir = mkdtempSync(join(e2eDir, 'out', 'tmp', 'bench-'));
  process.env.E2E_WORKDIR = ownWorkDir;
}
const { launchChromium, stopAll } = await import('../lib/env.mjs');
const { startBaresip } = await import('../lib/baresip.mjs');
const { dial, openPhone, registeredAt, signIn, waitCallStatus, waitRegistered } = await import('../lib/phone.mjs');

// --- helpers -------------------------------------------------------------

/**
 * spki is the base64 SHA-256 of the public key of the certificate that url
 * serves. Chromium is told to accept those keys
 * (--ignore-certificate-errors-spki-list) rather than to ignore certificate
 * errors (ignoreHTTPSErrors): with the errors ignored, it kept neither the
 * page itself nor the client's fetch of its strings in its HTTP cache, so
 * a warm reload fetched them whole where an agent's browser, trusting the
 * site's certificate, revalidates them. A site whose key is not the one
 * seen here fails to load instead of being measured.
 */
async function spki(url) {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const sock = connect({ host, port: Number(u.port || 443), servername: isIP(host) ? undefined : host, rejectUnauthorized: false });
  try {
    await once(sock, 'secureConnect', { signal: AbortSignal.timeout(5000) });
    const key = sock.getPeerX509Certificate().publicKey.export({ type: 'spki', format: 'der' });
    return createHash('sha256').update(key).digest('base64');
  } finally {
    sock.destroy();
  }
}

/** within runs promise, or throws "<site>: <what>: <its error>" (the first line of it). */
async function within(site, what, promise) {
  try {
    return await promise;
  } catch (e) {
    throw new Error(`${site.name} (${site.url}): ${what}: ${String(e.message ?? e).split('\n')[0]}`);
  }
}

/**
 * registeredMs waits for the page's main line to register (20 s) and
 * returns the client's own mark: ms from navigation start, measured in the
 * page, so nothing of the driver's polling is in it.
 */
async function registeredMs(page, site, what) {
  await within(site, `${what}: main line not registered within 20 s`, waitRegistered(page, 20000));
  const ms = await within(site, `${what}: no softphone:registered mark`, registeredAt(page));
  if (!(typeof ms === 'number' && ms > 0)) throw new Error(`${site.name}: ${what}: bad softphone:registered mark ${ms}`);
  return ms;
}

/**
 * transfer sums what the page's navigation and resources came with: bytes
 * over the wire (headers included, 0 from the cache), and those of the main
 * JS bundle alone.
 */
function transfer(page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const entries = [nav, ...performance.getEntriesByType('resource')];
    const js = entries.filter((e) => /\/static\/js\/index[^/]*\.js$/.test(new URL(e.name).pathname));
    return {
      bytes: entries.reduce((n, e) => n + (e.transferSize ?? 0), 0),
      requests: entries.length,
      bundleBytes: js.map((e) => e.transferSize),
      protocol: nav.nextHopProtocol,
    };
  });
}

/**
 * watchCall records, in the page, when the Call button is clicked, when the
 * call card shows each status, and the first getStats report that counts a
 * received audio packet. Times are performance.now() in the page.
 */
function watchCall(page) {
  return page.evaluate(() => {
    const w = (window.__benchCall = { click: null, statuses: [], audio: null, polls: 0 });
    let poll = null;
    document.addEventListener('click', (e) => {
      if (w.click === null && e.target.closest?.('.dialer button[type="submit"]')) {
        w.click = performance.now();
        poll();
      }
    }, { capture: true });
    // A mutation observer's callback runs right after the DOM change, in the
    // same task: the time the agent could first see the status.
    const seen = () => {
      const s = document.querySelector('[data-testid="call"]')?.dataset.status;
      if (s && w.statuses.at(-1)?.[0] !== s) w.statuses.push([s, performance.now()]);
    };
    new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
    // Received audio: poll every peer connection's inbound-rtp stats from the
    // click on until a packet is counted. That report's
    // lastPacketReceivedTimestamp (wall clock ms, as performance.timeOrigin)
    // is when Chromium received the newest of the packets it counts: the
    // first one when it counts one, a packet interval or two later when the
    // first few came before the report. The poll's own time is kept to
    // check that clock.
    poll = async () => {
      if (w.audio !== null) return;
      w.polls++;
      for (const pc of window.__pcs ?? []) {
        if (pc.connectionState === 'closed') continue;
        const stats = await pc.getStats();
        for (const s of stats.values()) {
          if (s.type === 'inbound-rtp' && s.kind === 'audio' && s.packetsReceived > 0 && w.audio === null) {
            w.audio = { seen: performance.now(), packets: s.packetsReceived, at: s.lastPacketReceivedTimestamp - performance.timeOrigin };
          }
        }
      }
      if (w.audio === null) setTimeout(poll, 5);
    };
  });
}

/**
 * firstCall makes the page's first call, to the auto-answering callee, and
 * hangs it up from the callee's side. It returns the ms from the Call click to
 * the call card showing "connected" and to the first audio packet, and a
 * line for the log.
 */
async function firstCall(page, site, peer) {
  await watchCall(page);
  const established = peer.events('CALL_ESTABLISHED').length;
  await within(site, 'dialling', dial(page, callee));
  await within(site, `call to ${callee} not connected within 15 s`, waitCallStatus(page, 'connected', 15000));
  await within(site, `no audio received from ${callee} within 10 s`, page.waitForFunction(() => window.__benchCall.audio !== null, null, { timeout: 10000 }));
  const w = await page.evaluate(() => window.__benchCall);
  await within(site, `${callee} did not see the call established`, peer.waitEvent('CALL_ESTABLISHED', { from: established, ms: 5000 }));
  const closed = peer.events('CALL_CLOSED').length;
  await within(site, `${callee} could not hang up`, peer.command('hangup'));
  await within(site, 'call not shown as ended after the callee hung up', waitCallStatus(page, 'ended', 10000));
  await within(site, `${callee} did not close the call`, peer.waitEvent('CALL_CLOSED', { from: closed, ms: 5000 }));

  if (w.click === null) throw new Error(`${site.name}: the Call click was not seen in the page`);
  const connected = w.statuses.find(([st]) => st === 'connected');
  if (!connected) throw new Error(`${site.name}: the call card never showed "connected" (statuses ${JSON.stringify(w.statuses)})`);
  // Chromium's packet clock against the page's: the packet can have come
  // neither before the click nor after the report that counted it.
  if (!Number.isFinite(w.audio.at)) throw new Error(`${site.name}: inbound-rtp stats have no lastPacketReceivedTimestamp`);
  if (!(w.audio.at > w.click && w.audio.at <= w.audio.seen + 1)) {
    throw new Error(`${site.name}: audio packet time ${w.audio.at} ms is not between the click (${w.click}) and the stats poll that counted it (${w.audio.seen}): clocks disagree`);
  }
  const since = (t) => (t - w.click).toFixed(0);
  return {
    connected: connected[1] - w.click,
    audio: w.audio.at - w.click,
    detail: `after the click: ${w.statuses.map(([st, t]) => `${st} ${since(t)}`).join(', ')}, `
      + `audio ${since(w.audio.at)} (${w.audio.packets} packet(s) in the first report, at ${since(w.audio.seen)}, ${w.polls} polls)`,
  };
}

// --- main ----------------------------------------------------------------

const results = new Map(); // "site metric" -> [ms per round]
const record = (site, metric, ms) => {
  const k = `${site.name} ${metric}`;
  if (!results.has(k)) results.set(k, []);
  results.get(k).push(ms);
};

// Stopped from outside (bench.sh's cleanup, ^C): end baresip too.
// Playwright ends Chromium when this process exits.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    log(`stopped by ${sig}`);
    stopAll();
    if (ownWorkDir) rmSync(ownWorkDir, { recursive: true, force: true });
    process.exit(1);
  });
}

let browser = null;
let peer = null;
try {
  const keys = [...new Set(await Promise.all(sites.map((s) => within(s, 'reading its TLS certificate', spki(s.url)))))];
  browser = await launchChromium({ args: [`--ignore-certificate-errors-spki-list=${keys.join(',')}`] });

  // The callee, answering every call itself as it arrives.
  peer = await startBaresip({ port: kamailioPort }, callee, { answermode: 'auto', password, domain });
  await peer.registered().catch((e) => {
    throw new Error(`baresip ${callee} did not register at Kamailio on port ${kamailioPort} (BENCH_SIP_DOMAIN, BENCH_SIP_PASSWORD as Kamailio was started with?): ${e.message.split('\n')[0]}`);
  });

  // One sign-in per site stores the agent's credentials in that origin's
  // localStorage; every round's new context gets a copy of it, written by
  // an init script before the page's own scripts run. A call from there,
  // not measured either, checks the whole path once. These warm Chromium
  // itself (its processes, its WebRTC and audio set-up), which would
  // otherwise weigh on whichever site came first in round 1.
  const stored = new Map();
  for (const site of sites) {
    log(`${site.name}: signing in as ${site.user} and calling ${callee} (not measured)`);
    const { context, page } = await within(site, 'opening the page', openPhone(browser, site.url));
    try {
      await within(site, `sign-in as ${site.user} did not register within 20 s`, signIn(page, site.user, { password }));
      stored.set(site.name, await page.evaluate(() => ({ ...localStorage })));
      await firstCall(page, site, peer);
    } finally {
      await context.close();
    }
  }

  for (let round = 1; round <= rounds; round++) {
    // Interleaved, and in a rotated order each round, so that whatever else
    // the machine does weighs on all sites alike.
    const order = sites.map((_, i) => sites[(i + round - 1) % sites.length]);
    for (const site of order) {
      // A new context: its own empty HTTP cache and no connection yet.
      const { context, page } = await within(site, 'cold load', openPhone(browser, site.url, { localStorage: stored.get(site.name) }));
      try {
        const cold = await registeredMs(page, site, 'cold load');
        const coldNet = await transfer(page);
        // A cold load that found the bundle in a cache is not one.
        if (!coldNet.bundleBytes.length || coldNet.bundleBytes.some((b) => !(b > 0))) {
          throw new Error(`${site.name}: cold load: the JS bundle was not fetched over the network (transfer sizes ${coldNet.bundleBytes.join(', ') || 'none seen'})`);
        }
        // An agent's reload (F5): the page revalidated, assets as their
        // cache headers say.
        await within(site, 'warm reload', page.reload());
        const warm = await registeredMs(page, site, 'warm reload');
        const warmNet = await transfer(page);
        const c = await firstCall(page, site, peer);
        record(site, 'load-cold', cold);
        record(site, 'load-warm', warm);
        record(site, 'call-connected', c.connected);
        record(site, 'call-audio', c.audio);
        log(`round ${round} ${site.name}: cold ${cold.toFixed(0)} ms (${coldNet.requests} requests, ${coldNet.bytes} B over ${coldNet.protocol}), `
          + `warm ${warm.toFixed(0)} ms (${warmNet.bytes} B), ${c.detail}`);
      } finally {
        await context.close();
      }
    }
  }
} catch (e) {
  log(`FAILED: ${e.message}`);
  process.exitCode = 1;
} finally {
  peer?.close();
  await browser?.close().catch(() => {});
  stopAll();
  if (ownWorkDir) rmSync(ownWorkDir, { recursive: true, force: true });
}

if (process.exitCode !== 1) {
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  // Every line is made before any is printed: all figures or none.
  const lines = [];
  for (const site of sites) {
    for (const metric of ['load-cold', 'load-warm', 'call-connected', 'call-audio']) {
      const xs = results.get(`${site.name} ${metric}`) ?? [];
      if (xs.length !== rounds || !xs.every(Number.isFinite)) fail(`${site.name} ${metric}: ${xs.length} of ${rounds} rounds measured`);
      lines.push(`browser ${site.name} ${metric} ${median(xs).toFixed(0)} ms  rounds: ${xs.map((x) => x.toFixed(0)).join(' ')}`);
    }
  }
  console.log(lines.join('\n'));
}
