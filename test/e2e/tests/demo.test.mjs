// `make demo` from a clean state: examples/kamailio/demo.sh starts the example
// Kamailio and softphone on the ports given, and two agents in two browser
// contexts sign in with the demo password and call each other.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, launchChromium, repoRoot, scratch, softphoneBinary, start, stopAll } from '../lib/env.mjs';
import { dial, openPhone, signIn, waitCallStatus } from '../lib/phone.mjs';

describe('make demo', () => {
  let demo, browser, url;

  before(async () => {
    const [httpPort, sipPort] = [await freePort(), await freePort()];
    demo = start('demo', join(repoRoot, 'examples/kamailio/demo.sh'), [], {
      cwd: repoRoot,
      env: { ...process.env, DEMO_HTTP_PORT: String(httpPort), DEMO_SIP_PORT: String(sipPort), DEMO_DIR: scratch('demo-'), DEMO_SOFTPHONE_BIN: softphoneBinary() },
    });
    // The script prints the address once both parts listen.
    const until = Date.now() + 60000;
    while (!demo.logs().includes('The demo runs')) {
      if (demo.child.exitCode !== null) throw new Error(`make demo exited (${demo.child.exitCode}):\n${demo.logs()}`);
      if (Date.now() > until) throw new Error(`make demo did not start within 60 s:\n${demo.logs()}`);
      await new Promise((r) => demo.child.stdout.once('data', r).once('close', r));
    }
    url = /http:\/\/localhost:\d+\//.exec(demo.logs())[0];
    assert.equal(url, `http://localhost:${httpPort}/`);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    stopAll();
  });

  it('gives two agents that call each other', async () => {
    const a = await openPhone(browser, url);
    const b = await openPhone(browser, url);
    await signIn(a.page, 'agent1', { password: 'demo' });
    await signIn(b.page, 'agent2', { password: 'demo' });
    await dial(a.page, 'agent2');
    await waitCallStatus(b.page, 'incoming');
    await b.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await waitCallStatus(a.page, 'connected');
    await waitCallStatus(b.page, 'connected');
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await waitCallStatus(b.page, 'ended');
  });
});
