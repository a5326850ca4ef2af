import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FailoverSocket, orderAddresses, type InnerSocket } from './failover';

// A socket whose connection attempts succeed or fail as the test says.
class ScriptedSocket implements InnerSocket {
  connected = false;
  onconnect = () => {};
  ondisconnect = (_error: boolean, _code?: number, _reason?: string) => {};
  ondata = (_d: unknown) => {};
  via_transport = 'WSS';
  constructor(readonly url: string, readonly up: () => boolean, readonly log: string[]) {}
  get sip_uri() { return `sip:${new URL(this.url).host};transport=ws`; }
  connect() {
    this.log.push(this.url);
    setTimeout(() => {
      if (this.up()) {
        this.connected = true;
        this.onconnect();
      } else {
        this.ondisconnect(true, 1006, 'refused');
      }
    }, 10);
  }
  drop() {
    this.connected = false;
    this.ondisconnect(true, 1006, 'gone');
  }
  disconnect() { this.connected = false; }
  send() { return this.connected; }
  isConnected() { return this.connected; }
  isConnecting() { return false; }
}

function failover(urls: string[], prioritize: boolean, up: (url: string) => boolean) {
  const tried: string[] = [];
  const made: ScriptedSocket[] = [];
  const socket = new FailoverSocket(urls, prioritize, (url) => {
    const s = new ScriptedSocket(url, () => up(url), tried);
    made.push(s);
    return s;
  });
  const events: string[] = [];
  socket.onconnect = () => events.push(`up ${socket.url}`);
  socket.ondisconnect = (_e, _c, reason) => events.push(`down ${reason}`);
  return { socket, tried, made, events };
}

describe('orderAddresses', () => {
  it('keeps the configured order when prioritize is true', () => {
    expect(orderAddresses(['wss://a', 'wss://b', 'wss://c'], true)).toEqual(['wss://a', 'wss://b', 'wss://c']);
  });
  it('shuffles when prioritize is false', () => {
    const seen = new Set<string>();
    for (const r of [0, 0.3, 0.6, 0.99]) seen.add(orderAddresses(['wss://a', 'wss://b', 'wss://c'], false, () => r).join(' '));
    expect(seen.size).toBeGreaterThan(1);
    for (const o of seen) expect(o.split(' ').sort()).toEqual(['wss://a', 'wss://b', 'wss://c']);
  });
  it('drops repeated addresses', () => {
    expect(orderAddresses(['wss://a', 'wss://a', 'wss://b'], true)).toEqual(['wss://a', 'wss://b']);
  });
});

describe('FailoverSocket', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('moves on to the next address at once when one is unreachable', async () => {
    const { socket, tried, events } = failover(['wss://a', 'wss://b', 'wss://c'], true, (u) => u === 'wss://c');
    socket.connect();
    expect(socket.isConnecting()).toBe(true);
    await vi.advanceTimersByTimeAsync(35);
    expect(tried).toEqual(['wss://a', 'wss://b', 'wss://c']);
    expect(events).toEqual(['up wss://c']);
    expect(socket.isConnected()).toBe(true);
    expect(socket.sip_uri).toBe('sip:c;transport=ws');
  });

  it('reports one disconnection when every address failed', async () => {
    const { socket, tried, events } = failover(['wss://a', 'wss://b'], true, () => false);
    socket.connect();
    await vi.advanceTimersByTimeAsync(100);
    expect(tried).toEqual(['wss://a', 'wss://b']);
    expect(events).toEqual(['down refused']);
    expect(socket.isConnecting()).toBe(false);
  });

  it('reports a live connection that drops, and starts the next round from the first address', async () => {
    let aUp = false;
    const { socket, tried, made, events } = failover(['wss://a', 'wss://b'], true, (u) => (u === 'wss://a' ? aUp : true));
    socket.connect();
    await vi.advanceTimersByTimeAsync(50);
    expect(events).toEqual(['up wss://b']);
    made[made.length - 1].drop();
    expect(events).toEqual(['up wss://b', 'down gone']);
    aUp = true;
    socket.connect();
    await vi.advanceTimersByTimeAsync(50);
    expect(tried).toEqual(['wss://a', 'wss://b', 'wss://a']);
    expect(events[2]).toBe('up wss://a');
  });

  it('ignores a socket it has abandoned', async () => {
    const { socket, made, events } = failover(['wss://a'], true, () => true);
    socket.connect();
    await vi.advanceTimersByTimeAsync(50);
    socket.disconnect();
    socket.connect();
    await vi.advanceTimersByTimeAsync(50);
    made[0].ondisconnect(true, 1006, 'late');
    expect(events).toEqual(['up wss://a', 'up wss://a']);
  });

  it('skips an address it cannot even parse', async () => {
    const tried: string[] = [];
    const socket = new FailoverSocket(['bad', 'wss://b'], true, (url) => {
      if (!url.startsWith('wss://')) throw new TypeError(`not a WebSocket URL: ${url}`);
      return new ScriptedSocket(url, () => true, tried);
    });
    const up = vi.fn();
    socket.onconnect = up;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    socket.connect();
    await vi.advanceTimersByTimeAsync(50);
    warn.mockRestore();
    expect(tried).toEqual(['wss://b']);
    expect(up).toHaveBeenCalledTimes(1);
  });
});

// JsSIP's transport around a FailoverSocket: after a failed round it waits
// reconnectIntervalMin..Max seconds, then the next round starts.
interface TransportLike {
  socket: { url: string };
  connect(): void;
  onconnect: () => void;
  ondisconnect: () => void;
  ondata: () => void;
  onconnecting: () => void;
}
const Transport = createRequire(import.meta.url)('jssip/lib/Transport') as new (
  sockets: { socket: unknown; weight: number }[],
  recovery: { min_interval: number; max_interval: number },
) => TransportLike;

describe('FailoverSocket under the JsSIP transport', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('retries a failed round after the reconnect interval', async () => {
    let round = 0;
    const { socket, tried } = failover(['wss://a', 'wss://b'], true, (u) => round > 0 && u === 'wss://b');
    const t = new Transport([{ socket, weight: 1 }], { min_interval: 2, max_interval: 4 });
    const connected: string[] = [];
    t.onconnect = () => connected.push(t.socket.url);
    t.ondisconnect = t.ondata = t.onconnecting = () => {};
    t.connect();
    await vi.advanceTimersByTimeAsync(100);
    expect(tried).toEqual(['wss://a', 'wss://b']);
    round = 1;
    await vi.advanceTimersByTimeAsync(1_800);
    expect(connected).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_500);
    expect(tried).toEqual(['wss://a', 'wss://b', 'wss://a', 'wss://b']);
    expect(connected).toEqual(['wss://b']);
  });
});
