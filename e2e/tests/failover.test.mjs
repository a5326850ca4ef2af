// SBC failover: with prioritize, a dead first address is skipped and the
// phone registers through the next one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, launchChromium, sipDomain, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { openPhone, registeredAt, signIn } from '../lib/phone.mjs';

describe('SBC failover', () => {
  let kam, site, browser, dead;

  before(async () => {
    kam = await startKamailio();
    // A port nobody listens on: connections are refused at once.
    dead = `ws://127.0.0.1:${await freePort()}`;
    site = await startSoftphone({
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [dead, kam.url], prioritize: true },
        reconnectIntervalMin: 1,
        reconnectIntervalMax: 2,
      },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('registers through the next SBC when the first is dead', async () => {
    const { page } = await openPhone(browser, site.url);
    await signIn(page, 'carol');
    const line = page.locator('[data-line="main"]');
    assert.equal(await line.getAttribute('data-server'), kam.url, 'registered through the wrong SBC');
    console.log(`# page load to registered with a dead first SBC (includes typing the sign-in form): ${(await registeredAt(page)).toFixed(0)} ms`);
  });
});
