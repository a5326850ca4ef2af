// A SIP-over-WebSocket transport (RFC 7118) for JsSIP, with a hook on every
// message in each direction. The hooks let the phone reuse REGISTER
// credentials (modes.cache_register_auth_mode) and keep a SIP trace.
import type { Socket } from 'jssip/lib/Socket';

export interface SocketHooks {
  /** Called with each outgoing message; returns the message to send. */
  outgoing?(message: string): string;
  /** Called with each incoming message before the SIP stack sees it. */
  incoming?(message: string): void;
}

/** How long a WebSocket may take to open before the address counts as failed. */
const connectTimeoutMs = 8000;

export class SipWebSocket implements Socket {
  readonly #url: string;
  readonly #sipURI: string;
  #via: string;
  #ws: WebSocket | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #hooks: SocketHooks;

  onconnect: () => void = () => {};
  ondisconnect: (error: boolean, code?: number, reason?: string) => void = () => {};
  ondata: <T>(event: T) => void = () => {};

  constructor(url: string, hooks: SocketHooks = {}) {
    const u = new URL(url);
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new TypeError(`not a WebSocket URL: ${url}`);
    this.#url = url;
    this.#sipURI = `sip:${u.hostname.includes(':') ? `[${u.hostname.replace(/^\[|\]$/g, '')}]` : u.hostname}${u.port ? `:${u.port}` : ''};transport=ws`;
    this.#via = u.protocol === 'wss:' ? 'WSS' : 'WS';
    this.#hooks = hooks;
  }

  get url(): string { return this.#url; }
  get sip_uri(): string { return this.#sipURI; }
  get via_transport(): string { return this.#via; }
  set via_transport(v: string) { this.#via = v.toUpperCase(); }

  connect(): void {
    if (this.isConnected() || this.isConnecting()) return;
    this.disconnect();
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.#url, 'sip');
    } catch {
      queueMicrotask(() => this.ondisconnect(true));
      return;
    }
    this.#ws = ws;
    ws.binaryType = 'arraybuffer';
    this.#timer = setTimeout(() => {
      if (this.#ws === ws && ws.readyState === WebSocket.CONNECTING) {
        this.#drop(ws);
        this.ondisconnect(true, 4000, 'connect timeout');
      }
    }, connectTimeoutMs);
    ws.onopen = () => {
      this.#clearTimer();
      this.onconnect();
    };
    ws.onclose = (e) => {
      if (this.#ws !== ws) return;
      this.#clearTimer();
      this.#ws = null;
      this.ondisconnect(!e.wasClean, e.code, e.reason);
    };
    ws.onmessage = (e: MessageEvent) => {
      const data = typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data as ArrayBuffer);
      this.#hooks.incoming?.(data);
      this.ondata(data);
    };
  }

  disconnect(): void {
    this.#clearTimer();
    if (this.#ws) this.#drop(this.#ws);
  }

  send(message: string | ArrayBufferLike | Blob | ArrayBufferView): boolean {
    if (!this.isConnected() || !this.#ws) return false;
    if (typeof message !== 'string') throw new TypeError('SIP over WebSocket sends text messages');
    this.#ws.send(this.#hooks.outgoing ? this.#hooks.outgoing(message) : message);
    return true;
  }

  isConnected(): boolean { return this.#ws?.readyState === WebSocket.OPEN; }
  isConnecting(): boolean { return this.#ws?.readyState === WebSocket.CONNECTING; }

  #drop(ws: WebSocket): void {
    ws.onopen = ws.onclose = ws.onmessage = ws.onerror = null;
    try { ws.close(); } catch { /* already closing */ }
    if (this.#ws === ws) this.#ws = null;
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
