import { useEffect, useRef } from 'preact/hooks';
import type { Call } from '../sip/call';

export interface Shortcuts {
  enabled: boolean;
  calls: readonly Call[];
  focused: Call | null;
  answer(call: Call): void;
  /** Opens the dialer and focuses the number, appending digit when given. */
  dial(digit?: string): void;
  canDial: boolean;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/**
 * useShortcuts: Alt+A answers the ringing call, Alt+H hangs up or rejects the
 * focused call, Alt+O holds or resumes it, Alt+M mutes or unmutes it, Alt+D
 * goes to the number; digits typed outside a field send DTMF in a connected
 * call or start dialling. Shortcuts.tsx lists them.
 */
export function useShortcuts(s: Shortcuts): void {
  const ref = useRef(s);
  ref.current = s;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { enabled, calls, focused, answer, dial, canDial } = ref.current;
      if (!enabled) return;
      if (e.altKey && !e.ctrlKey && !e.metaKey) {
        // e.code: the physical key, whatever Alt makes of it on this layout.
        const k = e.code;
        if (k === 'KeyA') {
          const incoming = calls.find((c) => c.snapshot.status === 'incoming');
          if (incoming) answer(incoming);
        } else if (k === 'KeyH') {
          focused?.hangUp();
        } else if (k === 'KeyO' && focused?.snapshot.status === 'connected') {
          if (focused.snapshot.localHold) focused.unhold();
          else if (focused.canHold()) focused.hold();
        } else if (k === 'KeyM' && focused?.snapshot.status === 'connected') {
          focused.toggleMute();
        } else if (k === 'KeyD' && canDial) {
          dial();
        } else {
          return;
        }
        e.preventDefault();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || !/^[0-9*#]$/.test(e.key)) return;
      if (focused?.snapshot.status === 'connected') focused.sendDTMF(e.key);
      else if (canDial) dial(e.key);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
