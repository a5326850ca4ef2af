// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClientConfig } from '../config/options';
import { readConfig } from '../config/options';
import type { Connection } from '../state/connection';
import { ConnectionBanner } from './ConnectionBanner';
import { DialPad } from './DialPad';
import { Dialer } from './Dialer';
import { EndedCalls } from './EndedCalls';
import { SignIn } from './SignIn';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const down: Connection = { kind: 'down', why: 'CONNECTION_SBC_UNREACHABLE', server: 'wss://sbc1:10081', cause: 'connect timeout', retryAt: 18_000, auth: false };

describe('ConnectionBanner', () => {
  it('says why calls are not possible, when the next attempt is, and retries on demand', () => {
    const retry = vi.fn();
    render(<ConnectionBanner connection={down} now={10_500} onRetry={retry} />);
    expect(screen.getByRole('alert').textContent).toBe('The SBC cannot be reached: calls are not possible.');
    expect(screen.getByTestId('retry-at').textContent).toContain('Next attempt within 8 s.');
    expect(screen.getByTestId('retry-at').textContent).toContain('wss://sbc1:10081 (connect timeout)');
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('says when no attempt is scheduled, and when one is under way', () => {
    const { rerender } = render(<ConnectionBanner connection={{ ...down, retryAt: null }} now={0} onRetry={() => {}} />);
    expect(screen.getByTestId('retry-at').textContent).toContain('No automatic retry.');
    rerender(<ConnectionBanner connection={down} now={20_000} onRetry={() => {}} />);
    expect(screen.getByTestId('retry-at').textContent).toContain('Trying again…');
  });

  it('offers signing in again for a provider account the SBC refused', () => {
    const again = vi.fn();
    render(<ConnectionBanner connection={{ ...down, why: 'REGISTRATION_AUTH_FAILED', auth: true }} now={0} onRetry={() => {}} onSignInAgain={again} />);
    expect(screen.queryByRole('button', { name: 'Retry now' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(again).toHaveBeenCalled();
  });

  it('shows nothing while a line works, a quiet note while starting', () => {
    const { container, rerender } = render(<ConnectionBanner connection={{ kind: 'ok', server: null }} now={0} onRetry={() => {}} />);
    expect(container.textContent).toBe('');
    rerender(<ConnectionBanner connection={{ kind: 'starting', server: null }} now={0} onRetry={() => {}} />);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(container.textContent).toBe('Connecting to the SBC…');
  });
});

describe('Dialer while the phone is down', () => {
  it('disables Call and points at the reason', () => {
    render(
      <>
        <ConnectionBanner connection={down} now={0} onRetry={() => {}} />
        <Dialer number="4021" onNumber={() => {}} onCall={() => {}} onVideoCall={null} disabled disabledReasonId="connection-why" inputRef={{ current: null }} error={null} />
      </>,
    );
    const call = screen.getByRole('button', { name: 'Call' }) as HTMLButtonElement;
    expect(call.disabled).toBe(true);
    const reason = document.getElementById(call.getAttribute('aria-describedby') ?? '');
    expect(reason?.textContent).toBe('The SBC cannot be reached: calls are not possible.');
  });
});

describe('DialPad', () => {
  it('names each key by its visible digit, with no aria-label to contradict the letters', () => {
    render(<DialPad onKey={() => {}} />);
    const two = screen.getByRole('button', { name: '2' });
    expect(two.getAttribute('aria-label')).toBeNull();
    expect(two.textContent).toBe('2ABC');
    expect(screen.getAllByRole('button')).toHaveLength(12);
  });
});

describe('EndedCalls', () => {
  const ended = [{ id: 'c1', who: 'Bob', endReason: 'busy' as const, failure: null, restoreFailed: false, talked: 222_000, endedAt: 0 }];

  it('sums the call up in one line and dismisses it', () => {
    const dismiss = vi.fn();
    render(<EndedCalls ended={ended} onDismiss={dismiss} />);
    expect(screen.getByTestId('call-status').textContent).toBe('Call with Bob ended · Busy · 3:42');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss: Call with Bob ended' }));
    expect(dismiss).toHaveBeenCalledWith('c1');
  });

  it('says in words why a call failed', () => {
    render(<EndedCalls ended={[{ ...ended[0], endReason: 'rejected', failure: 'not-found', talked: null }]} onDismiss={() => {}} />);
    expect(screen.getByTestId('call-status').textContent).toBe('Call with Bob ended · Number not found');
  });

  it('says when a call could not be restored', () => {
    render(<EndedCalls ended={[{ ...ended[0], endReason: 'failed', failure: 'failed', restoreFailed: true, talked: null }]} onDismiss={() => {}} />);
    expect(screen.getByTestId('call-status').textContent).toBe('Call with Bob ended · The call could not be restored');
  });

  it('leaves on its own after the linger time, not while the pointer is on it', () => {
    vi.useFakeTimers();
    const dismiss = vi.fn();
    render(<EndedCalls ended={ended} onDismiss={dismiss} lingerMs={5000} />);
    const line = screen.getByTestId('call');
    fireEvent.mouseEnter(line);
    vi.advanceTimersByTime(20_000);
    expect(dismiss).not.toHaveBeenCalled();
    fireEvent.mouseLeave(line);
    vi.advanceTimersByTime(4999);
    expect(dismiss).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(dismiss).toHaveBeenCalledWith('c1');
  });
});

describe('SignIn', () => {
  const config: ClientConfig = readConfig({});
  const server = { sipDomain: 'example.test', addresses: 'wss://sbc', backupAddresses: '' };

  it('shows a refused password at the password field, until the password changes', () => {
    render(<SignIn config={config} initial={{ user: 'judy', password: '', displayName: '' }} server={server}
      error={{ field: 'password', text: 'The SBC refused the SIP user or password.' }} onSubmit={() => {}} />);
    const password = screen.getByLabelText('Password');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(password.getAttribute('aria-describedby') ?? '')?.textContent).toBe('The SBC refused the SIP user or password.');
    expect((screen.getByLabelText('SIP user') as HTMLInputElement).value).toBe('judy');
    fireEvent.input(password, { target: { value: 'n' } });
    expect(password.getAttribute('aria-invalid')).toBe('false');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('waits for the line while busy', () => {
    const submit = vi.fn();
    render(<SignIn config={config} initial={{ user: 'judy', password: 'x', displayName: '' }} server={server} error={null} busy onSubmit={submit} />);
    const button = screen.getByRole('button', { name: 'Signing in…' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(screen.getByRole('status').textContent).toBe('Connecting to the SBC…');
  });
});
