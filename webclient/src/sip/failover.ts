// One JsSIP socket over a list of SBC addresses. connect() walks the list
// (in order when prioritize is true, shuffled otherwise) and moves on to the
// next address at once when one cannot be reached; only when every address
// has failed does it report a disconnection, so that JsSIP waits
// reconnectIntervalMin..Max seconds before the next round. A connection that
// was up and drops is reported at once: JsSIP re-registers after the interval
// and the round starts again from the first address.
import type { Socket } from 'jssip';

/** orderAddresses returns the order of one connection round. */
export function orderAddresses(urls: readonly string[], prioritize: boolean, random: () => number = Math.random): string[] {
  const out = [...new Set(urls)];
  if (prioritize) return out;
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The part of a socket FailoverSocket drives. */
export type InnerSocket = Pick<Socket, 'url' | 'sip_uri' | 'via_transport' | 'connect' | 'disconnect' | 'send' | 'isConnected' | 'isConnecting'> & {
  onconnect: () => void;
  ondisconnect: (error: boolean, code?: number, reason?: string) => void;
  ondata: (data: unknown) => void;
};

export class FailoverSocket implements Socket {
  readonly #urls: string[];
  readonly #prioritize: boolean;
  readonly #create: (url: string) => InnerSocket;
  #current: InnerSocket;
  #queue: string[] = [];
  #round = false;

  onconnect: () => void = () => {};
  ondisconnect: (error: boolean, code?: number, reason?: string) => void = () => {};
  ondata: <T>(event: T) => void = () => {};

  constructor(urls: readonly string[], prioritize: boolean, create: (url: string) => InnerSocket) {
    if (urls.length === 0) throw new TypeError('no SBC address');
    this.#urls = [...urls];
    this.#prioritize = prioritize;
    this.#create = create;
    // JsSIP checks url, sip_uri and via_transport before connecting: start
    // from the first address that makes a socket at all.
    let first: InnerSocket | null = null;
    const errors: unknown[] = [];
    for (const url of this.#urls) {
      try {
        first = create(url);
        break;
      } catch (err) {
        errors.push(err);
      }
    }
    if (!first) throw new TypeError(`no usable SBC address: ${errors.map(String).join('; ')}`);
    this.#current = first;
  }

  /** The address in use, or the one being tried. */
  get url(): string { return this.#current.url; }
  get sip_uri(): string { return this.#current.sip_uri; }
  get via_transport(): string { return this.#current.via_transport; }
  set via_transport(v: string) { this.#current.via_transport = v; }

  connect(): void {
    if (this.isConnected() || this.isConnecting()) return;
    this.#queue = orderAddresses(this.#urls, this.#prioritize);
    this.#round = true;
    this.#next(true, undefined, undefined);
  }

  #next(error: boolean, code: number | undefined, reason: string | undefined): void {
    const url = this.#queue.shift();
    if (url === undefined) {
      this.#round = false;
      this.ondisconnect(error, code, reason);
      return;
    }
    let s: InnerSocket;
    try {
      s = this.#create(url);
    } catch (err) {
      console.warn(`SBC address ${url}:`, err);
      this.#next(true, code, reason);
      return;
    }
    this.#current = s;
    let up = false;
    s.onconnect = () => {
      if (this.#current !== s) return;
      up = true;
      this.#round = false;
      this.#queue = [];
      this.onconnect();
    };
    s.ondisconnect = (err, c, r) => {
      if (this.#current !== s) return;
      if (up) this.ondisconnect(err, c, r);
      else this.#next(err, c, r);
    };
    s.ondata = (d) => {
      if (this.#current === s) this.ondata(d);
    };
    s.connect();
  }

  disconnect(): void {
    this.#queue = [];
    this.#round = false;
    this.#current.disconnect();
  }

  send(message: string | ArrayBufferLike | Blob | ArrayBufferView): boolean {
    return this.#current.send(message);
  }

  isConnected(): boolean {
    return this.#current.isConnected();
  }

  /** Connecting while any address of the round is still being tried. */
  isConnecting(): boolean {
    return this.#round || this.#current.isConnecting();
  }
}
