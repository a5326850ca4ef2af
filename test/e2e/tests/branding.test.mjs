// Text and brand resources come from the served tree: an admin's
// strings file (here through a branding folder and
// localizationConfig.defaultLanguageResourceURL) changes the UI text and locale.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brandingFolder, launchChromium, repoRoot, screenshotDir, sipDomain, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { openPhone, signIn } from '../lib/phone.mjs';

describe('localization and branding', () => {
  let kam, site, browser;

  before(async () => {
    kam = await startKamailio();
    const defaults = JSON.parse(readFileSync(join(repoRoot, 'assets/files/static/localization/strings-default.json'), 'utf8'));
    const german = {
      ...Object.fromEntries(Object.keys(defaults).map((k) => [k, ''])),
      LANGUAGE_RESOURCE_LOCALE: 'de-DE',
      SIGN_IN_TITLE: 'Bei Ihrer Leitung anmelden',
      SIP_USER: 'SIP-Benutzer',
      SIP_PASSWORD: 'Kennwort',
      SIGN_IN: 'Anmelden',
      CALL: 'Anrufen',
      REGISTRATION_REGISTERED: 'Angemeldet',
    };
    site = await startSoftphone({
      brandingDir: brandingFolder({ 'static/localization/strings-de.json': JSON.stringify(german, null, 2) }),
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url] },
        localizationConfig: { defaultLanguageResourceURL: 'static/localization/strings-de.json', waitForDefaultResourceFetch: true },
      },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('shows the configured text resource, English where it is empty', async () => {
    const { page } = await openPhone(browser, site.url, { viewport: { width: 340, height: 640 } });
    await page.getByRole('heading', { name: 'Bei Ihrer Leitung anmelden' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'de-DE');
    await page.getByLabel('SIP-Benutzer').fill('mia');
    await page.getByLabel('Kennwort').fill('e2e-secret');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.locator('[data-line="main"][data-state="registered"]', { hasText: 'Angemeldet' }).waitFor({ timeout: 15000 });
    await page.getByRole('button', { name: 'Anrufen' }).waitFor();
    // Keys left empty fall back to English.
    await page.getByPlaceholder('Number or SIP address').waitFor();
    await page.screenshot({ path: join(screenshotDir(), '24-localized.png'), fullPage: true });
  });
});
