import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ClientConfig } from '../config/options';
import type { Strings, StringKey } from '../i18n/defaults';
import { desiredTone, endTone, TonePlayer } from '../media/tones';
import { askPermission, notify, type CallNotice } from '../media/notify';
import type { Call } from '../sip/call';
import { Phone, type Account, type PhoneSnapshot, type ServerSettings } from '../sip/phone';
import { isWebSocketURL, parseAddressList } from '../sip/servers';
import type { Devices, Store } from '../storage/store';
import { CallsList } from './CallsList';
import { Dialer } from './Dialer';
import { Icon } from './icons';
import { StringsContext } from './i18n';
import { RemoteAudio } from './RemoteAudio';
import type { ServerDraft } from './ServerFields';
import { Settings } from './Settings';
import { SignIn } from './SignIn';
import { StatusBar } from './StatusBar';

interface Props {
  config: ClientConfig;
  store: Store;
  strings: Strings;
}

/** serverSettings is what the phone uses: the configuration, or the user's edits where allowed. */
function serverSettings(config: ClientConfig, store: Store): ServerSettings {
  const fromConfig = {
    sipDomain: config.server.sipDomain,
    addresses: config.server.sipServerAddress,
    backupAddresses: config.server.backupSipServerAddress,
  };
  if (!config.server.guiEnabled || config.server.disableEditing) return fromConfig;
  return store.serverSettings() ?? fromConfig;
}

function toDraft(s: ServerSettings): ServerDraft {
  return { sipDomain: s.sipDomain, addresses: s.addresses.join('\n'), backupAddresses: s.backupAddresses.join('\n') };
}

function fromDraft(d: ServerDraft): ServerSettings {
  return { sipDomain: d.sipDomain.trim(), addresses: parseAddressList(d.addresses), backupAddresses: parseAddressList(d.backupAddresses) };
}

