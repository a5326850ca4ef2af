// Real parts for the end-to-end tests: Kamailio as the SBC, the softphone
// server binary, and Debian's Chromium driven by playwright-core. Everything
// listens on loopback ports picked at run time; each process is stopped by
// its own pid when the tests end.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer, Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const outDir = join(repoRoot, 'test', 'e2e', 'out');
export const sipPassword = 'e2e-secret';
export const sipDomain = 'example.test';

// Working files (runtime dirs, configs, the built server) live under
// e2e/out/tmp, not the shared system temp directory.
const workDir = process.env.E2E_WORKDIR ?? join(outDir, 'tmp');
mkdirSync(workDir, { recursive: true });
/** scratch makes a fresh working folder whose name starts with prefix. */
export const scratch = (prefix) => mkdtempSync(join(workDir, prefix));

const children = new Set();

/** freePort asks the kernel for an unused loopback TCP port. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** bindable reports whether port on loopback takes a TCP listener and a UDP socket. */
async function bindable(port) {
  const tcp = createServer();
  const udp = createSocket('udp4');
  const bound = (sock, listen) => new Promise((res) => {
    sock.once('error', () => res(false));
    listen(() => res(true));
  });
  const ok = await bound(tcp, (cb) => tcp.listen(port, '127.0.0.1', cb))
    && await bound(udp, (cb) => udp.bind(port, '127.0.0.1', cb));
  await new Promise((res) => (tcp.listening ? tcp.close(res) : res()));
  try { udp.close(); } catch { /* never bound */ }
  return ok;
}

/**
 * freePorts finds count consecutive loopback ports, free for TCP and UDP, and
 * returns the first: for a program that takes the ports after the one it is
 * given (baresip's SIP over TLS listens on its SIP port + 1).
 */
export async function freePorts(count) {
  for (let tries = 0; tries < 50; tries++) {
    const first = await freePort();
    if (first + count - 1 > 65535) continue;
    let free = true;
    for (let p = first; free && p < first + count; p++) free = await bindable(p);
    if (free) return first;
  }
  throw new Error(`no ${count} consecutive free loopback ports after 50 tries`);
}

function which(bin) {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    if (dir && existsSync(join(dir, bin))) return join(dir, bin);
  }
  return null;
}

/** need returns the path of a program or throws naming the Debian package. */
export function need(bin, pkg) {
  const p = which(bin);
  if (!p) throw new Error(`${bin} not found: install the Debian package ${pkg}`);
  return p;
}

/**
 * start spawns a process that stopAll ends; logs() returns its output (the
 * last 400 chunks, or all of it with keepAll).
 */
export function start(name, cmd, args, opts = {}, keepAll = false) {
  const logs = [];
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  const keep = (d) => {
    logs.push(d.toString());
    if (!keepAll && logs.length > 400) logs.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  children.add(child);
  child.on('exit', () => children.delete(child));
  return { child, logs: () => logs.join(''), name };
}

/** waitPort resolves once port accepts connections, or throws with proc's logs. */
export async function waitPort(port, what, proc, ms = 15000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited (${proc.child.exitCode}):\n${proc.logs()}`);
    const ok = await new Promise((res) => {
      const s = new Socket();
      s.once('connect', () => { s.destroy(); res(true); });
      s.once('error', () => res(false));
      s.connect(port, '127.0.0.1');
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not listen on ${port} within ${ms} ms:\n${proc.logs()}`);
}

/**
 * startKamailio runs examples/kamailio/kamailio.cfg on a free loopback port.
 * With logMessages, every SIP message it sees is logged whole (sipMessages reads them).
 * With testNumbers, dialling *71..*74 before a user adds contact-center
 * headers to the INVITE (see route[TESTNUMBERS] in the config).
 * Digest users share password. bearer adds the Bearer REGISTER route
 * (WITH_BEARER); refuseFirstBearer answers the first Bearer REGISTER 401
 * (BEARER_REFUSE_ONCE).
 */
