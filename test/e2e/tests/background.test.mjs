// Virtual backgrounds (localVideoFilter) between two browsers with
// Chromium's fake camera: nothing of the segmentation model is requested
// until the agent chooses a background; then the model comes from the
// softphone site itself and the video the far side receives turns into the
// chosen picture; "None" brings the camera back. An image the agent adds is
// kept in web storage and can be chosen like the brand's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchChromium, repoRoot, sipDomain, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { openPhone, shot, signIn, waitCallStatus } from '../lib/phone.mjs';

// What belongs to the virtual-background feature, loaded on demand.
const modelRequest = /\/static\/mediapipe\/|\/static\/js\/effect\.[\w-]+\.js$/;

/**
 * distance draws the remote video and an image (a site path) at 96×72 and
 * returns their mean absolute difference per channel (0 = the same picture).
 */
async function distance(page, image) {
  return page.evaluate(async (src) => {
    const w = 96;
    const h = 72;
    const draw = (el) => {
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      const g = c.getContext('2d', { willReadFrequently: true });
      g.drawImage(el, 0, 0, w, h);
      return g.getImageData(0, 0, w, h).data;
    };
    const img = new Image();
    img.src = src;
    await img.decode();
    // The same crop as the client's "cover" drawing: scale to fill 4:3.
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const scale = Math.max(w / img.naturalWidth, h / img.naturalHeight);
    const sw = w / scale;
    const sh = h / scale;
    c.getContext('2d').drawImage(img, (img.naturalWidth - sw) / 2, (img.naturalHeight - sh) / 2, sw, sh, 0, 0, w, h);
    const want = draw(c);
    const got = draw(document.querySelector('video[data-testid="remote-video"]'));
    let sum = 0;
    for (let i = 0; i < got.length; i += 4) {
      sum += Math.abs(got[i] - want[i]) + Math.abs(got[i + 1] - want[i + 1]) + Math.abs(got[i + 2] - want[i + 2]);
    }
    return sum / (w * h * 3);
  }, image);
}

/** sharpness is the mean brightness step between neighbouring pixels of the remote video at 96×72. */
async function sharpness(page) {
  return page.evaluate(() => {
    const w = 96;
    const h = 72;
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const g = c.getContext('2d', { willReadFrequently: true });
    g.drawImage(document.querySelector('video[data-testid="remote-video"]'), 0, 0, w, h);
    const d = g.getImageData(0, 0, w, h).data;
    const lum = (i) => d[i] * 0.3 + d[i + 1] * 0.59 + d[i + 2] * 0.11;
    let sum = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x + 1 < w; x++) sum += Math.abs(lum((y * w + x) * 4) - lum((y * w + x + 1) * 4));
    return sum / (h * (w - 1));
  });
}

/** waitDistance polls distance until ok(d) holds or 30 s pass; returns the last value. */
async function waitDistance(page, image, ok) {
  let d;
  for (let i = 0; i < 60; i++) {
    d = await distance(page, image);
    if (ok(d)) break;
    await page.waitForTimeout(500);
  }
  return d;
}

