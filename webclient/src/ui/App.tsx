import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AuthController } from '../auth/types';
import { MandatorySignIn, ProviderList, ProviderSignIn, useAuth } from '../auth/ui';
import type { ClientConfig } from '../config/options';
import type { Strings, StringKey } from '../i18n/defaults';
import { askPermission, notify } from '../media/notify';
import { endTone, TonePlayer } from '../media/tones';
import type { Call } from '../sip/call';
import type { Account, ServerSettings } from '../sip/phone';
import { isWebSocketURL, parseAddressList } from '../sip/servers';
import { devicesToChoose, type Devices, type Store } from '../storage/store';
import { addEntry, entryFromCall, type HistoryEntry } from '../storage/history';
import { localeOf } from '../i18n/strings';
import type { AgentState as AgentStateValue } from '../sip/phone';
import { AgentState } from './AgentState';
import { CallsList } from './CallsList';
import { History } from './History';
import { Dialer } from './Dialer';
import { StringsContext } from './i18n';
import { Icon } from './icons';
import { RemoteAudio } from './RemoteAudio';
import type { ServerDraft } from './ServerFields';
import { Settings } from './Settings';
import { SignIn } from './SignIn';
import { StatusBar } from './StatusBar';
import { useCallAlerts } from './useCallAlerts';
import { usePhone } from './usePhone';
import { useShortcuts } from './useShortcuts';
import { useVirtualBackground } from './useVirtualBackground';
import { useAgentAssist } from './useAgentAssist';
import { AgentAssistPanel } from './AgentAssistPanel';

interface Props {
  config: ClientConfig;
  store: Store;
  strings: Strings;
  /** Sign-in with identity providers; null when none is configured. */
  auth?: AuthController | null;
}

/** serverSettings is what the phone uses: the configuration, or the user's edits where allowed. */
function serverSettings(config: ClientConfig, store: Store): ServerSettings {
  const fromConfig = {
    sipDomain: config.server.sipDomain,
    addresses: config.server.sipServerAddress,
    backupAddresses: config.server.backupSipServerAddress,
  };
  if (!editable(config)) return fromConfig;
  return store.serverSettings() ?? fromConfig;
}

