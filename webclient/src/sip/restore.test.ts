import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { defaultOf } from '../config/contract';
import type { RTCSession } from 'jssip/lib/RTCSession';
import { readConfig } from '../config/options';
import { Call } from './call';
import {
  leaveKeepsCalls, parseSaved, restorable, restoreDecision, restoreOptions, RestoreStore, savedCall, startRestore,
  type RestorablePhone, type SavedCall,
} from './restore';

class MemoryStorage implements Storage {
  #m = new Map<string, string>();
  get length() { return this.#m.size; }
  clear() { this.#m.clear(); }
  getItem(k: string) { return this.#m.get(k) ?? null; }
  key(i: number) { return [...this.#m.keys()][i] ?? null; }
  removeItem(k: string) { this.#m.delete(k); }
  setItem(k: string, v: string) { this.#m.set(k, v); }
}

// A stand-in for JsSIP's RTCSession with the dialog fields JsSIP keeps.
class FakeSession extends EventEmitter {
  id = 'c1@host' + 'tagA';
  direction = 'outgoing';
  remote_identity = { uri: { user: 'bob', toString: () => 'sip:bob@example.test' }, display_name: 'Bob' };
  connection = null;
  _dialog = {
    id: { call_id: 'c1@host', local_tag: 'tagA', remote_tag: 'tagB' },
    _remote_target: { toString: () => 'sip:k3j@x.invalid;transport=ws;alias=127.0.0.1~5060~5' },
  };
  isEnded() { return false; }
}

function connectedCall(now: number) {
  const session = new FakeSession();
  const config = readConfig({});
  const call = new Call(session as unknown as RTCSession, 'main', { config, customHeaders: [], microphoneId: null, sipDomain: 'example.test' });
  vi.setSystemTime(now);
  session.emit('accepted', { originator: 'remote' });
  return { call, session };
}

const saved = (over: Partial<SavedCall> = {}): SavedCall => ({
  id: 'c1@hosttagA', callId: 'c1@host', localTag: 'tagA', remoteTag: 'tagB',
  remoteTarget: 'sip:k3j@x.invalid;transport=ws', remoteUri: 'sip:bob@example.test',
  remoteUser: 'bob', remoteName: 'Bob', direction: 'outgoing', line: 'main', answeredAt: 1000, savedAt: 50_000, ...over,
});

describe('restoreOptions', () => {
  it.each([
    [{}, { enabled: false, maxDelaySeconds: defaultOf('restoreCallMaxDelay') }],
    [{ restoreCall: true, restoreCallMaxDelay: 10 }, { enabled: true, maxDelaySeconds: 10 }],
    [{ restoreCall: 'true', restoreCallMaxDelay: '12' }, { enabled: false, maxDelaySeconds: 12 }],
    [{ restoreCall: true, restoreCallMaxDelay: -1 }, { enabled: true, maxDelaySeconds: defaultOf('restoreCallMaxDelay') }],
  ])('%j', (raw, want) => {
    expect(restoreOptions(raw)).toEqual(want);
  });
});

describe('restoreDecision', () => {
  const on = { enabled: true, maxDelaySeconds: 20 };
  it.each([
    ['off', { enabled: false, maxDelaySeconds: 20 }, 51_000, 'off'],
    ['just saved', on, 51_000, 'restore'],
    ['at the limit', on, 70_000, 'restore'],
    ['past the limit', on, 70_001, 'expired'],
    ['saved in the future (clock moved back)', on, 49_000, 'expired'],
  ] as const)('%s', (_n, opts, now, want) => {
    expect(restoreDecision(opts, saved(), now)).toBe(want);
  });
  it('counts from when the page went away', () => {
    expect(restoreDecision(on, saved({ savedAt: 50_000, leftAt: 10_000 }), 51_000)).toBe('expired');
    expect(restoreDecision(on, saved({ savedAt: 5_000, leftAt: 40_000 }), 51_000)).toBe('restore');
  });
});

describe('leaveKeepsCalls', () => {
  it('keeps the calls only when restoreCall is on and every live call can be rejoined', () => {
    vi.useFakeTimers();
    const on = { enabled: true, maxDelaySeconds: 30 };
    const { call } = connectedCall(5000);
    const ringing = new Call(new FakeSession() as unknown as RTCSession, 'main', { config: readConfig({}), customHeaders: [], microphoneId: null, sipDomain: 'example.test' });
    expect(restorable(on, call)).toBe(true);
    expect(restorable(on, ringing)).toBe(false);
    expect(leaveKeepsCalls(on, [call])).toBe(true);
    expect(leaveKeepsCalls(on, [])).toBe(true);
    expect(leaveKeepsCalls(on, [call, ringing])).toBe(false);
    expect(leaveKeepsCalls({ enabled: false, maxDelaySeconds: 30 }, [call])).toBe(false);
    expect(restorable({ enabled: false, maxDelaySeconds: 30 }, call)).toBe(false);
    vi.useRealTimers();
  });
});

describe('savedCall', () => {
  it('keeps the dialog, the party and the start time of a connected call', () => {
    vi.useFakeTimers();
    const { call } = connectedCall(5000);
    expect(savedCall(call, 9000)).toEqual({
      id: 'c1@hosttagA', callId: 'c1@host', localTag: 'tagA', remoteTag: 'tagB',
      remoteTarget: 'sip:k3j@x.invalid;transport=ws;alias=127.0.0.1~5060~5', remoteUri: 'sip:bob@example.test',
      remoteUser: 'bob', remoteName: 'Bob', direction: 'outgoing', line: 'main', answeredAt: 5000, savedAt: 9000, held: false,
    });
    vi.useRealTimers();
  });
  it('keeps nothing of a call that is not connected or still rejoining', () => {
    vi.useFakeTimers();
    const { call, session } = connectedCall(5000);
    call.inherit({ restore: 'pending' });
    expect(savedCall(call, 9000)).toBeNull();
    call.inherit({ restore: 'done' });
    session._dialog = null as never;
    expect(savedCall(call, 9000)).toBeNull();
    vi.useRealTimers();
  });
});

describe('RestoreStore', () => {
  it('keeps each page its calls, and gives out only those of pages that went away', () => {
    const mem = new MemoryStorage();
    const s = new RestoreStore(mem, 'alice');
    s.put('tab1', [saved({ id: 'one' })]);
    s.put('tab2', [saved({ id: 'two' })]);
    expect(mem.key(0)).toBe('softphone.restore.alice');
    expect(new RestoreStore(mem, 'bob').read()).toEqual([]);
    // Nothing is claimed while both pages are open.
    expect(s.claim()).toEqual([]);
    s.leave('tab1', 60_000);
    expect(s.claim()).toEqual([saved({ id: 'one', page: 'tab1', savedAt: 60_000, leftAt: 60_000 })]);
    expect(s.claim()).toEqual([]);
    expect(s.read()).toEqual([saved({ id: 'two', page: 'tab2' })]);
    s.put('tab2', []);
    expect(mem.length).toBe(0);
  });
  it('works without storage', () => {
    const s = new RestoreStore(null, 'alice');
    s.put('tab1', [saved()]);
    s.leave('tab1', 1);
    expect(s.claim()).toEqual([]);
  });
});

describe('parseSaved', () => {
  it('drops entries that are not whole', () => {
    const good = saved();
    const held = saved({ held: true });
    expect(parseSaved([good, { ...good, remoteTarget: '' }, { ...good, direction: 'sideways' }, { ...good, savedAt: 'x' }, { ...good, held: 'yes' }, null, 3, held]))
      .toEqual([good, held]);
    expect(parseSaved({ not: 'a list' })).toEqual([]);
  });
});

// A stand-in phone: lines, calls and the rejoin requests it received.
class FakePhone implements RestorablePhone {
  calls: Call[] = [];
  snapshot = { lines: [{ state: 'connecting' }] };
  rejoined: SavedCall[] = [];
  #events = new EventEmitter();
  on(type: 'change', fn: () => void) {
    this.#events.on(type, fn);
    return () => { this.#events.off(type, fn); };
  }
  emit(type: 'change') {
    this.#events.emit(type);
  }
  rejoin(s: SavedCall) {
    this.rejoined.push(s);
    return null;
  }
}

describe('startRestore', () => {
  const page = () => {
    const t = new EventTarget();
    return { target: t, addEventListener: t.addEventListener.bind(t), removeEventListener: t.removeEventListener.bind(t), fire: (n: string) => t.dispatchEvent(new Event(n)) };
  };
  it('rejoins the saved calls within restoreCallMaxDelay once a line is registered', () => {
    const mem = new MemoryStorage();
    const store = new RestoreStore(mem, 'alice');
    store.write([saved({ id: 'fresh', leftAt: 100_000 }), saved({ id: 'stale', leftAt: 10_000 }), saved({ id: 'open tab', page: 'other' })]);
    const phone = new FakePhone();
    const stop = startRestore(phone, store, { enabled: true, maxDelaySeconds: 30 }, page(), () => 110_000, 'me');
    expect(phone.rejoined).toEqual([]);
    // Until then the fresh one stays saved for a page that would follow;
    // the call of a page still open in another tab is left alone.
    expect(store.read().map((c) => [c.id, c.page])).toEqual([['open tab', 'other'], ['fresh', 'me']]);
    phone.snapshot = { lines: [{ state: 'registered' }] };
    phone.emit('change');
    phone.emit('change');
    expect(phone.rejoined.map((c) => c.id)).toEqual(['fresh']);
    stop();
    expect(store.read().map((c) => c.id)).toEqual(['open tab']);
  });
  it('goes on with the other calls when one cannot be rejoined', () => {
    const store = new RestoreStore(new MemoryStorage(), 'alice');
    store.write([saved({ id: 'bad', leftAt: 100_000 }), saved({ id: 'good', leftAt: 100_000 })]);
    const phone = new FakePhone();
    phone.snapshot = { lines: [{ state: 'registered' }] };
    const rejoin = phone.rejoin.bind(phone);
    phone.rejoin = (s) => {
      if (s.id === 'bad') throw new Error('invalid target');
      return rejoin(s);
    };
    startRestore(phone, store, { enabled: true, maxDelaySeconds: 30 }, page(), () => 100_001);
    expect(phone.rejoined.map((c) => c.id)).toEqual(['good']);
  });
  it('saves connected calls, and marks them alive when the page goes away', () => {
    vi.useFakeTimers();
    const store = new RestoreStore(new MemoryStorage(), 'alice');
    const phone = new FakePhone();
    let now = 1000;
    const p = page();
    startRestore(phone, store, { enabled: true, maxDelaySeconds: 30 }, p, () => now);
    const { call } = connectedCall(500);
    phone.calls = [call];
    phone.emit('change');
    expect(store.read()).toMatchObject([{ callId: 'c1@host', answeredAt: 500, savedAt: 1000 }]);
    expect(store.read()[0].leftAt).toBeUndefined();
    now = 7000;
    p.fire('pagehide');
    expect(store.read()).toMatchObject([{ callId: 'c1@host', savedAt: 7000, leftAt: 7000 }]);
    // Back from the back-forward cache: open again, not to be claimed.
    const shown = Object.assign(new Event('pageshow'), { persisted: true });
    p.target.dispatchEvent(shown);
    expect(store.read()[0].leftAt).toBeUndefined();
    phone.calls = [];
    phone.emit('change');
    expect(store.read()).toEqual([]);
    vi.useRealTimers();
  });
  it('does nothing and forgets saved calls when restoreCall is off', () => {
    const store = new RestoreStore(new MemoryStorage(), 'alice');
    store.write([saved({ leftAt: 100_000 })]);
    const phone = new FakePhone();
    phone.snapshot = { lines: [{ state: 'registered' }] };
    startRestore(phone, store, { enabled: false, maxDelaySeconds: 30 }, page(), () => 100_001);
    phone.emit('change');
    expect(phone.rejoined).toEqual([]);
    expect(store.read()).toEqual([]);
  });
});
