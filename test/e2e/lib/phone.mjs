// Driving one softphone page: sign in, dial, answer, read call state and
// RTP counters. Peer connections are collected by an init script so that
// their getStats() can be read; the client itself exposes nothing for tests.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { screenshotDir, sipPassword } from './env.mjs';

const collectPeerConnections = () => {
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = function (...args) {
    const pc = new Native(...args);
    window.__pcs.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Native);
  // Record the tones played and the notifications shown.
  window.__played = [];
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (this.src) window.__played.push(new URL(this.src).pathname);
    return play.call(this);
  };
  window.__notifications = [];
  const NativeNotification = window.Notification;
  if (NativeNotification) {
    window.Notification = function (title, options) {
      window.__notifications.push({ title, body: options?.body ?? '' });
      return new NativeNotification(title, options);
    };
    window.Notification.prototype = NativeNotification.prototype;
    Object.defineProperty(window.Notification, 'permission', { get: () => NativeNotification.permission });
    window.Notification.requestPermission = (...a) => NativeNotification.requestPermission(...a);
  }
};

const seedLocalStorage = ({ origin, items }) => {
  if (location.origin !== origin) return;
  for (const [k, v] of Object.entries(items)) {
    if (window.localStorage.getItem(k) === null) window.localStorage.setItem(k, v);
  }
};

/**
 * openPhone opens the softphone in a fresh browser context. bypassCSP lets a
 * test inject scripts (axe-core) that the page's own policy would refuse.
 * localStorage (name -> value) is written into the storage of url's origin
 * before the page's scripts run, where a name is not set yet: a returning
 * user's stored state, put there without a page load of its own (Playwright's
 * storageState loads the origin to set it, and leaves a connection to it
 * open for the next load).
 */
