import { useEffect, useRef, useState } from 'preact/hooks';
import type { ClientConfig } from '../config/options';
import type { Call, CallSnapshot } from '../sip/call';
import { Phone, type Account, type PhoneSnapshot, type ServerSettings } from '../sip/phone';

export interface PhoneHandlers {
  onIncoming(call: Call): void;
  onEnded(call: CallSnapshot): void;
  /** The SIP stack refused the account or server settings. */
  onStartFailed(err: unknown): void;
}

const emptySnapshot: PhoneSnapshot = { lines: [], calls: [] };

/**
 * usePhone runs a Phone while there is an account: it starts on sign-in or
 * auto-login and stops on sign-out or when the account or server settings
 * change. Nothing else (texts, handlers, devices) restarts it.
 */
export function usePhone(config: ClientConfig, account: Account | null, server: ServerSettings, microphone: string | null, handlers: PhoneHandlers) {
  const [phone, setPhone] = useState<Phone | null>(null);
  const [snap, setSnap] = useState<PhoneSnapshot>(emptySnapshot);
  const h = useRef(handlers);
  h.current = handlers;
  const mic = useRef(microphone);
  mic.current = microphone;

  useEffect(() => {
    if (!account) return;
    const p = new Phone(config, account, server);
    p.setMicrophone(mic.current);
    const off = [
      p.on('change', setSnap),
      p.on('incoming', (c) => h.current.onIncoming(c)),
      p.on('callEnded', (c) => h.current.onEnded(c)),
    ];
    setPhone(p);
    try {
      p.start();
    } catch (err) {
      console.error('starting the phone', err);
      h.current.onStartFailed(err);
    }
    return () => {
      for (const f of off) f();
      p.stop();
      setPhone(null);
      setSnap(emptySnapshot);
    };
  }, [config, account, server]);

  useEffect(() => phone?.setMicrophone(microphone), [phone, microphone]);

  return { phone, snap };
}
