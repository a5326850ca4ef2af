// @vitest-environment happy-dom
// The whole app with a dead SBC: the WebSocket is a stand-in that fails at
// once, as a refused TCP connection does. Everything else is real: the
// reducer, the Phone and JsSIP, the banners.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultStrings } from '../i18n/defaults';
import { readConfig } from '../config/options';
import { Store } from '../storage/store';
import { App } from './App';

let opened: string[] = [];

class RefusedSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  readyState = 0;
  binaryType = 'blob';
  onopen: (() => void) | null = null;
  onclose: ((e: { wasClean: boolean; code: number; reason: string }) => void) | null = null;
  onmessage: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(url: string) {
    opened.push(url);
    setTimeout(() => {
      this.readyState = 3;
      this.onclose?.({ wasClean: false, code: 1006, reason: '' });
    }, 0);
  }
  close() { this.readyState = 3; }
  send() {}
}

beforeEach(() => {
  opened = [];
  vi.stubGlobal('WebSocket', RefusedSocket);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('App with the SBC down', () => {
  it('signs in, says why calls are not possible, disables Call and retries on demand', async () => {
    const config = readConfig({
      defaultServerConfig: { sipDomain: 'example.test', sipServerAddress: ['ws://127.0.0.1:9'], guiEnabled: false },
      reconnectIntervalMin: 20,
      reconnectIntervalMax: 30,
    });
    render(<App config={config} store={new Store(null)} strings={defaultStrings} />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Sign in to your phone line');
    fireEvent.input(screen.getByLabelText('SIP user'), { target: { value: 'dave' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The SBC cannot be reached: calls are not possible.');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Calls');
    expect(screen.getByText('dave@example.test')).toBeTruthy();
    expect(screen.getByTestId('retry-at').textContent).toMatch(/Next attempt within (19|20) s\./);

    fireEvent.input(screen.getByLabelText('Number or SIP address'), { target: { value: 'bob' } });
    const call = screen.getByRole('button', { name: 'Call' }) as HTMLButtonElement;
    expect(call.disabled).toBe(true);
    expect(call.getAttribute('aria-describedby')).toBe(alert.id);

    const before = opened.length;
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    await waitFor(() => expect(opened.length).toBe(before + 1));
    expect(opened.at(-1)).toBe('ws://127.0.0.1:9');
  });
});