describe('virtual backgrounds', () => {
  let kam, site, browser, a, b;
  const requests = [];

  before(async () => {
    kam = await startKamailio({});
    site = await startSoftphone({
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url] },
        isVideoEnabled: true,
        localVideoFilter: { virtualBackgroundSupported: true, maxSizeForLocalBGImages: 1 },
      },
    });
    browser = await launchChromium();
    a = await openPhone(browser, site.url, { camera: true, viewport: { width: 900, height: 800 } });
    b = await openPhone(browser, site.url, { camera: true, viewport: { width: 900, height: 800 } });
    // Watch every request of the agent's page from a fresh load on.
    a.page.on('request', (r) => requests.push(r.url()));
    await a.page.reload();
    await signIn(a.page, 'vera', { displayName: 'Vera Background' });
    await signIn(b.page, 'walt', { displayName: 'Walt Viewer' });
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('allows WebAssembly in the page CSP when virtual backgrounds are on', async () => {
    const res = await fetch(site.url);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/, `CSP: ${csp}`);
  });

  it('sends the chosen background instead of the camera, loading the model only then', async () => {
    await a.page.getByLabel('Number or SIP address').fill('walt');
    await a.page.getByRole('button', { name: 'Video call' }).click();
    await waitCallStatus(b.page, 'incoming');
    await b.page.getByRole('button', { name: 'Answer with video' }).click();
    await waitCallStatus(a.page, 'connected');
    await b.page.waitForFunction(() => (document.querySelector('video[data-testid="remote-video"]')?.videoWidth ?? 0) > 0, null, { timeout: 15000 });

    const brand = new URL('images/virtual-backgrounds/image01.jpg', site.url).href;
    const camera = await distance(b.page, brand);
    const sharp = await sharpness(b.page);
    assert.ok(camera > 25, `the fake camera already looks like image01 (mean difference ${camera.toFixed(1)})`);
    const early = requests.filter((u) => modelRequest.test(new URL(u).pathname));
    assert.deepEqual(early, [], 'the model was requested before a background was chosen');

    await a.page.getByRole('button', { name: 'Settings' }).click();
    await a.page.getByRole('button', { name: 'Background 1' }).click();
    await shot(a.page, '70-settings-virtual-background');
    await a.page.getByRole('button', { name: 'Cancel' }).click();

    const withBackground = await waitDistance(b.page, brand, (d) => d < camera / 3);
    assert.ok(withBackground < camera / 3,
      `the far side's video did not turn into image01: mean difference ${withBackground.toFixed(1)}, camera alone ${camera.toFixed(1)}`);
    const model = requests.filter((u) => modelRequest.test(new URL(u).pathname));
    for (const file of ['selfie_segmentation.js', 'selfie_segmentation_solution_simd_wasm_bin.wasm', '.tflite']) {
      assert.ok(model.some((u) => u.includes(file)), `${file} was not requested; model requests: ${model.join(', ')}`);
    }
    const outside = requests.filter((u) => new URL(u).origin !== new URL(site.url).origin);
    assert.deepEqual(outside, [], 'the page fetched from another origin');
    await shot(a.page, '71-virtual-background-sender');
    await shot(b.page, '72-virtual-background-receiver');

    // Blur: the camera's picture comes back, softened (the fake camera's
    // picture has no person, so all of it is background).
    await a.page.getByRole('button', { name: 'Settings' }).click();
    await a.page.getByRole('button', { name: 'Blur', exact: true }).click();
    await a.page.getByRole('button', { name: 'Cancel' }).click();
    const blurred = await waitDistance(b.page, brand, (d) => d > camera / 2);
    assert.ok(blurred > camera / 2, `Blur still sends image01: mean difference ${blurred.toFixed(1)}`);
    let soft;
    for (let i = 0; i < 20 && !(soft < sharp / 2); i++) {
      soft = await sharpness(b.page);
      if (!(soft < sharp / 2)) await b.page.waitForTimeout(500);
    }
    assert.ok(soft < sharp / 2, `Blur did not soften the picture: sharpness ${soft.toFixed(2)}, camera ${sharp.toFixed(2)}`);
    await shot(b.page, '73-virtual-background-blur-receiver');

    await a.page.getByRole('button', { name: 'Settings' }).click();
    await a.page.getByRole('button', { name: 'None', exact: true }).click();
    await a.page.getByRole('button', { name: 'Cancel' }).click();
    let crisp;
    for (let i = 0; i < 20 && !(crisp > sharp * 0.8); i++) {
      crisp = await sharpness(b.page);
      if (!(crisp > sharp * 0.8)) await b.page.waitForTimeout(500);
    }
    assert.ok(crisp > sharp * 0.8, `"None" did not bring the camera back: sharpness ${crisp.toFixed(2)}, camera ${sharp.toFixed(2)}`);
  });

  it('keeps an image the agent adds, up to maxSizeForLocalBGImages, and sends it', async () => {
    const file = join(repoRoot, 'assets/files/images/virtual-backgrounds/image03.jpg');
    await a.page.getByRole('button', { name: 'Settings' }).click();
    const input = a.page.getByLabel('Add your own image (0 of 1)');
    await input.setInputFiles({ name: 'beach.jpg', mimeType: 'image/jpeg', buffer: readFileSync(file) });
    // Adding chooses it; the one allowed image is used up.
    await a.page.getByRole('button', { name: 'My image 1', exact: true }).and(a.page.locator('[aria-pressed="true"]')).waitFor();
    assert.equal(await a.page.getByLabel('Add your own image (1 of 1)').isDisabled(), true, 'a second image may be added with maxSizeForLocalBGImages 1');
    await a.page.getByRole('button', { name: 'Cancel' }).click();

    const local = new URL('images/virtual-backgrounds/image03.jpg', site.url).href;
    const d = await waitDistance(b.page, local, (v) => v < 15);
    assert.ok(d < 15, `the far side's video did not turn into the added image: mean difference ${d.toFixed(1)}`);

    // Kept in web storage: still there, and chosen, after a reload.
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await a.page.reload();
    await a.page.getByRole('button', { name: 'Settings' }).click();
    await a.page.getByRole('button', { name: 'My image 1', exact: true }).and(a.page.locator('[aria-pressed="true"]')).waitFor();
    await a.page.getByRole('button', { name: 'Remove my image 1' }).click();
    await a.page.getByRole('button', { name: 'None', exact: true }).and(a.page.locator('[aria-pressed="true"]')).waitFor();
    assert.equal(await a.page.getByLabel('Add your own image (0 of 1)').isDisabled(), false);
  });
});
