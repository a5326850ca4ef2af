// The agent's workspace, state by state: every screen an agent meets in a
// shift, at 1280x800 (a full tab) and 400x800 (docked beside a CTI
// desktop), light and dark. Each is kept as
// e2e/out/screenshots/workspace-NN-STATE-{wide,narrow}-{light,dark}.png and
// checked by axe-core, injected into the page (the context bypasses the
// page's CSP for that; the product keeps its strict policy), which must
// report no violation. One Kamailio and one browser serve the whole suite.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, launchChromium, screenshotDir, sipDomain, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { dial, openPhone, signIn, waitCallStatus } from '../lib/phone.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const sizes = { wide: { width: 1280, height: 800 }, narrow: { width: 400, height: 800 } };
const themes = ['light', 'dark'];

/**
 * capture screenshots the page in both sizes and both themes and runs axe
 * on each; it fails listing every violation with the elements concerned.
 */
async function capture(page, name) {
  const problems = [];
  for (const [size, viewport] of Object.entries(sizes)) {
    await page.setViewportSize(viewport);
    for (const colorScheme of themes) {
      await page.emulateMedia({ colorScheme });
      // Let layout and colours settle before the picture.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await page.screenshot({ path: join(screenshotDir(), `workspace-${name}-${size}-${colorScheme}.png`), fullPage: true });
      if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      for (const v of violations) problems.push(`${size} ${colorScheme}: ${v}`);
    }
  }
  await page.setViewportSize(sizes.wide);
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(problems, [], `axe found violations on ${name}`);
}

