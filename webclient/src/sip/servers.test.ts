import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
// JsSIP's own transport, driven with scripted sockets: the failover under
// test is JsSIP's, steered by the weights weighAddresses gives.
import { createRequire } from 'node:module';
import { isWebSocketURL, parseAddressList, weighAddresses } from './servers';

// The module exports the class itself (CommonJS), unlike its declaration file says.
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

describe('weighAddresses', () => {
  it('gives descending weights when prioritize is true', () => {
    expect(weighAddresses(['wss://a', 'wss://b', 'wss://c'], true)).toEqual([
      { url: 'wss://a', weight: 3 }, { url: 'wss://b', weight: 2 }, { url: 'wss://c', weight: 1 },
    ]);
  });
  it('gives equal weights when prioritize is false', () => {
    expect(weighAddresses(['wss://a', 'wss://b'], false).map((a) => a.weight)).toEqual([1, 1]);
  });
  it('drops repeated addresses', () => {
    expect(weighAddresses(['wss://a', 'wss://a', 'wss://b'], true).map((a) => a.url)).toEqual(['wss://a', 'wss://b']);
  });
});

describe('isWebSocketURL and parseAddressList', () => {
  it.each([
    ['wss://sbc.example.com:10081', true],
    ['ws://127.0.0.1:8088', true],
    ['https://sbc.example.com', false],
    ['sbc.example.com:10081', false],
    ['', false],
  ])('%s -> %s', (url, want) => expect(isWebSocketURL(url)).toBe(want));
  it('splits lines, commas and spaces', () => {
    expect(parseAddressList(' wss://a\nwss://b, wss://c  \n\n')).toEqual(['wss://a', 'wss://b', 'wss://c']);
  });
});

// A socket whose connection attempts succeed or fail as scripted.
class ScriptedSocket {
  attempts = 0;
  connected = false;
  onconnect = () => {};
  ondisconnect = (_error: boolean) => {};
  ondata = () => {};
  via_transport = 'WSS';
  constructor(readonly url: string, readonly up: () => boolean) {}
  get sip_uri() { return `sip:${new URL(this.url).host};transport=ws`; }
  connect() {
    this.attempts++;
    setTimeout(() => {
      if (this.up()) {
        this.connected = true;
        this.onconnect();
      } else {
        this.ondisconnect(true);
      }
    }, 10);
  }
  disconnect() { this.connected = false; }
  send() { return this.connected; }
  isConnected() { return this.connected; }
  isConnecting() { return false; }
}

function transportFor(urls: string[], prioritize: boolean, up: (url: string) => boolean) {
  const sockets = weighAddresses(urls, prioritize).map((a) => ({ socket: new ScriptedSocket(a.url, () => up(a.url)), weight: a.weight }));
  const t = new Transport(sockets, { min_interval: 1, max_interval: 4 });
  const connectedTo: string[] = [];
  t.onconnect = () => connectedTo.push(t.socket.url);
  t.ondisconnect = () => {};
  t.ondata = () => {};
  t.onconnecting = () => {};
  return { t, connectedTo, sockets: sockets.map((s) => s.socket) };
}

describe('JsSIP transport failover with the client weights', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('tries the addresses in order when prioritize is true', async () => {
    const { t, connectedTo, sockets } = transportFor(['wss://a', 'wss://b', 'wss://c'], true, (u) => u === 'wss://c');
    t.connect();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(connectedTo).toEqual(['wss://c']);
    expect(sockets.map((s) => s.attempts)).toEqual([1, 1, 1]);
  });

  it('waits reconnectIntervalMin..Max seconds between attempts', async () => {
    const { t, connectedTo } = transportFor(['wss://a', 'wss://b'], true, (u) => u === 'wss://b');
    t.connect();
    await vi.advanceTimersByTimeAsync(500);
    expect(connectedTo).toEqual([]);
    await vi.advanceTimersByTimeAsync(4_100);
    expect(connectedTo).toEqual(['wss://b']);
  });

  it('starts over from the first address once every one has failed', async () => {
    let round = 0;
    const { t, connectedTo, sockets } = transportFor(['wss://a', 'wss://b'], true, (u) => u === 'wss://a' && round > 0);
    t.connect();
    await vi.advanceTimersByTimeAsync(6_000);
    round = 1;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(connectedTo).toEqual(['wss://a']);
    expect(sockets[0].attempts).toBeGreaterThanOrEqual(2);
  });

  it('spreads first attempts over the addresses when prioritize is false', async () => {
    const first = new Set<string>();
    const rnd = vi.spyOn(Math, 'random');
    for (const r of [0.1, 0.6, 0.9]) {
      rnd.mockReturnValue(r);
      const { t, connectedTo } = transportFor(['wss://a', 'wss://b'], false, () => true);
      t.connect();
      await vi.advanceTimersByTimeAsync(100);
      first.add(connectedTo[0]);
    }
    rnd.mockRestore();
    expect([...first].sort()).toEqual(['wss://a', 'wss://b']);
  });
});