export async function openPhone(browser, url, { httpCredentials, viewport = { width: 420, height: 760 }, colorScheme = 'light', camera = false, bypassCSP = false, localStorage = null } = {}) {
  const permissions = ['microphone', 'notifications', ...(camera ? ['camera'] : [])];
  const context = await browser.newContext({ viewport, colorScheme, httpCredentials, permissions, bypassCSP });
  const page = await context.newPage();
  await page.addInitScript(collectPeerConnections);
  if (localStorage) await page.addInitScript(seedLocalStorage, { origin: new URL(url).origin, items: localStorage });
  page.on('pageerror', (e) => console.error(`[page ${url}] ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`[console] ${m.text()}`);
  });
  await page.goto(url);
  return { context, page };
}

/** signIn fills the sign-in form and waits for the main line to register. */
export async function signIn(page, user, { displayName = '', password = sipPassword } = {}) {
  await page.getByLabel('SIP user').fill(user);
  await page.getByLabel('Password', { exact: true }).fill(password);
  if (displayName) await page.getByLabel('Display name').fill(displayName);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitRegistered(page);
}

export async function waitRegistered(page, timeout = 20000) {
  await page.locator('[data-line="main"][data-state="registered"]').waitFor({ timeout });
}

/** registeredAt is the page-load-to-registered time in ms (User Timing mark). */
export async function registeredAt(page) {
  // The mark is set right after the registered state renders.
  const h = await page.waitForFunction(() => performance.getEntriesByName('softphone:registered')[0]?.startTime, null, { timeout: 5000 });
  return h.jsonValue();
}

export async function dial(page, target) {
  await page.getByLabel('Number or SIP address').fill(target);
  await page.getByRole('button', { name: 'Call', exact: true }).click();
}

export function call(page) {
  return page.locator('[data-testid="call"]').first();
}

export async function waitCallStatus(page, status, timeout = 15000) {
  await page.locator(`[data-testid="call"][data-status="${status}"]`).first().waitFor({ timeout });
}

/** rtp sums audio RTP bytes sent and received over the page's peer connections. */
export async function rtp(page) {
  return page.evaluate(async () => {
    let sent = 0;
    let received = 0;
    for (const pc of window.__pcs ?? []) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((s) => {
        if (s.type === 'outbound-rtp' && s.kind === 'audio') sent += s.bytesSent ?? 0;
        if (s.type === 'inbound-rtp' && s.kind === 'audio') received += s.bytesReceived ?? 0;
      });
    }
    return { sent, received };
  });
}

/** rtpFlows checks that RTP byte counters rise in both directions within ms. */
export async function rtpRising(page, ms = 1500) {
  const a = await rtp(page);
  await page.waitForTimeout(ms);
  const b = await rtp(page);
  return { sent: b.sent - a.sent, received: b.received - a.received };
}

/** dtmfSent records the tones the page's RTCDTMFSenders play (RFC 2833/4733). */
export async function watchDTMFSenders(page) {
  await page.evaluate(() => {
    window.__tones = '';
    for (const pc of window.__pcs ?? []) {
      for (const s of pc.getSenders()) {
        if (s.dtmf) s.dtmf.addEventListener('tonechange', (e) => { window.__tones += e.tone; });
      }
    }
  });
}

export async function sentTones(page) {
  return page.evaluate(() => window.__tones ?? '');
}

/** remoteSDP returns the remote descriptions of the page's live peer connections. */
export async function remoteSDP(page) {
  return page.evaluate(() => (window.__pcs ?? []).filter((pc) => pc.remoteDescription).map((pc) => pc.remoteDescription.sdp).join('\n'));
}

/** audioCodec is the MIME type of the codec the page sends audio with. */
export async function audioCodec(page) {
  const h = await page.waitForFunction(async () => {
    for (const pc of window.__pcs ?? []) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      for (const s of stats.values()) {
        if (s.type === 'outbound-rtp' && s.kind === 'audio' && s.codecId) return stats.get(s.codecId)?.mimeType;
      }
    }
    return null;
  }, null, { timeout: 10000 });
  return h.jsonValue();
}

/** played lists the paths of the sounds the page started playing. */
export async function played(page) {
  return page.evaluate(() => window.__played ?? []);
}

/** notifications lists the browser notifications the page showed. */
export async function notifications(page) {
  return page.evaluate(() => window.__notifications ?? []);
}

/**
 * videoMotion draws a video element (by data-testid) twice, ms apart, and
 * returns its size and how much the pixels changed: a frozen or black
 * picture changes by 0.
 */
export async function videoMotion(page, testid, ms = 700) {
  const sel = `video[data-testid="${testid}"]`;
  await page.waitForFunction((s) => (document.querySelector(s)?.videoWidth ?? 0) > 0, sel, { timeout: 15000 });
  return page.evaluate(async ({ s, ms }) => {
    const v = document.querySelector(s);
    const c = document.createElement('canvas');
    c.width = 96;
    c.height = 72;
    const g = c.getContext('2d', { willReadFrequently: true });
    const grab = () => {
      g.drawImage(v, 0, 0, c.width, c.height);
      return g.getImageData(0, 0, c.width, c.height).data;
    };
    const a = grab();
    await new Promise((r) => setTimeout(r, ms));
    const b = grab();
    let changed = 0;
    let lit = 0;
    for (let i = 0; i < a.length; i += 4) {
      if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 30) changed++;
      if (b[i] + b[i + 1] + b[i + 2] > 60) lit++;
    }
    return { width: v.videoWidth, height: v.videoHeight, changed, lit };
  }, { s: sel, ms });
}

/** videoFrames sums the video frames the page's peer connections decoded. */
export async function videoFrames(page) {
  return page.evaluate(async () => {
    let decoded = 0;
    for (const pc of window.__pcs ?? []) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') decoded += s.framesDecoded ?? 0;
      });
    }
    return decoded;
  });
}

/**
 * shot saves a full-page screenshot as e2e/out/screenshots/NAME.png for
 * people to look at, and fails if a visible control has no accessible name.
 */
export async function shot(page, name) {
  await page.screenshot({ path: join(screenshotDir(), `${name}.png`), fullPage: true });
  const unlabelled = await page.evaluate(() => {
    const named = (el) => {
      if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return true;
      if (el.labels && el.labels.length > 0) return true;
      return el.tagName === 'BUTTON' && el.textContent.trim() !== '';
    };
    return [...document.querySelectorAll('button, input, select, textarea, video')]
      .filter((el) => el.offsetParent !== null && !named(el))
      .map((el) => el.outerHTML.slice(0, 120));
  });
  assert.deepEqual(unlabelled, [], `${name}.png: controls without an accessible name`);
}