describe('workspace', () => {
  let kam, site, deadSite, browser, alice, bob, carol;

  before(async () => {
    kam = await startKamailio({ testNumbers: true });
    const advancedOptions = (addresses, retry) => ({
      defaultServerConfig: { sipDomain, sipServerAddress: addresses },
      noAnswerTimeout: 120,
      ...retry,
      ACDClientConfig: { enabled: true, notReadyDefaultReasonCode: '20', notReadyReasonCodeMapping: { 10: 'Break', 20: 'After call work' } },
      customerInfoContextDisplayMapping: { name: 'Customer', VIPLevel: 'Loyalty tier', advice: 'Getting expert advice for the product' },
      contactCenterConfig: {
        integrations: [{
          enabled: true, contactCenterPlatform: 'genesys_pure_engage', serviceName: 'Genesys',
          customSipHeaderNames: { contactCenterCallUuidHeader: 'x-genesys-calluuid' },
        }],
        defaultSipHeaderNames: { contactCenterCallUuidHeader: 'call-id', contactCenterCallUserInfoHeader: 'x-customer-info' },
      },
      callHistoryConfig: { maxEntries: 20, guiEnabled: true },
    });
    site = await startSoftphone({ advancedOptions: advancedOptions([kam.url], {}) });
    // Nothing listens there: the SBC is down. JsSIP waits 20..30 s between
    // attempts, so an attempt within seconds of "Retry now" is that button's.
    deadSite = await startSoftphone({
      advancedOptions: advancedOptions([`ws://127.0.0.1:${await freePort()}`], { reconnectIntervalMin: 20, reconnectIntervalMax: 30 }),
    });
    browser = await launchChromium();
    alice = await openPhone(browser, site.url, { viewport: sizes.wide, bypassCSP: true });
    bob = await openPhone(browser, site.url);
    carol = await openPhone(browser, site.url);
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('signs in, and keeps the form with the error at the field when the SBC refuses the password', async () => {
    const p = alice.page;
    await p.getByLabel('SIP user').waitFor();
    await capture(p, '01-sign-in');
    await signIn(bob.page, 'bob', { displayName: 'Bob Customer' });
    await signIn(carol.page, 'carol', { displayName: 'Carol Caller' });

    await p.getByLabel('SIP user').fill('alice');
    await p.getByLabel('Password', { exact: true }).fill('wrong');
    await p.getByRole('button', { name: 'Sign in' }).click();
    const password = p.getByLabel('Password', { exact: true });
    await p.locator('input[name="password"][aria-invalid="true"]').waitFor({ timeout: 15000 });
    const described = await password.getAttribute('aria-describedby');
    assert.match(await p.locator(`#${described}`).innerText(), /refused the SIP user or password/);
    assert.equal(await p.getByLabel('SIP user').inputValue(), 'alice', 'the user name should stay filled in');
    await capture(p, '02-sign-in-error');

    await signIn(p, 'alice', { displayName: 'Alice Agent' });
    await p.getByRole('heading', { name: 'Calls', level: 1 }).waitFor();
    await p.getByText('alice@example.test').waitFor();
    // A number typed: the Call button is enabled, and axe checks its colours.
    await p.getByLabel('Number or SIP address').fill('4021');
    assert.equal(await p.getByRole('button', { name: 'Call', exact: true }).isEnabled(), true);
    await capture(p, '03-idle');
    await p.getByLabel('Number or SIP address').fill('');
  });

  it('says the SBC is down, disables calling, tells when it retries and retries on demand', async () => {
    const d = await openPhone(browser, deadSite.url, { viewport: sizes.wide, bypassCSP: true });
    await d.page.getByLabel('SIP user').fill('dave');
    await d.page.getByLabel('Password', { exact: true }).fill('whatever');
    await d.page.getByRole('button', { name: 'Sign in' }).click();
    const banner = d.page.locator('[data-testid="connection"][data-kind="down"]');
    await banner.waitFor({ timeout: 20000 });
    await banner.getByRole('alert').filter({ hasText: 'The SBC cannot be reached' }).waitFor();
    const retryText = await banner.getByText(/Next attempt within \d+ s/).innerText();
    const seconds = Number(/within (\d+) s/.exec(retryText)[1]);
    assert.ok(seconds >= 15 && seconds <= 30, `next attempt announced in ${seconds} s, want 20..30 s (reconnectIntervalMin..Max)`);
    await d.page.getByLabel('Number or SIP address').fill('bob');
    const callButton = d.page.getByRole('button', { name: 'Call', exact: true });
    assert.equal(await callButton.isDisabled(), true, 'Call is usable while the SBC is down');
    assert.equal(await callButton.getAttribute('aria-describedby'), 'connection-why');
    await capture(d.page, '04-sbc-down');
    // Retry now opens a new connection at once, long before the scheduled one.
    const attempt = d.page.waitForEvent('websocket', { timeout: 10000 });
    await banner.getByRole('button', { name: 'Retry now' }).click();
    await attempt;
    await d.context.close();
  });

  it('dials, talks, is held by the far side, takes a second call with customer info, and sums up the ended call', async () => {
    const p = alice.page;
    await dial(p, 'bob');
    await waitCallStatus(p, 'ringing');
    await waitCallStatus(bob.page, 'incoming');
    await capture(p, '05-dialing');

    await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await waitCallStatus(p, 'connected');
    await p.locator('[data-testid="call"] time.call-time').first().waitFor();
    await capture(p, '06-in-call');

    await bob.page.getByRole('button', { name: 'Hold' }).click();
    await p.locator('[data-testid="call"][data-remote-hold="true"]').waitFor({ timeout: 10000 });
    await capture(p, '07-held-by-far-side');
    await bob.page.getByRole('button', { name: 'Resume' }).click();
    await p.locator('[data-testid="call"][data-remote-hold="false"]').waitFor({ timeout: 10000 });

    // Carol calls through the test number that adds X-Customer-Info.
    await dial(carol.page, '*71alice');
    const incoming = p.locator('[data-testid="call"][data-status="incoming"]');
    await incoming.waitFor();
    await incoming.getByRole('region', { name: 'Customer information' }).getByText('Dana Levi').waitFor();
    assert.match(await p.getByTestId('announce').innerText(), /^Incoming call from Carol Caller$/, 'the incoming call is not announced');
    await capture(p, '08-incoming-customer-info');

    await p.getByRole('button', { name: 'Answer', exact: true }).click();
    await waitCallStatus(carol.page, 'connected');
    await p.locator('[data-testid="call"][data-local-hold="true"]', { hasText: 'bob' }).waitFor({ timeout: 10000 });
    await capture(p, '09-two-calls-one-held');

    await p.locator('[data-testid="call"][data-status="connected"][data-local-hold="false"]').getByRole('button', { name: 'Hang up' }).click();
    const summary = p.locator('[data-testid="call"][data-status="ended"]');
    await summary.waitFor();
    // Focus on the summary holds it while the pictures are taken.
    await summary.getByRole('button', { name: /^Dismiss/ }).focus();
    assert.match(await summary.innerText(), /Call with Carol Caller ended/);
    await capture(p, '10-ended');
    await summary.getByRole('button', { name: /^Dismiss/ }).click();
    await summary.waitFor({ state: 'detached' });

    // The held call comes back and ends; its summary leaves on its own.
    await p.getByRole('button', { name: 'Resume' }).click();
    await p.locator('[data-testid="call"][data-local-hold="false"][data-status="connected"]').waitFor();
    await p.getByRole('button', { name: 'Hang up' }).click();
    await summary.waitFor();
    await p.mouse.move(0, 0);
    await p.locator('[data-testid="call"]').waitFor({ state: 'detached', timeout: 15000 });
  });

  it('shows the history, the settings and the not-ready state', async () => {
    const p = alice.page;
    await p.getByRole('button', { name: 'Call history' }).click();
    await p.getByRole('heading', { name: 'Call history', level: 1 }).waitFor();
    assert.equal(await p.locator('[data-testid="history-entry"]').count(), 2);
    await capture(p, '11-history');
    await p.getByRole('button', { name: 'Close' }).click();

    await p.getByRole('button', { name: 'Settings' }).click();
    await p.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await capture(p, '12-settings');
    await p.getByRole('button', { name: 'Cancel' }).click();

    await p.getByLabel('Agent state').selectOption({ label: 'Not ready: Break' });
    await p.locator('[data-testid="agent-state"][data-ready="false"][data-reason="10"]').waitFor();
    await p.getByTestId('idle-state').filter({ hasText: 'Not ready (Break): incoming calls are refused as busy.' }).waitFor();
    await capture(p, '13-not-ready');
    await p.getByLabel('Agent state').selectOption({ label: 'Ready' });
  });
});
