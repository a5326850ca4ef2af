import { describe, expect, it } from 'vitest';
import { Store } from './store';

class MemoryStorage implements Storage {
  #m = new Map<string, string>();
  get length() { return this.#m.size; }
  clear() { this.#m.clear(); }
  getItem(k: string) { return this.#m.get(k) ?? null; }
  key(i: number) { return [...this.#m.keys()][i] ?? null; }
  removeItem(k: string) { this.#m.delete(k); }
  setItem(k: string, v: string) { this.#m.set(k, v); }
}

describe('Store', () => {
  it('keeps the account for auto-login and forgets it on sign-out', () => {
    const mem = new MemoryStorage();
    const s = new Store(mem);
    expect(s.account()).toBeNull();
    s.setAccount({ user: 'alice', password: 'pw', displayName: 'Alice' });
    expect(new Store(mem).account()).toEqual({ user: 'alice', password: 'pw', displayName: 'Alice' });
    expect(mem.key(0)).toBe('softphone.account');
    s.setAccount(null);
    expect(s.account()).toBeNull();
  });

  it.each([
    ['not JSON', '{oops'],
    ['no user', '{"password":"pw"}'],
    ['a number', '42'],
  ])('ignores a stored account that is %s', (_n, raw) => {
    const mem = new MemoryStorage();
    mem.setItem('softphone.account', raw);
    expect(new Store(mem).account()).toBeNull();
  });

  it('round-trips server settings and devices', () => {
    const s = new Store(new MemoryStorage());
    s.setServerSettings({ sipDomain: 'example.com', addresses: ['wss://a'], backupAddresses: [] });
    expect(s.serverSettings()).toEqual({ sipDomain: 'example.com', addresses: ['wss://a'], backupAddresses: [] });
    expect(s.devices()).toEqual({ microphone: null, speaker: null, ringer: null, camera: null });
    s.setDevices({ microphone: 'm1', speaker: null, ringer: 'r1', camera: 'c1' });
    expect(s.devices()).toEqual({ microphone: 'm1', speaker: null, ringer: 'r1', camera: 'c1' });
  });

  it('works without storage (blocked by the browser)', () => {
    const s = new Store(null);
    s.setAccount({ user: 'a', password: 'b', displayName: '' });
    expect(s.account()).toBeNull();
  });
});
