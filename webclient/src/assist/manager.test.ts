import { describe, expect, it } from 'vitest';
import type { Call, CallSnapshot } from '../sip/call';
import { readAssistConfig, writeSettings } from './config';
import { readAssistHistory } from './history';
import { AssistManager } from './manager';
import { events, type AssistSocket } from './session';

// The socket and the calls are stand-ins with just what the manager reads:
// the protocol runs against a real socket.io server in e2e/tests/assist.test.mjs.
class FakeSocket implements AssistSocket {
  handlers = new Map<string, ((...a: never[]) => void)[]>();
  sent: { event: string; args: unknown[] }[] = [];
  on(event: string, fn: (...a: never[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
  }
  emit(event: string, ...args: unknown[]) {
    this.sent.push({ event, args });
  }
  disconnect() {}
  fire(event: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(event) ?? []) (fn as (...a: unknown[]) => void)(...args);
  }
}

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() { return m.size; },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, v),
  };
}

function fakeCall(id: string, status: CallSnapshot['status']): Call & { snapshot: CallSnapshot } {
  return {
    snapshot: { id: id + 'tag', direction: 'incoming', remoteUser: 'walt', remoteName: 'Walt', status } as CallSnapshot,
    session: { _request: { call_id: id } },
  } as unknown as Call & { snapshot: CallSnapshot };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('AssistManager', () => {
  const cfg = readAssistConfig({ isAgentAssistEnabled: true, agentAssistDefaultBotName: 'helper', agentAssistDefaultServiceUrl: 'https://vaic.example.com', agentAssistMaxHistoryEntries: 2 });

  it('starts when a call connects, ends with it, and keeps at most max sessions', async () => {
    const storage = memoryStorage();
    const sockets: FakeSocket[] = [];
    const m = new AssistManager(cfg, storage, async () => () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    });
    for (const id of ['a', 'b', 'c']) {
      const call = fakeCall(id, 'incoming');
      m.sync([call], 'vera');
      await tick();
      expect(m.state(call)).toBeNull();
      call.snapshot = { ...call.snapshot, status: 'connected' };
      m.sync([call], 'vera');
      await tick();
      const socket = sockets.at(-1)!;
      socket.fire('connect');
      const start = socket.sent.find((x) => x.event === events.start)!;
      expect(start.args[0]).toMatchObject({ botName: 'helper', callId: id, caller: 'walt', callee: 'vera' });
      (start.args[1] as (a: unknown) => void)({ success: true, conversationId: id });
      socket.fire(events.activity, { conversationId: id, type: 'message', text: `tip ${id}` });
      expect(m.state(call)?.lines.map((l) => l.text)).toEqual([`tip ${id}`]);
      call.snapshot = { ...call.snapshot, status: 'ended' };
      m.sync([call], 'vera');
      expect(socket.sent.at(-1)?.event).toBe(events.end);
      m.sync([], 'vera');
    }
    expect(sockets).toHaveLength(3);
    expect(m.history.map((e) => e.callId)).toEqual(['c', 'b']);
    expect(readAssistHistory(storage, 'vera', 50).map((e) => e.lines[0].text)).toEqual(['tip c', 'tip b']);
    m.sync([], 'walt');
    expect(m.history).toEqual([]);
  });

  it('says what is missing instead of connecting', async () => {
    const storage = memoryStorage();
    writeSettings(storage, { botName: 'helper', serviceUrl: 'not a url', servicePath: '/socket.io', token: '' });
    let opened = 0;
    const m = new AssistManager(cfg, storage, async () => () => {
      opened++;
      return new FakeSocket();
    });
    const call = fakeCall('x', 'connected');
    m.sync([call], 'vera');
    await tick();
    expect(m.state(call)).toMatchObject({ status: 'failed', error: 'ASSIST_NO_URL' });
    expect(opened).toBe(0);
  });
});
