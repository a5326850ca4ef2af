import { describe, expect, it } from 'vitest';
import { readAssistConfig, readSettings, settingsProblem, writeSettings } from './config';
import { addAssistEntry, readAssistHistory, writeAssistHistory } from './history';
import { addLine, AssistSession, events, roleOf, type AssistSocket } from './session';

// A socket.io socket's surface, in memory: the unit tests drive the
// session's protocol without a network (e2e/tests/assist.test.mjs runs it
// against a real socket.io server).
class FakeSocket implements AssistSocket {
  handlers = new Map<string, ((...a: never[]) => void)[]>();
  sent: { event: string; args: unknown[] }[] = [];
  closed = false;
  active = true;
  on(event: string, fn: (...a: never[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
  }
  emit(event: string, ...args: unknown[]) {
    this.sent.push({ event, args });
  }
  disconnect() {
    this.closed = true;
  }
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

const roles = { caller: 'customer', callee: 'agent' };
const call = { callId: 'abc@host', caller: '+15551234', callee: 'vera' };

function started(ack: unknown = { success: true, conversationId: 'c1' }) {
  const socket = new FakeSocket();
  const s = new AssistSession(socket, { botName: 'helper', call, conversationConfig: { defaultRoles: roles }, roles }, () => 1000);
  socket.fire('connect');
  const start = socket.sent.find((m) => m.event === events.start);
  (start?.args[1] as (a: unknown) => void)?.(ack);
  return { socket, s, start };
}

describe('readAssistConfig', () => {
  it('has the manual defaults', () => {
    const c = readAssistConfig({});
    expect(c).toMatchObject({ enabled: false, botName: '', serviceUrl: '', servicePath: '/socket.io', maxHistory: 50, roles: { caller: 'participant', callee: 'participant-2' } });
  });
  it('reads every key', () => {
    const c = readAssistConfig({
      isAgentAssistEnabled: true, agentAssistDefaultBotName: 'helper', agentAssistDefaultServiceUrl: 'https://vaic.example.com',
      agentAssistDefaultServicePath: '/agentAssist/socket.io', agentAssistMaxHistoryEntries: 3,
      agentAssistDefaultConversationConfig: { defaultRoles: roles },
    });
    expect(c).toMatchObject({ enabled: true, botName: 'helper', serviceUrl: 'https://vaic.example.com', servicePath: '/agentAssist/socket.io', maxHistory: 3, roles });
  });
  it('takes the default for a mistyped value', () => {
    expect(readAssistConfig({ isAgentAssistEnabled: 'yes', agentAssistMaxHistoryEntries: -1 })).toMatchObject({ enabled: false, maxHistory: 50 });
  });
});

describe('assist settings', () => {
  const cfg = readAssistConfig({ agentAssistDefaultBotName: 'helper', agentAssistDefaultServiceUrl: 'https://vaic.example.com' });
  it('default to the configuration and keep the agent\'s choice', () => {
    const s = memoryStorage();
    expect(readSettings(s, cfg)).toEqual({ botName: 'helper', serviceUrl: 'https://vaic.example.com', servicePath: '/socket.io', token: '' });
    writeSettings(s, { botName: 'other', serviceUrl: '', servicePath: '/aa/socket.io', token: 't' });
    expect(readSettings(s, cfg)).toEqual({ botName: 'other', serviceUrl: 'https://vaic.example.com', servicePath: '/aa/socket.io', token: 't' });
  });
  it('name what is missing', () => {
    expect(settingsProblem({ botName: 'b', serviceUrl: 'vaic.example.com', servicePath: '/', token: '' })).toBe('ASSIST_NO_URL');
    expect(settingsProblem({ botName: '', serviceUrl: 'https://vaic.example.com', servicePath: '/', token: '' })).toBe('ASSIST_NO_BOT');
    expect(settingsProblem({ botName: 'b', serviceUrl: 'https://vaic.example.com', servicePath: '/', token: '' })).toBeNull();
  });
});

describe('AssistSession', () => {
  it('requests the bot for the call once connected', () => {
    const { start, s } = started();
    expect(start?.args[0]).toEqual({ botName: 'helper', callId: 'abc@host', caller: '+15551234', callee: 'vera', conversationConfig: { defaultRoles: roles } });
    expect(s.state.status).toBe('active');
  });

  it('shows transcript lines by role and the bot\'s messages', () => {
    const { socket, s } = started();
    socket.fire(events.transcript, { conversationId: 'c1', participant: 'customer', text: 'My card is blocked' });
    socket.fire(events.transcript, { conversationId: 'c1', participant: 'agent', text: 'Let me check' });
    socket.fire(events.transcript, { conversationId: 'c1', participant: 'supervisor', text: 'hi' });
    socket.fire(events.activity, { conversationId: 'c1', type: 'message', text: 'Offer a new card' });
    socket.fire(events.transcript, { conversationId: 'other', participant: 'customer', text: 'not ours' });
    socket.fire(events.activity, { conversationId: 'c1', type: 'event', text: 'ignored' });
    expect(s.state.lines.map((l) => [l.from, l.text, l.participant])).toEqual([
      ['caller', 'My card is blocked', undefined],
      ['callee', 'Let me check', undefined],
      ['other', 'hi', 'supervisor'],
      ['bot', 'Offer a new card', undefined],
    ]);
  });

  it('replaces a partial line with the next one from the same speaker', () => {
    const { socket, s } = started();
    socket.fire(events.transcript, { participant: 'customer', text: 'My ca', final: false });
    socket.fire(events.transcript, { participant: 'agent', text: 'Yes', final: false });
    socket.fire(events.transcript, { participant: 'customer', text: 'My card is blocked' });
    expect(s.state.lines.map((l) => [l.text, !!l.partial])).toEqual([['Yes', true], ['My card is blocked', false]]);
    s.end();
    expect(s.state.lines.map((l) => l.text)).toEqual(['My card is blocked']);
  });

  it('fails with the service\'s reason when refused', () => {
    const { socket, s } = started({ success: false, error: 'unknown bot' });
    expect(s.state).toMatchObject({ status: 'failed', error: 'unknown bot' });
    expect(socket.closed).toBe(true);
  });

  it('fails when the service refuses the connection, and retries otherwise', () => {
    const socket = new FakeSocket();
    const s = new AssistSession(socket, { botName: 'helper', call, conversationConfig: {}, roles });
    socket.fire('connect_error', new Error('xhr poll error'));
    expect(s.state).toMatchObject({ status: 'connecting', error: 'xhr poll error' });
    socket.active = false;
    socket.fire('connect_error', new Error('unauthorized'));
    expect(s.state).toMatchObject({ status: 'failed', error: 'unauthorized' });
  });

  it('requests the bot again after a reconnection, keeping the transcript', () => {
    const { socket, s } = started();
    socket.fire(events.transcript, { conversationId: 'c1', participant: 'customer', text: 'Hello' });
    socket.fire('connect');
    const again = socket.sent.filter((m) => m.event === events.start);
    expect(again).toHaveLength(2);
    (again[1].args[1] as (a: unknown) => void)({ success: true, conversationId: 'c2' });
    socket.fire(events.transcript, { conversationId: 'c2', participant: 'agent', text: 'Hi' });
    expect(s.state.lines.map((l) => l.text)).toEqual(['Hello', 'Hi']);
  });

  it('asks the service to stop when the call ends', () => {
    const { socket, s } = started();
    s.end();
    expect(socket.sent.at(-1)).toMatchObject({ event: events.end, args: [{ conversationId: 'c1' }, expect.any(Function)] });
    expect(s.state.status).toBe('ended');
  });

  it('maps roles by participant name', () => {
    expect(roleOf('participant', { caller: 'participant', callee: 'participant-2' })).toBe('caller');
    expect(roleOf('participant-2', { caller: 'participant', callee: 'participant-2' })).toBe('callee');
    expect(addLine([], { from: 'bot', text: 'x', at: 1 })).toHaveLength(1);
  });
});

describe('assist history', () => {
  const entry = (callId: string) => ({ callId, remote: 'r', botName: 'b', startedAt: 1, lines: [{ from: 'bot' as const, text: 't', at: 1 }] });
  it('keeps at most max sessions, newest first, per user', () => {
    const s = memoryStorage();
    let list = addAssistEntry([], entry('1'), 2);
    list = addAssistEntry(list, entry('2'), 2);
    list = addAssistEntry(list, entry('3'), 2);
    expect(list.map((e) => e.callId)).toEqual(['3', '2']);
    writeAssistHistory(s, 'vera', list);
    expect(readAssistHistory(s, 'vera', 50).map((e) => e.callId)).toEqual(['3', '2']);
    expect(readAssistHistory(s, 'vera', 1).map((e) => e.callId)).toEqual(['3']);
    expect(readAssistHistory(s, 'walt', 50)).toEqual([]);
    expect(addAssistEntry(list, entry('4'), 0)).toEqual([]);
  });
});