function editable(config: ClientConfig): boolean {
  return config.server.guiEnabled && !config.server.disableEditing;
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

export function App({ config, store, strings: t, auth = null }: Props) {
  const [server, setServer] = useState(() => serverSettings(config, store));
  const [storedAccount, setAccount] = useState<Account | null>(() => store.account());
  const authSnap = useAuth(auth);
  // A provider's sign-in, when there is one, supplies the SIP account.
  const account = authSnap?.account ?? storedAccount;
  // The account shown in the sign-in form after signing out or a refused registration.
  const [lastAccount, setLastAccount] = useState<Account | null>(null);
  const [devices, setDevices] = useState<Devices>(() => store.devices());
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [number, setNumber] = useState('');
  const [dialError, setDialError] = useState<StringKey | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  // The client went not ready by itself (a missed call): say so once.
  const [autoNotReady, setAutoNotReady] = useState(false);
  const agentByUser = useRef(false);
  // During a call the dialer folds away behind a "New call" button.
  const [dialerOpen, setDialerOpen] = useState(false);
  const [soundBlocked, setSoundBlocked] = useState(false);
  const [micDenied, setMicDenied] = useState(false);
  const [now, setNow] = useState(Date.now());
  const numberRef = useRef<HTMLInputElement>(null);
  const player = useMemo(() => new TonePlayer(), []);
  const agentCfg = config.agent;
  const user = account?.user ?? null;

  // The call history of the signed-in user, from the configured storage.
  useEffect(() => {
    setHistory(user ? store.history(user, agentCfg.history.maxEntries) : []);
  }, [store, user, agentCfg]);

  const { phone, snap } = usePhone(config, account, server, devices.microphone, {
    onIncoming: (call) => {
      setFocusedId(call.snapshot.id);
      // A ringing call takes over from the history view.
      setHistoryOpen(false);
    },
    onEnded: (c) => {
      if (user) {
        const next = addEntry(store.history(user, agentCfg.history.maxEntries), entryFromCall(c), agentCfg.history.maxEntries);
        store.setHistory(user, next);
        setHistory(next);
      }
      if (c.endCause === 'User Denied Media Access') setMicDenied(true);
      const tone = endTone(c);
      if (tone) player.once(tone);
    },
    onStartFailed: (err) => {
      setSignInError(`${t.SIGN_IN_FAILED} ${err instanceof Error ? err.message : String(err)}`);
      setLastAccount(account && { ...account, password: '' });
      store.setAccount(null);
      setAccount(null);
    },
    onAgentState: (s) => {
      if (user) store.setAgentState(user, s);
      setAutoNotReady(!s.ready && !agentByUser.current);
    },
    initialAgentState: () => (agentCfg.acd.enabled && user ? store.agentState(user) : { ready: true, reasonCode: null }),
  }, devices.camera);
  useCallAlerts(config, snap, player, t);

  useEffect(() => player.setDevices(devices.speaker, devices.ringer), [player, devices]);
  // notificationOptions.autoplay: warn at load when the browser blocks tones.
  useEffect(() => {
    player.onBlocked = () => setSoundBlocked(true);
    const autoplay = config.notification.autoplay;
    if (!autoplay) return;
    void player.probe().then((allowed) => {
      if (allowed) return;
      if (autoplay.showAutoplayDisabledAlert) setSoundBlocked(true);
      if (autoplay.showAutoplayDisabledNotification) notify(t.APP_TITLE, t.AUTOPLAY_DISABLED_NOTIFICATION, config.notification.focusWindowOnClick);
    });
    // Once per page load: the texts may arrive later without a second probe.
  }, [player, config]);

  // Focus stays on a live call; an ended one keeps it only while nothing else is live.
  useEffect(() => {
    const live = snap.calls.filter((c) => c.status !== 'ended');
    if (live.length > 0 ? !live.some((c) => c.id === focusedId) : !snap.calls.some((c) => c.id === focusedId)) {
      setFocusedId(live.length ? live[live.length - 1].id : null);
    }
  }, [snap, focusedId]);

  // The clock ticks for call durations and auto-answer countdowns.
  const anyConnected = snap.calls.some((c) => c.status === 'connected' || c.autoAnswerAt !== null);
  useEffect(() => {
    if (!anyConnected) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [anyConnected]);

  const calls = phone?.calls ?? [];
  const liveCalls = calls.some((c) => c.snapshot.status !== 'ended');
  const focused = calls.find((c) => c.snapshot.id === focusedId) ?? null;
  useVirtualBackground(config, calls);
  const assist = useAgentAssist(config, calls, user);

  const openDialer = useCallback((digit?: string) => {
    setDialerOpen(true);
    if (digit) setNumber((n) => n + digit);
    setTimeout(() => numberRef.current?.focus(), 0);
  }, []);

  const dialTarget = useCallback((target: string, video = false) => {
    if (!phone) return;
    const r = phone.dial(target, video);
    if (typeof r === 'string') {
      setDialError(r === 'NOT_REGISTERED' ? 'REGISTRATION_UNREGISTERED' : r === 'OUTGOING_CALLS_DISABLED' ? 'OUTGOING_CALLS_DISABLED' : 'INVALID_NUMBER');
      return;
    }
    setDialError(null);
    setFocusedId(r.snapshot.id);
    setNumber('');
    setDialerOpen(false);
    setHistoryOpen(false);
  }, [phone]);
  const dial = useCallback(() => dialTarget(number), [dialTarget, number]);

  const setAgentState = useCallback((s: AgentStateValue) => {
    agentByUser.current = true;
    phone?.setAgentState(s);
    agentByUser.current = false;
  }, [phone]);

  const answer = useCallback((c: Call, video = false) => {
    phone?.answer(c, video);
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

  useShortcuts({ enabled: !!phone && !settingsOpen && !historyOpen, calls, focused, answer, dial: openDialer, canDial: !config.disableOutgoingCalls });

  const signIn = (a: Account, d: ServerDraft) => {
    const s = editable(config) ? fromDraft(d) : server;
    const problem = serverProblem(s);
    if (problem) {
      setSignInError(t[problem]);
      return;
    }
    askPermission();
    if (JSON.stringify(s) !== JSON.stringify(server)) {
      store.setServerSettings(s);
      setServer(s);
    }
    store.setAccount(a);
    setSignInError(null);
    setAccount(a);
  };

  const signOut = (keep: boolean) => {
    if (auth && account?.auth) {
      // A provider's account: "sign in again" goes back to the provider
      // (never during a call), sign-out ends every sign-in.
      const sip = authSnap?.providers.find((p) => p.sip);
      if (!keep) void auth.signOut();
      else if (sip && !liveCalls) auth.signIn(sip.name);
      return;
    }
    store.setAccount(null);
    setSettingsOpen(false);
    setHistoryOpen(false);
    setLastAccount(keep && account ? { ...account, password: '' } : null);
    setAccount(null);
  };
  const authFailed = snap.lines.some((l) => l.name === 'main' && l.state === 'failed' && l.cause === 'Authentication Error');

  const save = (a: Account, d: ServerDraft, dev: Devices) => {
    const s = editable(config) ? fromDraft(d) : server;
    if (!serverProblem(s) && JSON.stringify(s) !== JSON.stringify(server)) {
      store.setServerSettings(s);
      setServer(s);
    }
    store.setDevices(dev);
    setDevices(dev);
    if (a.displayName !== account?.displayName && !account?.auth) {
      store.setAccount(a);
      setAccount(a);
    }
    setSettingsOpen(false);
  };

  return (
    <StringsContext.Provider value={t}>
      <div class={`app${account ? ' signed-in' : ''}`}>
        <StatusBar
          lines={snap.lines}
          user={account?.user ?? null}
          onSettings={account && !settingsOpen ? () => { setHistoryOpen(false); setSettingsOpen(true); } : null}
          onHistory={account && agentCfg.history.guiEnabled && !historyOpen ? () => { setSettingsOpen(false); setHistoryOpen(true); } : null}
        />
        {account && phone && agentCfg.acd.enabled && <AgentState acd={agentCfg.acd} state={snap.agent} onChange={setAgentState} />}
        {autoNotReady && !snap.agent.ready && (
          <div class="banner" role="alert">
            <span>{t.AGENT_WENT_NOT_READY}</span>
            <button type="button" onClick={() => setAutoNotReady(false)}>{t.CLOSE}</button>
          </div>
        )}
        {account && !settingsOpen && devicesToChoose(config.mediaDevices, agentCfg.video.enabled, devices).length > 0 && (
          <div class="banner" role="alert" data-testid="choose-devices">
            <span>{t.DEVICES_MUST_BE_SELECTED}</span>
            <button type="button" onClick={() => { setHistoryOpen(false); setSettingsOpen(true); }}>{t.SETTINGS}</button>
          </div>
        )}
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
          {auth && authSnap?.mandatory && !authSnap.mandatory.signedIn && !liveCalls ? (
            <MandatorySignIn auth={auth} snap={authSnap} />
          ) : !account ? (
            <>
              <SignIn config={config} initial={lastAccount} server={toDraft(server)} error={signInError} onSubmit={signIn} />
              {auth && authSnap && <ProviderSignIn auth={auth} snap={authSnap} />}
            </>
          ) : settingsOpen ? (
            <Settings
              config={config}
              account={account}
              server={toDraft(server)}
              devices={devices}
              onSave={save}
              onSignOut={() => signOut(false)}
              providers={auth && authSnap && <ProviderList auth={auth} snap={authSnap} busy={liveCalls} />}
              onClose={() => setSettingsOpen(false)}
            />
          ) : historyOpen ? (
            <History
              entries={history}
              locale={localeOf(t)}
              onRedial={config.disableOutgoingCalls ? null : (target) => dialTarget(target)}
              onClose={() => setHistoryOpen(false)}
            />
          ) : (
            <div class={`phone${calls.length ? ' has-calls' : ''}`}>
              <CallsList
                calls={calls}
                focusedId={focused?.snapshot.id ?? null}
                alwaysShowFull={config.layout.alwaysShowFullCallsList}
                now={now}
                videoEnabled={agentCfg.video.enabled}
                onFocus={focusCall}
                onAnswer={answer}
              />
              <AgentAssistPanel assist={assist} call={focused} />
              {config.disableOutgoingCalls ? (
                calls.length === 0 && (
                  <div class="idle">
                    <p class="idle-title">{t.IDLE_WAITING}</p>
                    <p class="hint">{t.OUTGOING_CALLS_DISABLED}</p>
                  </div>
                )
              ) : liveCalls && !dialerOpen ? (
                <button type="button" class="new-call" aria-keyshortcuts="Alt+D" onClick={() => openDialer()}>
                  <Icon name="keypad" />
                  {t.NEW_CALL}
                </button>
              ) : (
                <Dialer
                  number={number}
                  onNumber={(n) => { setNumber(n); setDialError(null); }}
                  onCall={dial}
                  onVideoCall={agentCfg.video.enabled ? () => dialTarget(number, true) : null}
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
