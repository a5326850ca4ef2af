// Agent Assist against a local socket.io server (the npm socket.io package)
// playing the Agent Assist service: the client connects on the configured
// service path with the agent's token, asks for the configured bot for the
// connected call, shows the transcript with the caller and callee named by
// agentAssistDefaultConversationConfig.defaultRoles and the bot's message,
// stops the bot when the call ends, and keeps at most
// agentAssistMaxHistoryEntries past sessions across a reload.
// socket.io-client is not loaded before a call connects.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Server } from 'socket.io';
import { freePort, launchChromium, sipDomain, startKamailio, startSoftphone, stopAll } from '../lib/env.mjs';
import { dial, openPhone, shot, signIn, waitCallStatus } from '../lib/phone.mjs';

const token = 'e2e-assist-token';
const path = '/agentAssist/socket.io';
const roles = { caller: 'customer', callee: 'agent' };

/**
 * startService runs the service's side of the protocol the client follows
 * (see webclient/src/assist/session.ts): token in the handshake query,
 * "conversation.start" acknowledged with a conversation id, then transcript
 * lines and a bot message; "conversation.end" acknowledged.
 */
async function startService(allowOrigin) {
  const port = await freePort();
  const http = createServer();
  const io = new Server(http, { path, cors: { origin: allowOrigin } });
  const seen = { handshakes: [], starts: [], ends: [], upgrades: 0 };
  io.use((socket, next) => {
    seen.handshakes.push(socket.handshake.query);
    // The customer's phone has the same config but no token: refused.
    if (socket.handshake.query.token !== token) return next(new Error('unauthorized'));
    next();
  });
  io.on('connection', (socket) => {
    // socket.io starts with HTTP long-polling and upgrades to a WebSocket.
    socket.conn.once('upgrade', () => seen.upgrades++);
    socket.on('conversation.start', (req, ack) => {
      seen.starts.push({ ...req, token: socket.handshake.query.token });
      const conversationId = `conv-${seen.starts.length}`;
      ack({ success: true, conversationId });
      const n = seen.starts.length;
      const say = [
        ['conversation.transcript', { conversationId, participant: roles.caller, text: `My card is bloc`, final: false }],
        ['conversation.transcript', { conversationId, participant: roles.caller, text: `My card is blocked (call ${n})` }],
        ['conversation.transcript', { conversationId, participant: roles.callee, text: 'Let me check that for you' }],
        ['conversation.transcript', { conversationId, participant: 'participant', text: 'An unnamed participant' }],
        ['conversation.activity', { conversationId, type: 'message', text: 'Suggest a replacement card' }],
      ];
      for (const [event, payload] of say) socket.emit(event, payload);
    });
    socket.on('conversation.end', (req, ack) => {
      seen.ends.push(req);
      ack?.({ success: true });
    });
  });
  await new Promise((res) => http.listen(port, '127.0.0.1', res));
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((res) => io.close(() => res())) };
}

