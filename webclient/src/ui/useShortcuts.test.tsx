// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Call, CallSnapshot } from '../sip/call';
import { useShortcuts } from './useShortcuts';

afterEach(cleanup);

function fakeCall(patch: Partial<CallSnapshot>) {
  return {
    snapshot: { id: 'c1', status: 'connected', localHold: false, ...patch } as CallSnapshot,
    hold: vi.fn(), unhold: vi.fn(), toggleMute: vi.fn(), hangUp: vi.fn(), sendDTMF: vi.fn(), canHold: () => true,
  };
}

function Harness({ focused, answer = () => {}, dial = () => {} }: { focused: ReturnType<typeof fakeCall>; answer?: (c: Call) => void; dial?: (d?: string) => void }) {
  const call = focused as unknown as Call;
  useShortcuts({ enabled: true, calls: [call], focused: call, answer, dial, canDial: true });
  return null;
}

const press = (code: string, key: string, alt = true) => window.dispatchEvent(new KeyboardEvent('keydown', { code, key, altKey: alt, bubbles: true }));

describe('useShortcuts', () => {
  it('Alt+O holds a connected call and resumes a held one', () => {
    const c = fakeCall({});
    const { rerender } = render(<Harness focused={c} />);
    press('KeyO', 'o');
    expect(c.hold).toHaveBeenCalledTimes(1);
    const held = fakeCall({ localHold: true });
    rerender(<Harness focused={held} />);
    press('KeyO', 'o');
    expect(held.unhold).toHaveBeenCalledTimes(1);
    expect(held.hold).not.toHaveBeenCalled();
  });

  it('Alt+M mutes, Alt+H hangs up, digits send tones in a call', () => {
    const c = fakeCall({});
    render(<Harness focused={c} />);
    press('KeyM', 'm');
    press('Digit5', '5', false);
    press('KeyH', 'h');
    expect(c.toggleMute).toHaveBeenCalledTimes(1);
    expect(c.sendDTMF).toHaveBeenCalledWith('5');
    expect(c.hangUp).toHaveBeenCalledTimes(1);
  });

  it('Alt+A answers the ringing call; hold and mute do nothing to it', () => {
    const ringing = fakeCall({ status: 'incoming' });
    const answer = vi.fn();
    render(<Harness focused={ringing} answer={answer} />);
    press('KeyO', 'o');
    press('KeyM', 'm');
    press('KeyA', 'a');
    expect(answer).toHaveBeenCalledTimes(1);
    expect(ringing.hold).not.toHaveBeenCalled();
    expect(ringing.toggleMute).not.toHaveBeenCalled();
  });
});
