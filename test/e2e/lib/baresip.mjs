// Debian's baresip as a SIP peer that is not a browser: registered through
// Kamailio over TCP, DTLS-SRTP with ICE straight to the browser on loopback,
// a sine tone as its microphone. It is driven through its ctrl_tcp module
// (JSON commands in netstrings, the menu module's commands) and reports its
// call events the same way; its log (stdout) carries the DTMF it received
// and, with rtp_stats, its RTP counters.
import { Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, freePorts, need, scratch, sipDomain, sipPassword, start, waitPort } from './env.mjs';

/** encodeNetstring frames one ctrl_tcp message. */
function encodeNetstring(s) {
  return `${Buffer.byteLength(s)}:${s},`;
}

/** NetstringReader splits a TCP stream into netstring payloads. */
class NetstringReader {
  #buf = Buffer.alloc(0);
  push(chunk, each) {
    this.#buf = Buffer.concat([this.#buf, chunk]);
    for (;;) {
      const colon = this.#buf.indexOf(':');
      if (colon < 0) return;
      const len = Number(this.#buf.subarray(0, colon).toString());
      if (!Number.isInteger(len)) throw new Error(`baresip ctrl_tcp: bad netstring length ${this.#buf.subarray(0, colon)}`);
      if (this.#buf.length < colon + 1 + len + 1) return;
      each(this.#buf.subarray(colon + 1, colon + 1 + len).toString());
      this.#buf = this.#buf.subarray(colon + 1 + len + 1);
    }
  }
}

/**
 * startBaresip runs baresip as user (its password is the e2e SIP password
 * unless password is given, its domain the e2e one unless domain is)
 * registered at the Kamailio kam (startKamailio's result; only its port is
 * read). rtcpMux: whether baresip offers and accepts rtcp-mux (its rtcp_mux
 * setting). answermode: manual (answer by command), or auto (baresip answers
 * every call itself as it arrives).
 */
export async function startBaresip(kam, user, {
  rtcpMux = true, codecs = 'opus/48000/2,PCMU/8000', answermode = 'manual', password = sipPassword, domain = sipDomain,
} = {}) {
  const bin = need('baresip', 'baresip');
  const dir = scratch('baresip-');
  // UDP and TCP on sipPort, TLS on sipPort + 1 (baresip 1.0 cannot turn TLS off).
  const sipPort = await freePorts(2);
  const ctrlPort = await freePort();
  writeFileSync(join(dir, 'config'), [
    `sip_listen 127.0.0.1:${sipPort}`,
    'call_local_timeout 120',
    'call_max_calls 4',
    // A 440 Hz sine as the microphone, made at 48 kHz (all ausine can) and
    // resampled for 8 kHz codecs; speaker and ringer go into a bridge nobody reads.
    'audio_source ausine,440',
    'ausrc_srate 48000',
    'ausrc_channels 2',
    'audio_player aubridge,sink',
    'audio_alert aubridge,alert',
    `rtcp_mux ${rtcpMux ? 'yes' : 'no'}`,
    'rtp_stats yes',
    'jitter_buffer_delay 1-10',
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module opus.so',
    'module ausine.so',
    'module aubridge.so',
    'module ice.so',
    'module dtls_srtp.so',
    'module rtcpsummary.so',
    'module_tmp account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
    '',
  ].join('\n'));
  // The account: digest user at the e2e realm, every request to Kamailio over
  // TCP, DTLS-SRTP, ICE, answering by command (or by itself).
  writeFileSync(join(dir, 'accounts'), `<sip:${user}@${domain};transport=tcp>;auth_pass=${password};`
    + `outbound="sip:127.0.0.1:${kam.port};transport=tcp";mediaenc=dtls_srtp;medianat=ice;`
    + `answermode=${answermode};regint=300;audio_codecs=${codecs}\n`);
  writeFileSync(join(dir, 'contacts'), '');
  const proc = start(`baresip ${user}`, bin, ['-f', dir, '-v'], { cwd: dir }, true);
  await waitPort(ctrlPort, 'baresip ctrl_tcp', proc);
  const b = new Baresip(user, proc, ctrlPort);
  await b.connect();
  return b;
}

export class Baresip {
  #events = [];
  #waiters = [];
  #pending = new Map();
  #seq = 0;
  #sock = null;

  constructor(user, proc, ctrlPort) {
    this.user = user;
    this.proc = proc;
    this.ctrlPort = ctrlPort;
  }

  /** log is everything baresip printed. */
  log() {
    return this.proc.logs();
  }

  async connect() {
    const sock = new Socket();
    const reader = new NetstringReader();
    await new Promise((res, rej) => {
      sock.once('connect', res);
      sock.once('error', rej);
      sock.connect(this.ctrlPort, '127.0.0.1');
    });
    sock.on('data', (d) => reader.push(d, (msg) => this.#onMessage(JSON.parse(msg))));
    this.#sock = sock;
  }

  #onMessage(m) {
    if (m.response) {
      const p = this.#pending.get(m.token);
      this.#pending.delete(m.token);
      p?.(m);
      return;
    }
    if (m.event) {
      this.#events.push(m);
      for (const w of [...this.#waiters]) w();
    }
  }

  /** command runs a menu command ("dial sip:...", "accept", "hangup", "hold", ...) and returns its response. */
  command(line) {
    const [command, ...rest] = line.split(' ');
    const token = String(++this.#seq);
    return new Promise((res, rej) => {
      const timer = setTimeout(() => {
        this.#pending.delete(token);
        rej(new Error(`baresip ${this.user}: no response to "${line}"`));
      }, 10000);
      this.#pending.set(token, (m) => {
        clearTimeout(timer);
        res(m);
      });
      this.#sock.write(encodeNetstring(JSON.stringify({ command, params: rest.join(' '), token })));
    });
  }

  /** events lists the call events seen so far (CALL_INCOMING, CALL_ESTABLISHED, CALL_CLOSED, CALL_DTMF_START ...). */
  events(type) {
    return type ? this.#events.filter((e) => e.type === type) : [...this.#events];
  }

  /** waitEvent resolves with the first event of type after index from that matches, or throws after ms. */
  waitEvent(type, { from = 0, ms = 15000, match = () => true } = {}) {
    const find = () => this.#events.slice(from).find((e) => e.type === type && match(e));
    return new Promise((res, rej) => {
      const check = () => {
        const e = find();
        if (!e) return false;
        this.#waiters = this.#waiters.filter((w) => w !== check);
        clearTimeout(timer);
        res(e);
        return true;
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== check);
        rej(new Error(`baresip ${this.user}: no ${type} event within ${ms} ms; events: ${this.#events.map((e) => e.type).join(', ')}\n${this.log().slice(-3000)}`));
      }, ms);
      if (!check()) this.#waiters.push(check);
    });
  }

  /** waitLog resolves once baresip's log matches re (from offset on), or throws after ms. */
  async waitLog(re, { from = 0, ms = 15000 } = {}) {
    const until = Date.now() + ms;
    for (;;) {
      const m = re.exec(this.log().slice(from));
      if (m) return m;
      if (Date.now() > until) throw new Error(`baresip ${this.user}: log did not match ${re} within ${ms} ms:\n${this.log().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** registered waits for baresip's account to register. */
  registered(ms = 15000) {
    return this.waitLog(/\{\d+\/TCP\/v4\} 200 OK/, { ms });
  }

  close() {
    this.#sock?.destroy();
  }
}