/** serverProblem names what makes server settings unusable, if anything. */
function serverProblem(s: ServerSettings): StringKey | null {
  if (s.addresses.length === 0 || !s.addresses.every(isWebSocketURL) || !s.backupAddresses.every(isWebSocketURL)) return 'SIGN_IN_NO_SERVER';
  if (!/^[^\s@:;/]+$/.test(s.sipDomain)) return 'SIGN_IN_NO_DOMAIN';
  return null;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

const emptySnapshot: PhoneSnapshot = { lines: [], calls: [] };

export function App({ config, store, strings: t }: Props) {
  const [server, setServer] = useState(() => serverSettings(config, store));
  const [account, setAccount] = useState<Account | null>(() => store.account());
  // The account shown in the sign-in form after signing out or a refused registration.
  const [lastAccount, setLastAccount] = useState<Account | null>(null);
  const [devices, setDevices] = useState<Devices>(() => store.devices());
  const [phone, setPhone] = useState<Phone | null>(null);
  const [snap, setSnap] = useState<PhoneSnapshot>(emptySnapshot);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [number, setNumber] = useState('');
  const [dialError, setDialError] = useState<StringKey | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  // During a call the dialer folds away behind a "New call" button.
  const [dialerOpen, setDialerOpen] = useState(false);
  const [soundBlocked, setSoundBlocked] = useState(false);
  const [micDenied, setMicDenied] = useState(false);
  const [now, setNow] = useState(Date.now());
  const numberRef = useRef<HTMLInputElement>(null);
  const player = useMemo(() => new TonePlayer(), []);
  const notices = useRef(new Map<string, CallNotice>());

  useEffect(() => player.setDevices(devices.speaker, devices.ringer), [player, devices]);
  useEffect(() => {
    player.onBlocked = () => setSoundBlocked(true);
    const autoplay = config.notification.autoplay;
    if (!autoplay) return;
    void player.probe().then((allowed) => {
      if (allowed) return;
      if (autoplay.showAutoplayDisabledAlert) setSoundBlocked(true);
      if (autoplay.showAutoplayDisabledNotification) notify(t.APP_TITLE, t.AUTOPLAY_DISABLED_NOTIFICATION, config.notification.focusWindowOnClick);
    });
  }, [player, config, t]);

  // Start the phone whenever there is an account (auto-login included).
  useEffect(() => {
    if (!account) return;
    const p = new Phone(config, account, server);
    p.setMicrophone(devices.microphone);
    const offChange = p.on('change', setSnap);
    const offIncoming = p.on('incoming', (call) => {
      setFocusedId(call.snapshot.id);
      const who = call.snapshot.remoteName || call.snapshot.remoteUser;
      const n = notify(t.INCOMING_CALL_NOTIFICATION_TITLE, who, config.notification.focusWindowOnClick);
      if (n) notices.current.set(call.snapshot.id, n);
    });
    const offEnded = p.on('callEnded', (c) => {
      if (c.endCause === 'User Denied Media Access') setMicDenied(true);
      const tone = endTone(c);
      if (tone) player.once(tone);
    });
    setPhone(p);
    try {
      p.start();
    } catch (err) {
      // JsSIP refuses a configuration it cannot use (a bad user or domain).
      console.error('starting the phone', err);
      setSignInError(`${t.SIGN_IN_FAILED} ${err instanceof Error ? err.message : String(err)}`);
      setLastAccount({ ...account, password: '' });
      store.setAccount(null);
      setAccount(null);
    }
    return () => {
      offChange();
      offIncoming();
      offEnded();
      p.stop();
      setPhone(null);
      setSnap(emptySnapshot);
    };
    // devices.microphone is applied below without restarting the phone.
  }, [config, account, server, player, t]);
  useEffect(() => phone?.setMicrophone(devices.microphone), [phone, devices.microphone]);

  // A User Timing mark for the first registration: page load to registered.
  const registered = snap.lines.some((l) => l.state === 'registered');
  useEffect(() => {
    if (registered && performance.getEntriesByName('softphone:registered').length === 0) performance.mark('softphone:registered');
  }, [registered]);

  // Tones, notifications, focus and the clock follow the calls.
  useEffect(() => {
    player.loop(desiredTone(snap.calls));
    for (const [id, n] of notices.current) {
      if (!snap.calls.some((c) => c.id === id && c.status === 'incoming')) {
        n.close();
        notices.current.delete(id);
      }
    }
    const live = snap.calls.filter((c) => c.status !== 'ended');
    // Focus stays on a live call; an ended one keeps it only while nothing else is live.
    if (live.length > 0 ? !live.some((c) => c.id === focusedId) : !snap.calls.some((c) => c.id === focusedId)) {
      setFocusedId(live.length ? live[live.length - 1].id : null);
    }
    const incoming = live.find((c) => c.status === 'incoming');
    document.title = incoming ? `${t.INCOMING_CALL_NOTIFICATION_TITLE}: ${incoming.remoteName || incoming.remoteUser}` : t.APP_TITLE;
  }, [snap, player, focusedId, t]);
  const anyConnected = snap.calls.some((c) => c.status === 'connected');
  useEffect(() => {
    if (!anyConnected) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [anyConnected]);
  useEffect(() => () => player.loop(null), [player]);

  const calls = phone?.calls ?? [];
  const liveCalls = calls.some((c) => c.snapshot.status !== 'ended');
  const focused = calls.find((c) => c.snapshot.id === focusedId) ?? null;

  const dial = useCallback(() => {
    if (!phone) return;
    const r = phone.dial(number);
    if (typeof r === 'string') {
      setDialError(r === 'NOT_REGISTERED' ? 'REGISTRATION_UNREGISTERED' : r === 'OUTGOING_CALLS_DISABLED' ? 'OUTGOING_CALLS_DISABLED' : 'INVALID_NUMBER');
      return;
    }
    setDialError(null);
    setFocusedId(r.snapshot.id);
    setNumber('');
    setDialerOpen(false);
  }, [phone, number]);

  const answer = useCallback((c: Call) => {
    phone?.answer(c);
    setFocusedId(c.snapshot.id);
    setSoundBlocked(false);
  }, [phone]);

  const focusCall = useCallback((c: Call) => {
    setFocusedId(c.snapshot.id);
    // Switching calls resumes the chosen one and holds the others.
    if (c.snapshot.status === 'connected') {
      phone?.holdOthers(c);
      if (c.snapshot.localHold) c.unhold();
    }
  }, [phone]);

  // Keyboard: Alt+A answers, Alt+H hangs up or rejects, Alt+D goes to the
  // number; digits typed anywhere else dial or send DTMF in a call.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!phone || settingsOpen) return;
      if (e.altKey && !e.ctrlKey && !e.metaKey) {
        const k = e.key.toLowerCase();
        if (k === 'a') {
          const incoming = calls.find((c) => c.snapshot.status === 'incoming');
          if (incoming) answer(incoming);
        } else if (k === 'h') {
          focused?.hangUp();
        } else if (k === 'd') {
          setDialerOpen(true);
          setTimeout(() => numberRef.current?.focus(), 0);
        } else {
          return;
        }
        e.preventDefault();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || !/^[0-9*#]$/.test(e.key)) return;
      if (focused?.snapshot.status === 'connected') {
        focused.sendDTMF(e.key);
      } else if (!config.disableOutgoingCalls) {
        setDialerOpen(true);
        setNumber((n) => n + e.key);
        setTimeout(() => numberRef.current?.focus(), 0);
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [phone, calls, focused, answer, settingsOpen, config]);

  const signIn = (a: Account, d: ServerDraft) => {
    const s = config.server.guiEnabled && !config.server.disableEditing ? fromDraft(d) : server;
    const problem = serverProblem(s);
    if (problem) {
      setSignInError(t[problem]);
      return;
    }
    askPermission();
    if (s !== server) {
      store.setServerSettings(s);
      setServer(s);
    }
    store.setAccount(a);
    setSignInError(null);
    setAccount(a);
  };

  const signOut = (keep: boolean) => {
    store.setAccount(null);
    setSettingsOpen(false);
    setLastAccount(keep && account ? { ...account, password: '' } : null);
    setAccount(null);
  };
  const authFailed = snap.lines.some((l) => l.name === 'main' && l.state === 'failed' && l.cause === 'Authentication Error');

  const save = (a: Account, d: ServerDraft, dev: Devices) => {
    const s = config.server.guiEnabled && !config.server.disableEditing ? fromDraft(d) : server;
    if (!serverProblem(s)) {
      if (JSON.stringify(s) !== JSON.stringify(server)) {
        store.setServerSettings(s);
        setServer(s);
      }
    }
    store.setDevices(dev);
    setDevices(dev);
    if (a.displayName !== account?.displayName) {
      store.setAccount(a);
      setAccount(a);
    }
    setSettingsOpen(false);
  };

  return (
    <StringsContext.Provider value={t}>
      <div class={`app${account ? ' signed-in' : ''}`}>
        <StatusBar lines={snap.lines} user={account?.user ?? null} onSettings={account && !settingsOpen ? () => setSettingsOpen(true) : null} />
        {soundBlocked && (
          <div class="banner" role="alert">
            <span>{t.AUTOPLAY_DISABLED_ALERT}</span>
            <button type="button" onClick={() => { setSoundBlocked(false); player.resume(); }}>{t.ENABLE_SOUND}</button>
          </div>
        )}
        {micDenied && (
          <div class="banner" role="alert">
            <span>{t.MICROPHONE_DENIED}</span>
            <button type="button" onClick={() => setMicDenied(false)}>{t.CLOSE}</button>
          </div>
        )}
        {authFailed && !settingsOpen && (
          <div class="banner" role="alert">
            <span>{t.REGISTRATION_AUTH_FAILED}</span>
            <button type="button" onClick={() => signOut(true)}>{t.SIGN_IN_AGAIN}</button>
          </div>
        )}
        <main class="content">
          {!account ? (
            <SignIn config={config} initial={lastAccount} server={toDraft(server)} error={signInError} onSubmit={signIn} />
          ) : settingsOpen ? (
            <Settings
              config={config}
              account={account}
              server={toDraft(server)}
              devices={devices}
              onSave={save}
              onSignOut={() => signOut(false)}
              onClose={() => setSettingsOpen(false)}
            />
          ) : (
            <div class={`phone${calls.length ? ' has-calls' : ''}`}>
              <CallsList
                calls={calls}
                focusedId={focused?.snapshot.id ?? null}
                alwaysShowFull={config.layout.alwaysShowFullCallsList}
                now={now}
                onFocus={focusCall}
                onAnswer={answer}
              />
              {config.disableOutgoingCalls ? (
                calls.length === 0 && (
                  <div class="idle">
                    <p class="idle-title">{t.IDLE_WAITING}</p>
                    <p class="hint">{t.OUTGOING_CALLS_DISABLED}</p>
                  </div>
                )
              ) : liveCalls && !dialerOpen ? (
                <button type="button" class="new-call" aria-keyshortcuts="Alt+D" onClick={() => { setDialerOpen(true); setTimeout(() => numberRef.current?.focus(), 0); }}>
                  <Icon name="keypad" />
                  {t.NEW_CALL}
                </button>
              ) : (
                <Dialer
                  number={number}
                  onNumber={(n) => { setNumber(n); setDialError(null); }}
                  onCall={dial}
                  disabled={!snap.lines.some((l) => l.state === 'registered')}
                  inputRef={numberRef}
                  error={dialError && t[dialError]}
                />
              )}
            </div>
          )}
        </main>
        {calls.map((c) => (
          <RemoteAudio key={c.snapshot.id} stream={c.remoteStream} speaker={devices.speaker} />
        ))}
      </div>
    </StringsContext.Provider>
  );
}