async function waitFor(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Agent Assist', () => {
  let kam, site, service, browser, agent, customer;
  const requests = [];

  before(async () => {
    kam = await startKamailio({});
    const sitePort = await freePort();
    service = await startService(`http://127.0.0.1:${sitePort}`);
    site = await startSoftphone({
      port: sitePort,
      advancedOptions: {
        defaultServerConfig: { sipDomain, sipServerAddress: [kam.url] },
        isAgentAssistEnabled: true,
        agentAssistDefaultServiceUrl: service.url,
        agentAssistDefaultServicePath: path,
        agentAssistDefaultBotName: 'card-helper',
        agentAssistMaxHistoryEntries: 2,
        agentAssistDefaultConversationConfig: { defaultRoles: roles },
      },
    });
    browser = await launchChromium();
    agent = await openPhone(browser, site.url, { viewport: { width: 1100, height: 800 } });
    customer = await openPhone(browser, site.url);
    agent.page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await agent.page.reload();
    await signIn(agent.page, 'vera', { displayName: 'Vera Agent' });
    await signIn(customer.page, 'walt', { displayName: 'Walt Customer' });
  });

  after(async () => {
    await browser?.close();
    await service?.close();
    stopAll();
  });

  it('lets the page connect to the service over HTTP and WebSocket (CSP connect-src)', async () => {
    const csp = (await fetch(site.url)).headers.get('content-security-policy') ?? '';
    const connect = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('connect-src ')) ?? '';
    const host = new URL(service.url).host;
    for (const origin of [`http://${host}`, `ws://${host}`]) {
      assert.ok(connect.split(' ').includes(origin), `connect-src lacks ${origin}: ${connect}`);
    }
  });

  it('lets the agent enter the service token in the settings', async () => {
    const p = agent.page;
    await p.getByRole('button', { name: 'Settings' }).click();
    assert.equal(await p.getByLabel('Bot name').inputValue(), 'card-helper');
    assert.equal(await p.getByLabel('Agent Assist service URL').inputValue(), service.url);
    assert.equal(await p.getByLabel('Service path').inputValue(), path);
    await p.getByLabel('Access token').fill(token);
    await p.getByLabel('Access token').press('Tab');
    await shot(p, '80-settings-agent-assist');
    await p.getByRole('button', { name: 'Cancel' }).click();
  });

  const talk = async (n) => {
    await dial(customer.page, 'vera');
    await waitCallStatus(agent.page, 'incoming');
    if (n === 1) {
      assert.deepEqual(requests.filter((r) => /\/static\/js\/connect\.[\w-]+\.js$/.test(r)), [], 'socket.io-client loaded before a call connected');
      assert.equal(service.seen.handshakes.length, 0, 'the client connected to the service before a call');
    }
    await agent.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await waitCallStatus(agent.page, 'connected');
    const panel = agent.page.getByTestId('agent-assist');
    await panel.locator(':scope > .assist-lines .from-bot').waitFor({ timeout: 15000 });
    return panel;
  };

  const hangUp = async () => {
    await agent.page.getByRole('button', { name: 'Hang up' }).click();
    for (const p of [agent.page, customer.page]) await p.locator('[data-testid="call"]').first().waitFor({ state: 'detached', timeout: 15000 });
  };

  it('shows the transcript by role and the bot\'s message beside the call', async () => {
    const panel = await talk(1);
    const start = service.seen.starts.at(-1);
    assert.equal(start.token, token, 'the request came without the agent\'s token');
    assert.equal(start.botName, 'card-helper');
    assert.equal(start.caller, 'walt');
    assert.equal(start.callee, 'vera');
    assert.ok(typeof start.callId === 'string' && start.callId.length > 8, `callId ${start.callId}`);
    assert.deepEqual(start.conversationConfig, { defaultRoles: roles });

    const lines = await panel.locator(':scope > .assist-lines li').evaluateAll((els) =>
      els.map((e) => [e.dataset.from, e.querySelector('.assist-who').textContent, e.querySelector('.assist-text').textContent]));
    assert.deepEqual(lines, [
      ['caller', 'Caller', 'My card is blocked (call 1)'],
      ['callee', 'Callee', 'Let me check that for you'],
      ['other', 'participant', 'An unnamed participant'],
      ['bot', 'Assistant', 'Suggest a replacement card'],
    ]);
    await panel.getByRole('status').filter({ hasText: 'The assistant is listening.' }).waitFor();
    await shot(agent.page, '81-agent-assist-call');
    await waitFor('the upgrade to a WebSocket (blocked by the CSP without the ws:// origin)', () => service.seen.upgrades >= 1);
    await hangUp();
    await waitFor('conversation.end', () => service.seen.ends.length === 1);
    assert.deepEqual(service.seen.ends[0], { conversationId: 'conv-1' });
  });

  it('keeps at most agentAssistMaxHistoryEntries sessions, across a reload', async () => {
    const history = agent.page.getByTestId('assist-history');
    await history.getByText('Recent assist sessions (1)').waitFor();
    for (const n of [2, 3]) {
      await talk(n);
      await hangUp();
    }
    await agent.page.reload();
    await history.getByText('Recent assist sessions (2)').waitFor({ timeout: 15000 });
    await history.locator('summary').first().click();
    const entries = history.getByTestId('assist-history-entry');
    assert.equal(await entries.count(), 2);
    await entries.first().locator('summary').click();
    const first = await entries.first().locator('.assist-text').allTextContents();
    assert.ok(first.includes('My card is blocked (call 3)') && first.includes('Suggest a replacement card'), `newest session: ${first.join(' | ')}`);
    const all = await history.locator('.assist-text').allTextContents();
    assert.ok(!all.some((t) => t.includes('(call 1)')), 'the oldest session was kept beyond agentAssistMaxHistoryEntries');
    await shot(agent.page, '82-agent-assist-history');
  });
});
