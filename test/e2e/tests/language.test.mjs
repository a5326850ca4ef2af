// The agent's language: a German strings file (LANGUAGE_RESOURCE_LOCALE
// de-DE) changes the visible text of the agent features and the date and
// time format of the call history; keys left empty stay English.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brandingFolder, launchChromium, repoRoot, screenshotDir, sipDomain, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { openPhone, waitCallStatus, waitRegistered } from '../lib/phone.mjs';

describe('language of the agent features', () => {
  let kam, site, browser;

  before(async () => {
    kam = await startKamailio();
    const defaults = JSON.parse(readFileSync(join(repoRoot, 'assets/files/static/localization/strings-default.json'), 'utf8'));
    const german = {
      ...Object.fromEntries(Object.keys(defaults).map((k) => [k, ''])),
      LANGUAGE_RESOURCE_LOCALE: 'de-DE',
      SIP_USER: 'SIP-Benutzer',
      SIP_PASSWORD: 'Kennwort',
      SIGN_IN: 'Anmelden',
      CALL: 'Anrufen',
      ANSWER: 'Annehmen',
      REJECT: 'Ablehnen',
      HISTORY: 'Anrufliste',
      HISTORY_INCOMING: 'Eingehend',
      HISTORY_MISSED: 'Verpasst',
      CALL_ENDED_REJECTED: 'Abgelehnt',
      AGENT_STATE: 'Status',
      AGENT_READY: 'Bereit',
      AGENT_NOT_READY_REASON: 'Nicht bereit: {reason}',
    };
    site = await startSoftphone({
      brandingDir: brandingFolder({ 'static/localization/strings-de.json': JSON.stringify(german, null, 2) }),
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url] },
        localizationConfig: { defaultLanguageResourceURL: 'static/localization/strings-de.json', waitForDefaultResourceFetch: true },
        ACDClientConfig: { enabled: true, notReadyReasonCodeMapping: { 10: 'Pause' } },
      },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  const signIn = async (page, user) => {
    await page.getByLabel('SIP-Benutzer').fill(user);
    await page.getByLabel('Kennwort').fill('e2e-secret');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await waitRegistered(page);
  };

  it('shows German text and German dates in the history', async () => {
    const a = await openPhone(browser, site.url);
    const b = await openPhone(browser, site.url, { viewport: { width: 340, height: 640 } });
    await signIn(a.page, 'anna');
    await signIn(b.page, 'bernd');
    const state = b.page.getByLabel('Status');
    assert.deepEqual(await state.locator('option').allTextContents(), ['Bereit', 'Nicht bereit: Pause']);

    await a.page.getByLabel('Number or SIP address').fill('bernd');
    await a.page.getByRole('button', { name: 'Anrufen' }).click();
    await waitCallStatus(b.page, 'incoming');
    await b.page.getByRole('button', { name: 'Ablehnen' }).click();
    await waitCallStatus(a.page, 'ended');
    await b.page.locator('[data-testid="call"]').first().waitFor({ state: 'detached', timeout: 10000 });

    await b.page.getByRole('button', { name: 'Anrufliste' }).click();
    await b.page.getByRole('heading', { name: 'Anrufliste' }).waitFor();
    const entry = b.page.getByTestId('history-entry').first();
    assert.match(await entry.innerText(), /Eingehend · Abgelehnt/);
    const shown = await entry.locator('time').innerText();
    // de-DE short date and time: "21.11.26, 22:55"; en-US would be "11/21/26, 10:55 PM".
    assert.match(shown, /^\d{2}\.\d{2}\.\d{2}, \d{2}:\d{2}$/, `history time ${JSON.stringify(shown)} is not in the German format`);
    const iso = await entry.locator('time').getAttribute('datetime');
    const want = new Intl.DateTimeFormat('de-DE', { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
    assert.equal(shown, want);
    await b.page.screenshot({ path: join(screenshotDir(), '45-history-german.png'), fullPage: true });
  });
});
