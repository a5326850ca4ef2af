import { describe, expect, it } from 'vitest';
import type { CallSnapshot } from '../sip/call';
import { addEntry, entryFromCall, readHistory, type HistoryEntry } from './history';
import { devicesToChoose, Store } from './store';

function entry(n: number, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: `c${n}`, direction: 'incoming', remoteUser: `u${n}`, remoteName: '', startedAt: 1000 * n, answeredAt: null,
    endedAt: 1000 * n + 500, endReason: 'no-answer', video: false, callUuids: [], quality: null, failure: null, ...extra,
  };
}

class MemoryStorage {
  #m = new Map<string, string>();
  get length() { return this.#m.size; }
  clear() { this.#m.clear(); }
  getItem(k: string) { return this.#m.get(k) ?? null; }
  key(i: number) { return [...this.#m.keys()][i] ?? null; }
  removeItem(k: string) { this.#m.delete(k); }
  setItem(k: string, v: string) { this.#m.set(k, v); }
}

describe('call history', () => {
  it('keeps the newest maxEntries, newest first', () => {
    let list: HistoryEntry[] = [];
    for (let i = 1; i <= 7; i++) list = addEntry(list, entry(i), 5);
    expect(list.map((e) => e.id)).toEqual(['c7', 'c6', 'c5', 'c4', 'c3']);
  });

  it('replaces an entry with the same id', () => {
    const list = addEntry([entry(1), entry(2)], entry(1, { endReason: 'normal' }), 10);
    expect(list.map((e) => [e.id, e.endReason])).toEqual([['c2', 'no-answer'], ['c1', 'normal']]);
  });

  it('shrinks a stored list to a lower limit and drops malformed entries', () => {
    const stored = [entry(1), { id: 'x' }, entry(3), 'junk', entry(2), { ...entry(4), endReason: 'exploded' }];
    expect(readHistory(stored, 2).map((e) => e.id)).toEqual(['c3', 'c2']);
    expect(readHistory({ not: 'a list' }, 5)).toEqual([]);
  });

  it('records an ended call with its call UUIDs, whether it had video, and its last quality', () => {
    const snap = {
      id: 'x1', direction: 'incoming', line: 'main', remoteUser: '1001', remoteName: 'Dana', status: 'ended',
      localHold: false, remoteHold: false, muted: false, earlyMedia: false, transferring: false, receivedTones: '', sentTones: '', failure: null,
      createdAt: 1000, answeredAt: 2000, endedAt: 5000, endReason: 'normal', endCause: 'Terminated',
      customerInfo: null, callUuids: [{ serviceName: 'Genesys Pure Engage', uuid: '00FA' }], delayedOffer: false,
      remoteVideo: true, localVideo: false, autoAnswerAt: null,
      quality: { rttMs: 20, jitterMs: 3, lossPct: 1, codec: 'opus', r: 88.5, mos: 4.2837, at: 4900 },
      screen: { local: false, remote: false },
    } satisfies CallSnapshot;
    expect(entryFromCall(snap)).toEqual({
      id: 'x1', direction: 'incoming', remoteUser: '1001', remoteName: 'Dana', startedAt: 1000, answeredAt: 2000, endedAt: 5000,
      endReason: 'normal', video: true, callUuids: [{ serviceName: 'Genesys Pure Engage', uuid: '00FA' }], quality: 4.3, failure: null,
    });
    expect(entryFromCall({ ...snap, answeredAt: null, endReason: 'rejected', failure: 'not-found' }).failure).toBe('not-found');
    expect(entryFromCall({ ...snap, quality: null }).quality).toBeNull();
  });

  it('keeps a stored failure reason only when it is one', () => {
    const stored = [{ ...entry(1), failure: 'busy' }, { ...entry(2), failure: 'exploded' }, entry(3)];
    expect(readHistory(stored, 10).map((e) => [e.id, e.failure])).toEqual([['c3', null], ['c2', null], ['c1', 'busy']]);
  });

  it('keeps a stored quality score only when it is a MOS', () => {
    const stored = [{ ...entry(1), quality: 3.4 }, { ...entry(2), quality: 7 }, { ...entry(3), quality: 'good' }, entry(4)];
    expect(readHistory(stored, 10).map((e) => [e.id, e.quality])).toEqual([['c4', null], ['c3', null], ['c2', null], ['c1', 3.4]]);
  });

  it('is kept per user in the given storage and survives a new Store', () => {
    const storage = new MemoryStorage();
    new Store(storage).setHistory('alice', [entry(1)]);
    const again = new Store(storage);
    expect(again.history('alice', 10).map((e) => e.id)).toEqual(['c1']);
    expect(again.history('bob', 10)).toEqual([]);
  });
});

describe('last call quality storage', () => {
  it('is restored only within restoreCallQualityMaxDelay', () => {
    const storage = new MemoryStorage();
    new Store(storage).setLastQuality({ mos: 4.1, at: 10_000 });
    const s = new Store(storage);
    expect(s.lastQuality(60, 10_000 + 60_000)).toEqual({ mos: 4.1, at: 10_000 });
    expect(s.lastQuality(60, 10_000 + 60_001)).toBeNull();
    expect(s.lastQuality(0, 10_000)).toEqual({ mos: 4.1, at: 10_000 });
    // From the future (clock changed): not trusted.
    expect(s.lastQuality(60, 9_000)).toBeNull();
    storage.setItem('softphone.lastQuality', '{"mos":9,"at":10000}');
    expect(s.lastQuality(60, 10_000)).toBeNull();
  });
});

describe('agent state storage', () => {
  it('is ready unless a not-ready state was stored for the user', () => {
    const s = new Store(new MemoryStorage());
    expect(s.agentState('alice')).toEqual({ ready: true, reasonCode: null });
    s.setAgentState('alice', { ready: false, reasonCode: '20' });
    expect(s.agentState('alice')).toEqual({ ready: false, reasonCode: '20' });
    expect(s.agentState('bob')).toEqual({ ready: true, reasonCode: null });
  });
});

describe('devicesToChoose', () => {
  const none = { microphone: null, speaker: null, ringer: null, camera: null };
  const md = { deviceCategories: ['microphone', 'voiceoutput', 'ringeroutput', 'camera'], allowMediaDeviceSelection: true, devicesMustBeSelectedByUser: true };
  it.each([
    ['selection not allowed', { ...md, allowMediaDeviceSelection: false }, true, none, []],
    ['defaults allowed', { ...md, devicesMustBeSelectedByUser: false }, true, none, []],
    ['nothing chosen, video on', md, true, none, ['microphone', 'speaker', 'ringer', 'camera']],
    ['nothing chosen, video off', md, false, none, ['microphone', 'speaker', 'ringer']],
    ['only allowed categories', { ...md, deviceCategories: ['microphone'] }, true, none, ['microphone']],
    ['all chosen', md, true, { microphone: 'm', speaker: 's', ringer: 'r', camera: 'c' }, []],
  ])('%s', (_, m, video, d, want) => {
    expect(devicesToChoose(m, video, d)).toEqual(want);
  });
});
