import { useEffect, useRef, useState } from 'preact/hooks';
import type { ClientConfig } from '../config/options';
import type { Call, CallSnapshot } from '../sip/call';
import { guardUnload } from '../sip/unload';
import { Phone, type Account, type AgentState, type PhoneSnapshot, type ServerSettings } from '../sip/phone';
import { RestoreStore, restorable, restoreOptions, startRestore } from '../sip/restore';
import { openStorage } from '../storage/store';

export interface PhoneHandlers {
  onIncoming(call: Call): void;
  onEnded(call: CallSnapshot): void;
  /** The SIP stack refused the account or server settings. */
  onStartFailed(err: unknown): void;
  /** The ACD state changed (by the agent or by itself). */
  onAgentState(state: AgentState): void;
  /** The ACD state a new phone starts with. */
  initialAgentState(): AgentState;
}

const emptySnapshot: PhoneSnapshot = { lines: [], calls: [], agent: { ready: true, reasonCode: null } };

/**
 * usePhone runs a Phone while there is an account: it starts on sign-in or
 * auto-login and stops on sign-out or when the account or server settings
 * change. Nothing else (texts, handlers, devices) restarts it.
 */
export function usePhone(
  config: ClientConfig, account: Account | null, server: ServerSettings, microphone: string | null, handlers: PhoneHandlers, camera: string | null = null,
) {
  const [phone, setPhone] = useState<Phone | null>(null);
  const [snap, setSnap] = useState<PhoneSnapshot>(emptySnapshot);
  const h = useRef(handlers);
  h.current = handlers;
  const mic = useRef(microphone);
  mic.current = microphone;
  const cam = useRef(camera);
  cam.current = camera;

  useEffect(() => {
    if (!account) return;
    const p = new Phone(config, account, server);
    p.setMicrophone(mic.current);
    p.setCamera(cam.current);
    p.setAgentState(h.current.initialAgentState());
    const off = [
      p.on('agentState', (s) => h.current.onAgentState(s)),
      p.on('change', setSnap),
      p.on('incoming', (c) => h.current.onIncoming(c)),
      p.on('callEnded', (c) => h.current.onEnded(c)),
    ];
    // Leaving the page during a call: confirm, then end the calls (sip/unload.ts),
    // except those the next page rejoins (restoreCall, sip/restore.ts).
    const restore = restoreOptions(config.raw);
    off.push(guardUnload(window, () => p.calls, (c) => restorable(restore, c)));
    setPhone(p);
    try {
      p.start();
    } catch (err) {
      console.error('starting the phone', err);
      h.current.onStartFailed(err);
    }
    // restoreCall: rejoin the calls of the previous page, keep these for the next.
    off.push(startRestore(p, new RestoreStore(openStorage(config.storageLocation), account.user), restore, window));
    return () => {
      for (const f of off) f();
      p.stop();
      setPhone(null);
      setSnap(emptySnapshot);
    };
  }, [config, account, server]);

  useEffect(() => phone?.setMicrophone(microphone), [phone, microphone]);
  useEffect(() => phone?.setCamera(camera), [phone, camera]);

  return { phone, snap };
}
