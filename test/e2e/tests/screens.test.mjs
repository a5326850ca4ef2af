// Screenshots of every screen, in a narrow docked window and a full tab, in
// light and dark, written to e2e/out/screenshots/ for people to look at.
// Each step also checks the screen shows what it is for.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchChromium, sipDomain, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { dial, openPhone, shot, signIn, waitCallStatus } from '../lib/phone.mjs';

const narrow = { width: 340, height: 640 };
const wide = { width: 1280, height: 760 };

describe('screens', () => {
  let kam, site, locked, browser;

  before(async () => {
    kam = await startKamailio();
    site = await startSoftphone({
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url] },
        mediaDeviceSettings: { allowMediaDeviceSelection: true },
        noAnswerTimeout: 60,
      },
    });
    locked = await startSoftphone({
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url], disableEditing: true },
        sipAccountGUIConfig: { sipDisplayNameHidden: true },
        disableOutgoingCalls: true,
      },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('sign-in, idle, calls, hold, keypad, transfer, several calls, settings', async () => {
    const a = await openPhone(browser, site.url, { viewport: narrow });
    const b = await openPhone(browser, site.url, { viewport: wide });
    const c = await openPhone(browser, site.url, { viewport: narrow, colorScheme: 'dark' });
    await a.page.getByLabel('SIP user').waitFor();
    await shot(a.page, '01-sign-in-narrow');
    await shot(b.page, '02-sign-in-wide');
    await shot(c.page, '03-sign-in-dark');

    await signIn(a.page, 'frank', { displayName: 'Frank' });
    await signIn(b.page, 'grace', { displayName: 'Grace Hopper' });
    await signIn(c.page, 'heidi', { displayName: 'Heidi' });
    await shot(a.page, '04-idle-narrow');
    await shot(b.page, '05-idle-wide');
    await shot(c.page, '06-idle-dark');

    await dial(a.page, 'grace');
    await waitCallStatus(b.page, 'incoming');
    await waitCallStatus(a.page, 'ringing');
    await shot(a.page, '07-outgoing-ringing');
    await shot(b.page, '08-incoming-wide');
    const focused = await b.page.evaluate(() => document.activeElement?.className);
    assert.equal(focused, 'answer', 'the Answer button should have the keyboard focus on an incoming call');

    await b.page.keyboard.press('Enter');
    await waitCallStatus(a.page, 'connected');
    await a.page.getByRole('button', { name: 'Keypad' }).click();
    await a.page.getByRole('group', { name: 'Keypad' }).getByRole('button', { name: '5', exact: true }).click();
    await shot(a.page, '09-connected-keypad');
    await a.page.getByRole('button', { name: 'Hide keypad' }).click();
    await a.page.getByRole('button', { name: 'Hold' }).click();
    await b.page.locator('[data-testid="call"][data-remote-hold="true"]').waitFor();
    await shot(a.page, '10-on-hold');
    await shot(b.page, '11-held-by-remote-wide');
    await a.page.getByRole('button', { name: 'Resume' }).click();
    await a.page.getByRole('button', { name: 'Transfer' }).click();
    await a.page.getByLabel('Transfer to').fill('heidi');
    await shot(a.page, '12-transfer');
    await a.page.getByRole('button', { name: 'Transfer', expanded: true }).click();
    await a.page.getByLabel('Transfer to').waitFor({ state: 'detached' });

    // Heidi calls Grace while Grace is on the call with Frank: call waiting.
    await dial(c.page, 'grace');
    await b.page.locator('[data-testid="call"][data-status="incoming"]').waitFor();
    await shot(b.page, '13-call-waiting-wide');
    await shot(c.page, '14-outgoing-dark');
    await b.page.getByRole('button', { name: 'Answer' }).click();
    await waitCallStatus(c.page, 'connected');
    await shot(b.page, '15-two-calls-wide');
    await b.page.getByRole('button', { name: /Show all calls/ }).click();
    // Answering the second call put the first on hold.
    await b.page.locator('[data-testid="call"][data-local-hold="true"]', { hasText: 'Frank' }).waitFor();
    await shot(b.page, '16-two-calls-expanded-wide');
    assert.equal(await b.page.locator('[data-testid="call"]').count(), 2, 'expanded list should show both calls');

    await b.page.getByRole('button', { name: 'Hang up' }).first().click();
    await waitCallStatus(c.page, 'ended');
    await shot(c.page, '17-call-ended-dark');

    await a.page.getByRole('button', { name: 'Settings' }).click();
    await a.page.getByRole('heading', { name: 'Settings' }).waitFor();
    await shot(a.page, '18-settings-narrow');
    await c.page.getByRole('button', { name: 'Settings' }).click();
    await shot(c.page, '19-settings-dark');
    await a.page.keyboard.press('Escape');
    await a.page.getByRole('heading', { name: 'Settings' }).waitFor({ state: 'detached' });
  });

  it('honours disableEditing, sipDisplayNameHidden and disableOutgoingCalls', async () => {
    const { page } = await openPhone(browser, locked.url, { viewport: narrow });
    await page.getByLabel('SIP user').waitFor();
    assert.equal(await page.getByLabel('Display name').count(), 0, 'display name shown although sipDisplayNameHidden');
    assert.equal(await page.getByLabel('SIP domain').getAttribute('readonly'), '', 'SIP domain editable although disableEditing');
    await shot(page, '21-sign-in-locked-server');
    await signIn(page, 'kim');
    assert.equal(await page.getByLabel('Number or SIP address').count(), 0, 'dialer shown although disableOutgoingCalls');
    await page.getByText('Outgoing calls are disabled.').waitFor();
    await shot(page, '22-idle-outgoing-disabled');
  });

  it('hides the server settings when guiEnabled is false', async () => {
    const hidden = await startSoftphone({
      advancedOptions: { defaultServerConfig: { sipDomain, sipServerAddress: [kam.url], guiEnabled: false } },
    });
    const { page } = await openPhone(browser, hidden.url, { viewport: narrow });
    await page.getByLabel('SIP user').waitFor();
    assert.equal(await page.getByLabel('SIP domain').count(), 0, 'server settings shown although guiEnabled is false');
    await shot(page, '23-sign-in-no-server-settings');
    await signIn(page, 'leo');
  });
});