export async function startKamailio({
  logMessages = false, testNumbers = false, password = sipPassword, bearer = false, refuseFirstBearer = false,
} = {}) {
  const kamailio = need('kamailio', 'kamailio kamailio-websocket-modules');
  const port = await freePort();
  const rundir = scratch('kamailio-');
  const proc = start('kamailio', kamailio, [
    '-f', join(repoRoot, 'examples/kamailio/kamailio.cfg'),
    '-DD', '-E', '-Y', rundir, '-P', join(rundir, 'kamailio.pid'),
    '-A', `WS_PORT=${port}`, '-A', `SIP_PASSWORD="${password}"`, '-A', `SIP_REALM="${sipDomain}"`,
    ...(logMessages ? ['-A', 'LOG_MESSAGES'] : []),
    ...(testNumbers ? ['-A', 'TEST_NUMBERS'] : []),
    ...(bearer ? ['-A', 'WITH_BEARER'] : []),
    ...(refuseFirstBearer ? ['-A', 'BEARER_REFUSE_ONCE'] : []),
  ], {}, logMessages);
  await waitPort(port, 'kamailio', proc);
  return { url: `ws://127.0.0.1:${port}`, port, logs: proc.logs };
}

/** sipMessages extracts the SIP messages Kamailio logged with LOG_MESSAGES. */
export function sipMessages(logs) {
  return [...logs.matchAll(/SIPMSG>>\n([\s\S]*?)\n<<SIPMSG/g)].map((m) => m[1]);
}

let binary = null;

/** softphoneBinary builds cmd/softphone once into a temporary directory. */
export function softphoneBinary() {
  if (binary) return binary;
  if (process.env.E2E_SOFTPHONE_BIN) return (binary = process.env.E2E_SOFTPHONE_BIN);
  const dir = scratch('bin-');
  binary = join(dir, 'softphone');
  execFileSync('go', ['build', '-o', binary, './cmd/softphone'], { cwd: repoRoot, stdio: 'inherit' });
  return binary;
}

/**
 * startSoftphone runs `softphone serve` with plain HTTP on port (a free one
 * when not given). advancedOptions is the YAML section as an object;
 * basePath, htpasswd (a file path, for the basic-auth gate), oidc (the
 * access.oidc gate) and brandingDir are optional.
 */
export async function startSoftphone({ advancedOptions, port = null, basePath = '/', htpasswd = null, oidc = null, brandingDir = null }) {
  port ??= await freePort();
  const dir = scratch('serve-');
  const access = {
    ...(htpasswd ? { basicAuth: { realm: 'Softphone e2e', htpasswdFile: htpasswd } } : {}),
    ...(oidc ? { oidc } : {}),
  };
  const config = {
    listen: `127.0.0.1:${port}`,
    redirectListen: '',
    basePath,
    tls: { mode: 'off' },
    ...(htpasswd || oidc ? { access } : {}),
    ...(brandingDir ? { branding: { dir: brandingDir } } : {}),
    advancedOptions,
  };
  // JSON is YAML: no YAML library needed to write the file.
  const file = join(dir, 'softphone.yaml');
  writeFileSync(file, JSON.stringify(config, null, 2));
  // The server reads SOFTPHONE_* variables as config; the file alone must count.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SOFTPHONE_')));
  const proc = start('softphone', softphoneBinary(), ['serve', '--config', file], { env });
  await waitPort(port, 'softphone', proc);
  return { url: `http://127.0.0.1:${port}${basePath}`, logs: proc.logs };
}

/** htpasswdFile writes a bcrypt line made by Apache's htpasswd (Debian apache2-utils). */
export function htpasswdFile(user, password) {
  const dir = scratch('auth-');
  const line = execFileSync(need('htpasswd', 'apache2-utils'), ['-nbB', user, password]).toString().trim();
  const file = join(dir, 'htpasswd');
  writeFileSync(file, line + '\n');
  return file;
}

/** brandingFolder writes files (path -> content) into a fresh branding folder. */
export function brandingFolder(files) {
  const dir = scratch('brand-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/**
 * launchChromium starts Debian's Chromium with fake media devices (a beeping
 * microphone, a moving camera picture). Playwright gives it a fresh
 * temporary profile. With autoplay false, the browser's default policy
 * blocks sound until the user interacts with the page. args are added to
 * the command line.
 */
export async function launchChromium({ autoplay = true, args = [] } = {}) {
  const exe = process.env.CHROMIUM ?? need('chromium', 'chromium');
  return chromium.launch({
    executablePath: exe,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      ...(autoplay ? ['--autoplay-policy=no-user-gesture-required'] : []),
      ...args,
    ],
  });
}

/** stopAll ends every process this harness started, by pid. */
export function stopAll() {
  for (const c of children) {
    try {
      c.kill('SIGTERM');
    } catch {
      /* already gone */
    }
  }
}

export function screenshotDir() {
  const d = join(outDir, 'screenshots');
  mkdirSync(d, { recursive: true });
  return d;
}
