// The page under basePath /webrtc_client/ behind basic auth, as CTI desktops
// embed it: refused without credentials, working with them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { htpasswdFile, launchChromium, sipDomain, sipMessages, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { audioCodec, dial, openPhone, remoteSDP, signIn, waitCallStatus } from '../lib/phone.mjs';

describe('basePath /webrtc_client/ behind basic auth', () => {
  let kam, site, browser;
  const httpCredentials = { username: 'agent', password: 'agent-pass' };

  before(async () => {
    kam = await startKamailio({ logMessages: true });
    site = await startSoftphone({
      basePath: '/webrtc_client/',
      htpasswd: htpasswdFile(httpCredentials.username, httpCredentials.password),
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url] },
        dtmfUseWebRTC: false,
        dtmfInterToneGap: 100,
        codecFilter: { audio: { remove: ['opus'], priority: ['pcma'] } },
        customGeneralSIPHeaders: ['X-Agent-Site: e2e-lab'],
        registerExpires: 120,
        avoidTwoWayHold: true,
        useSessionTimer: true,
      },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('refuses the page without credentials', async () => {
    const res = await fetch(site.url);
    assert.equal(res.status, 401, `GET ${site.url} without credentials: status ${res.status}, want 401`);
  });

  it('loads every resource under the sub-path, registers and calls with SIP INFO DTMF and the codec filter', async () => {
    const a = await openPhone(browser, site.url, { httpCredentials });
    const b = await openPhone(browser, site.url, { httpCredentials });
    const failed = [];
    a.page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await a.page.reload();
    await signIn(a.page, 'dave');
    await signIn(b.page, 'erin');
    assert.deepEqual(failed, [], 'responses with errors under the sub-path');
    await dial(a.page, 'erin');
    await waitCallStatus(b.page, 'incoming');
    await b.page.getByRole('button', { name: 'Answer' }).click();
    await waitCallStatus(a.page, 'connected');
    // codecFilter removed opus and put PCMA first: the call runs on PCMA.
    assert.equal(await audioCodec(a.page), 'audio/PCMA');
    assert.doesNotMatch(await remoteSDP(b.page), /opus/i, "A's offer still carries opus");
    // avoidTwoWayHold: while A holds, B's Hold button is disabled.
    await a.page.getByRole('button', { name: 'Hold' }).click();
    await b.page.locator('[data-testid="call"][data-remote-hold="true"]').waitFor();
    assert.equal(await b.page.getByRole('button', { name: 'Hold' }).isDisabled(), true, "B's Hold button is usable during A's hold");
    await a.page.getByRole('button', { name: 'Resume' }).click();
    await b.page.locator('[data-testid="call"][data-remote-hold="false"]').waitFor();
    assert.equal(await b.page.getByRole('button', { name: 'Hold' }).isDisabled(), false, "B's Hold button stays disabled after A resumed");
    await a.page.getByRole('button', { name: 'Keypad' }).click();
    const pad = a.page.getByRole('group', { name: 'Keypad' });
    for (const k of ['4', '2']) await pad.getByRole('button', { name: k, exact: true }).click();
    await b.page.locator('[data-testid="received-tones"]', { hasText: '42' }).waitFor({ timeout: 10000 });
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await waitCallStatus(b.page, 'ended');
  });

  it('registers for registerExpires and offers session timers per useSessionTimer', async () => {
    const msgs = sipMessages(kam.logs());
    const registers = msgs.filter((m) => m.startsWith('REGISTER '));
    assert.ok(registers.length > 0, "no REGISTER in Kamailio's log");
    for (const m of registers) assert.match(m, /^Expires: 120\r?$/m, `REGISTER without Expires: 120:\n${m}`);
    const invite = msgs.find((m) => m.startsWith('INVITE '));
    assert.ok(invite, "no INVITE in Kamailio's log");
    assert.match(invite, /^Session-Expires: \d+/m, 'INVITE without Session-Expires');
    assert.match(invite, /^Supported:.*\btimer\b/m, 'INVITE does not announce timer support');
  });

  it('puts customGeneralSIPHeaders on REGISTER, INVITE and the answer, not on hold, DTMF or BYE', async () => {
    const msgs = sipMessages(kam.logs());
    const first = (re) => msgs.filter((m) => re.test(m.split('\r\n')[0].split('\n')[0]));
    const has = (m) => /^X-Agent-Site: e2e-lab\r?$/m.test(m);
    const cases = [
      ['REGISTER', /^REGISTER /, true],
      ['INVITE', /^INVITE /, true],
      ['re-INVITE for hold', /^INVITE /, false],
      ['200 OK answering the INVITE', /^SIP\/2\.0 200 /, true],
      ['DTMF INFO', /^INFO /, false],
      ['BYE', /^BYE /, false],
    ];
    for (const [name, re, want] of cases) {
      let found = first(re);
      // The answer is the first 200 OK to an INVITE; hold re-INVITEs come later and carry none.
      if (name.startsWith('200')) found = found.filter((m) => /^CSeq: \d+ INVITE\r?$/m.test(m)).slice(0, 1);
      const inDialog = (m) => /^To: .*;tag=/m.test(m);
      if (name === 'INVITE') found = found.filter((m) => !inDialog(m) && /^Proxy-Authorization:/m.test(m));
      if (name === 're-INVITE for hold') found = found.filter(inDialog);
      assert.ok(found.length > 0, `no ${name} in Kamailio's log`);
      for (const m of found) assert.equal(has(m), want, `${name} ${want ? 'lacks' : 'carries'} X-Agent-Site:\n${m}`);
    }
  });
});
