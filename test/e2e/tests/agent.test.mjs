// The contact-center agent's features between two browsers through
// Kamailio: customer info from X-Customer-Info (added by Kamailio's test
// numbers, *71/*72), auto-answer from Call-Info answer-after=0 (*73) and
// from Alert-Info after the default delay (*74),
// not ready refusing calls with the reason code, going not ready after a
// missed call, and the call history with its limit, reload and redial.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchChromium, sipDomain, sipMessages, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { call, dial, openPhone, signIn, waitCallStatus, waitRegistered, shot } from '../lib/phone.mjs';

const maxEntries = 3;
const noAnswerTimeout = 4;
const autoAnswerDelay = 2;

describe('agent features', () => {
  let kam, site, browser, a, b;

  // Ends the call from the first side that still has it live; the other
  // side's card may end meanwhile, so a vanished button is no error.
  const hangUpAll = async () => {
    for (const p of [a.page, b.page]) {
      const btn = p.locator('[data-testid="call"]:not([data-status="ended"])').getByRole('button', { name: /^(Hang up|Reject)$/ });
      if (await btn.count()) {
        await btn.first().click({ timeout: 2000 }).catch(() => {});
        break;
      }
    }
    for (const p of [a.page, b.page]) await p.locator('[data-testid="call"]').first().waitFor({ state: 'detached', timeout: 15000 });
  };

  before(async () => {
    kam = await startKamailio({ logMessages: true, testNumbers: true });
    site = await startSoftphone({
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url] },
        storageConfig: { location: 'localStorage' },
        noAnswerTimeout,
        ACDClientConfig: {
          enabled: true,
          notReadyDefaultReasonCode: '20',
          notReadyReasonCodeMapping: { 20: 'After call work', 10: 'Break' },
        },
        customerInfoContextDisplayMapping: { name: 'Customer', VIPLevel: 'VIP level', advice: 'Getting expert advice for the product' },
        contactCenterConfig: {
          integrations: [{
            enabled: true,
            contactCenterPlatform: 'genesys_pure_engage',
            serviceName: 'Genesys Pure Engage',
            customSipHeaderNames: { contactCenterCallUuidHeader: 'x-genesys-calluuid' },
          }],
          defaultSipHeaderNames: { contactCenterCallUuidHeader: 'call-id', contactCenterCallUserInfoHeader: 'x-customer-info' },
        },
        callHistoryConfig: { maxEntries, guiEnabled: true },
        autoAnswerOptions: { autoAnswerDefaultDelaySeconds: autoAnswerDelay },
      },
    });
    browser = await launchChromium();
    a = await openPhone(browser, site.url);
    b = await openPhone(browser, site.url);
    await signIn(a.page, 'alice', { displayName: 'Alice Agent' });
    await signIn(b.page, 'bob', { displayName: 'Bob Agent' });
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('shows X-Customer-Info mapped to readable text on the incoming and the active call', async () => {
    await dial(a.page, '*71bob');
    await waitCallStatus(b.page, 'incoming');
    const info = b.page.getByRole('region', { name: 'Customer information' });
    await info.waitFor();
    const text = (await info.innerText()).replace(/\s+/g, ' ');
    for (const want of ['Customer Dana Levi', 'VIP level gold', 'reason Getting expert advice for the product', 'Genesys Pure Engage call ID 00FA1B2C3D4E5F60']) {
      assert.ok(text.includes(want), `customer info shows ${JSON.stringify(text)}, want it to include ${JSON.stringify(want)}`);
    }
    await shot(b.page, '30-customer-info-incoming');
    await b.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await waitCallStatus(b.page, 'connected');
    await waitCallStatus(a.page, 'connected');
    assert.match(await info.innerText(), /Dana Levi/, 'customer info gone from the active call');
    await shot(b.page, '31-customer-info-active');
    await b.page.emulateMedia({ colorScheme: 'dark' });
    await shot(b.page, '31-customer-info-active-dark');
    await b.page.emulateMedia({ colorScheme: 'light' });
    await hangUpAll();
  });

  it('shows a malformed customer info raw and the call still works', async () => {
    await dial(a.page, '*72bob');
    await waitCallStatus(b.page, 'incoming');
    const info = b.page.getByRole('region', { name: 'Customer information' });
    assert.equal((await info.innerText()).trim(), 'name=Dana;not json');
    await b.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await waitCallStatus(a.page, 'connected');
    await shot(b.page, '32-customer-info-raw');
    await hangUpAll();
  });

  it('answers a Call-Info answer-after=0 call without a click', async () => {
    const clicks = [];
    await b.page.exposeFunction('__click', (what) => clicks.push(what));
    await b.page.evaluate(() => document.addEventListener('click', (e) => window.__click(e.target?.textContent ?? ''), true));
    await dial(a.page, '*73bob');
    await waitCallStatus(b.page, 'connected', 10000);
    await waitCallStatus(a.page, 'connected', 10000);
    assert.deepEqual(clicks, [], 'something was clicked on the callee page');
    // Kamailio logs the INVITE as it came, before its test route adds Call-Info.
    assert.ok(sipMessages(kam.logs()).some((m) => m.startsWith('INVITE sip:*73bob@')), 'no INVITE to *73bob reached Kamailio');
    await shot(b.page, '33-auto-answered');
    await hangUpAll();
  });

  it('answers an Alert-Info auto-answer call after autoAnswerDefaultDelaySeconds, counting down', async () => {
    await dial(a.page, '*74bob');
    await waitCallStatus(b.page, 'incoming');
    const rang = Date.now();
    const countdown = b.page.getByTestId('auto-answer');
    await countdown.waitFor();
    assert.match(await countdown.innerText(), /^Answering automatically in [12] s$/);
    await shot(b.page, '34-auto-answer-countdown');
    await waitCallStatus(b.page, 'connected', 10000);
    const took = (Date.now() - rang) / 1000;
    assert.ok(took >= autoAnswerDelay - 0.8 && took < autoAnswerDelay + 6, `answered ${took}s after ringing, want about ${autoAnswerDelay}s`);
    await waitCallStatus(a.page, 'connected');
    await hangUpAll();
  });

  it('not ready refuses calls with 486 and the reason code', async () => {
    const select = b.page.getByLabel('Agent state');
    await select.selectOption({ label: 'Not ready: Break' });
    await b.page.locator('[data-testid="agent-state"][data-ready="false"][data-reason="10"]').waitFor();
    await shot(b.page, '35-not-ready');
    await dial(a.page, 'bob');
    await waitCallStatus(a.page, 'ended', 10000);
    assert.match(await call(a.page).textContent(), /Busy/);
    assert.equal(await b.page.locator('[data-testid="call"]').count(), 0, 'the refused call is listed on the agent page');
    const busy = sipMessages(kam.logs()).filter((m) => m.startsWith('SIP/2.0 486'));
    assert.ok(busy.some((m) => /^X-Not-Ready-Reason-Code: 10\r?$/m.test(m)), `no 486 with X-Not-Ready-Reason-Code: 10 among ${busy.length} 486 responses`);
    await a.page.locator('[data-testid="call"]').first().waitFor({ state: 'detached', timeout: 10000 });
    // The state survives a reload.
    await b.page.reload();
    await waitRegistered(b.page);
    await b.page.locator('[data-testid="agent-state"][data-ready="false"][data-reason="10"]').waitFor();
    await b.page.getByLabel('Agent state').selectOption({ label: 'Ready' });
    await b.page.locator('[data-testid="agent-state"][data-ready="true"]').waitFor();
  });

  it('goes not ready with the default reason code after a missed call', async () => {
    await dial(a.page, 'bob');
    await waitCallStatus(b.page, 'incoming');
    await b.page.locator('[data-testid="agent-state"][data-ready="false"][data-reason="20"]').waitFor({ timeout: (noAnswerTimeout + 6) * 1000 });
    await b.page.getByRole('alert').filter({ hasText: 'not ready after a missed call' }).waitFor();
    await shot(b.page, '36-not-ready-after-missed-call');
    await b.page.getByLabel('Agent state').selectOption({ label: 'Ready' });
    for (const p of [a.page, b.page]) await p.locator('[data-testid="call"]').first().waitFor({ state: 'detached', timeout: 10000 });
  });

  it(`keeps exactly maxEntries (${maxEntries}) history entries, newest first, across reloads`, async () => {
    // bob took 5 calls, alice made 6: both lists are full.
    for (const [name, p, user] of [['alice', a.page, 'bob'], ['bob', b.page, 'alice']]) {
      await p.getByRole('button', { name: 'Call history' }).click();
      const entries = p.getByTestId('history-entry');
      await entries.first().waitFor();
      assert.equal(await entries.count(), maxEntries, `${name}: history entries`);
      assert.equal(await entries.first().getAttribute('data-user'), user, `${name}: newest entry`);
      const times = await p.locator('[data-testid="history-entry"] time').evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime'))));
      assert.deepEqual(times, [...times].sort((x, y) => y - x), `${name}: entries not newest first`);
    }
    assert.match(await b.page.getByTestId('history-entry').first().innerText(), /Missed/);
    await shot(b.page, '37-history');
    await b.page.reload();
    await waitRegistered(b.page);
    await b.page.getByRole('button', { name: 'Call history' }).click();
    await b.page.getByTestId('history-entry').first().waitFor();
    assert.equal(await b.page.getByTestId('history-entry').count(), maxEntries, 'bob: history entries after a reload');
  });

  it('redials from the history', async () => {
    await b.page.getByRole('button', { name: 'Call Alice Agent back' }).first().click();
    await waitCallStatus(a.page, 'incoming');
    assert.match(await call(a.page).textContent(), /Bob Agent/);
    await a.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await waitCallStatus(b.page, 'connected');
    await hangUpAll();
    await b.page.getByRole('button', { name: 'Call history' }).click();
    const entries = b.page.getByTestId('history-entry');
    await entries.first().waitFor();
    assert.equal(await entries.count(), maxEntries, 'bob: history entries after one more call');
    assert.equal(await entries.first().getAttribute('data-direction'), 'outgoing');
  });
});
