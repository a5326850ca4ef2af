import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
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
import { format, localeOf } from '../i18n/strings';
import { canCall, connection } from '../state/connection';
import { focusFor, initialState, reducer, type Notice } from '../state/workspace';
import type { AgentState as AgentStateValue } from '../sip/phone';
import { AgentState } from './AgentState';
import { CallsList } from './CallsList';
import { ConnectionBanner, connectionWhyId } from './ConnectionBanner';
import { EndedCalls } from './EndedCalls';
import { Header } from './Header';
import { CallsContext } from './TransferControls';
import { Conference } from '../media/conference';
import { History } from './History';
import { Dialer } from './Dialer';
import { StringsContext } from './i18n';
import { Icon } from './icons';
import { RemoteAudio } from './RemoteAudio';
import type { ServerDraft } from './ServerFields';
import { Settings } from './Settings';
import { SidePanel } from './SidePanel';
import { SignIn } from './SignIn';
import { useCallAlerts } from './useCallAlerts';
import { usePhone } from './usePhone';
import { useShortcuts } from './useShortcuts';
import { LastQuality } from './QualityBadge';
import { useLastQuality } from './useLastQuality';
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
  const [ws, dispatch] = useReducer(reducer, initialState);
  const [devices, setDevices] = useState<Devices>(() => store.devices());
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [now, setNow] = useState(Date.now());
  const agentByUser = useRef(false);
  const numberRef = useRef<HTMLInputElement>(null);
  const player = useMemo(() => new TonePlayer(), []);
  const agentCfg = config.agent;
  const user = account?.user ?? null;
  const notice = useCallback((n: Notice, on: boolean) => dispatch({ type: 'notice', notice: n, on }), []);

  // The call history of the signed-in user, from the configured storage.
  useEffect(() => {
    setHistory(user ? store.history(user, agentCfg.history.maxEntries) : []);
  }, [store, user, agentCfg]);

  const { phone, snap } = usePhone(config, account, server, devices.microphone, {
    onIncoming: (call) => dispatch({ type: 'incoming', id: call.snapshot.id }),
    onEnded: (c) => {
      dispatch({ type: 'callEnded', call: c, now: Date.now() });
      if (user) {
        const next = addEntry(store.history(user, agentCfg.history.maxEntries), entryFromCall(c), agentCfg.history.maxEntries);
        store.setHistory(user, next);
        setHistory(next);
      }
      if (c.endCause === 'User Denied Media Access') notice('micDenied', true);
      const tone = endTone(c);
      if (tone) player.once(tone);
    },
    onStartFailed: (err) => {
      dispatch({
        type: 'signInFailed',
        error: { field: null, text: `${t.SIGN_IN_FAILED} ${err instanceof Error ? err.message : String(err)}` },
        account: account && { ...account, password: '' },
      });
      store.setAccount(null);
      setAccount(null);
    },
    onAgentState: (s) => {
      if (user) store.setAgentState(user, s);
      notice('autoNotReady', !s.ready && !agentByUser.current);
    },
    initialAgentState: () => (agentCfg.acd.enabled && user ? store.agentState(user) : { ready: true, reasonCode: null }),
  }, devices.camera);
  useCallAlerts(config, snap, player, t);
  const conn = connection(snap.lines);

  useEffect(() => player.setDevices(devices.speaker, devices.ringer), [player, devices]);
  // notificationOptions.autoplay: warn at load when the browser blocks tones.
  useEffect(() => {
    player.onBlocked = () => notice('soundBlocked', true);
    const autoplay = config.notification.autoplay;
    if (!autoplay) return;
    void player.probe().then((allowed) => {
      if (allowed) return;
      if (autoplay.showAutoplayDisabledAlert) notice('soundBlocked', true);
      if (autoplay.showAutoplayDisabledNotification) notify(t.APP_TITLE, t.AUTOPLAY_DISABLED_NOTIFICATION, config.notification.focusWindowOnClick);
    });
    // Once per page load: the texts may arrive later without a second probe.
  }, [player, config]);

  // The first answer of the phone line ends the sign-in: registered or down
  // shows the workspace; a refused password goes back to the form, with
  // the error at the password field (a provider's account renews instead).
  const refused = conn.kind === 'down' && conn.auth && !!account && !account.auth;
  useEffect(() => {
    if (refused && account) {
      dispatch({ type: 'signInFailed', error: { field: 'password', text: t.REGISTRATION_AUTH_FAILED }, account: { ...account, password: '' } });
      store.setAccount(null);
      setAccount(null);
    } else if (ws.signingIn && (conn.kind === 'ok' || conn.kind === 'down')) {
      dispatch({ type: 'signedIn' });
    }
  }, [refused, conn.kind, ws.signingIn]);

  // Focus stays on a live call, else moves to the newest live one.
  const focusedId = focusFor(snap.calls, ws.focusedId);
  useEffect(() => {
    if (focusedId !== ws.focusedId) dispatch({ type: 'focus', id: focusedId });
  }, [focusedId, ws.focusedId]);

  // The clock ticks for call durations, auto-answer and retry countdowns.
  const ticking = snap.calls.some((c) => c.status === 'connected' || c.autoAnswerAt !== null) || (conn.kind === 'down' && conn.retryAt !== null);
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [ticking]);

  const calls = phone?.calls ?? [];
  // The three-way conference of the agent's calls (one per phone).
  const conference = useMemo(() => (phone ? new Conference() : null), [phone]);
  useEffect(() => () => conference?.stop(), [conference]);
  const liveCalls = calls.some((c) => c.snapshot.status !== 'ended');
  const focused = calls.find((c) => c.snapshot.id === focusedId && c.snapshot.status !== 'ended') ?? null;
  const ringing = snap.calls.find((c) => c.status === 'incoming');
  const lastQuality = useLastQuality(store, snap.calls, config.quality);
  useVirtualBackground(config, calls);
  const assist = useAgentAssist(config, calls, user);

  const openDialer = useCallback((digit?: string) => {
    dispatch({ type: 'openDialer', digit });
    setTimeout(() => numberRef.current?.focus(), 0);
  }, []);

  const dialTarget = useCallback((target: string, video = false) => {
    if (!phone) return;
    const r = phone.dial(target, video);
    if (typeof r === 'string') {
      dispatch({ type: 'dialFailed', error: r === 'NOT_REGISTERED' ? 'REGISTRATION_UNREGISTERED' : r === 'OUTGOING_CALLS_DISABLED' ? 'OUTGOING_CALLS_DISABLED' : 'INVALID_NUMBER' });
      return;
    }
    dispatch({ type: 'dialed', id: r.snapshot.id });
  }, [phone]);
  const dial = useCallback(() => dialTarget(ws.number), [dialTarget, ws.number]);

  const setAgentState = useCallback((s: AgentStateValue) => {
    agentByUser.current = true;
    phone?.setAgentState(s);
    agentByUser.current = false;
  }, [phone]);

  const answer = useCallback((c: Call, video = false) => {
    phone?.answer(c, video);
    dispatch({ type: 'focus', id: c.snapshot.id });
    notice('soundBlocked', false);
  }, [phone]);

  const focusCall = useCallback((c: Call) => {
    dispatch({ type: 'focus', id: c.snapshot.id });
    // Switching calls resumes the chosen one and holds the others.
    if (c.snapshot.status === 'connected') {
      phone?.holdOthers(c);
      if (c.snapshot.localHold) c.unhold();
    }
  }, [phone]);

  const dismissEnded = useCallback((id: string) => dispatch({ type: 'dismissEnded', id }), []);

  const showingSignIn = !account || ws.signingIn;
  const view = showingSignIn ? null : ws.view;
  useShortcuts({ enabled: !!phone && view === 'phone', calls, focused, answer, dial: openDialer, canDial: !config.disableOutgoingCalls });

  const signIn = (a: Account, d: ServerDraft) => {
    const s = editable(config) ? fromDraft(d) : server;
    const problem = serverProblem(s);
    if (problem) {
      dispatch({ type: 'signInFailed', error: { field: null, text: t[problem] }, account: ws.lastAccount });
      return;
    }
    askPermission();
    if (JSON.stringify(s) !== JSON.stringify(server)) {
      store.setServerSettings(s);
      setServer(s);
    }
    store.setAccount(a);
    dispatch({ type: 'signInSent' });
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
    dispatch({ type: 'signedOut', account: keep && account ? { ...account, password: '' } : null });
    setAccount(null);
  };

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
    dispatch({ type: 'show', view: 'phone' });
  };

  const historyShown = agentCfg.history.guiEnabled;
  const redial = config.disableOutgoingCalls ? null : (target: string) => dialTarget(target);
  const has = (n: Notice) => ws.notices.includes(n);

  return (
    <StringsContext.Provider value={t}>
      <div class={`app${account && !showingSignIn ? ' signed-in' : ''}`}>
        <Header
          identity={account && !showingSignIn ? { user: account.user, displayName: account.displayName, sipDomain: server.sipDomain } : null}
          lines={snap.lines}
          connection={conn}
          agent={account && phone && !showingSignIn && agentCfg.acd.enabled && <AgentState acd={agentCfg.acd} state={snap.agent} onChange={setAgentState} />}
          onSettings={view && view !== 'settings' ? () => dispatch({ type: 'show', view: 'settings' }) : null}
          onHistory={view && historyShown && view !== 'history' ? () => dispatch({ type: 'show', view: 'history' }) : null}
        />
        <main class="main">
          <div class="notices">
            {!showingSignIn && (
              <ConnectionBanner
                connection={conn}
                now={now}
                onRetry={phone ? () => phone.retryNow() : null}
                onSignInAgain={account?.auth ? () => signOut(true) : null}
              />
            )}
            {has('autoNotReady') && !snap.agent.ready && (
              <div class="banner" role="alert">
                <span>{t.AGENT_WENT_NOT_READY}</span>
                <button type="button" onClick={() => notice('autoNotReady', false)}>{t.CLOSE}</button>
              </div>
            )}
            {view && view !== 'settings' && devicesToChoose(config.mediaDevices, agentCfg.video.enabled, devices).length > 0 && (
              <div class="banner" role="alert" data-testid="choose-devices">
                <span>{t.DEVICES_MUST_BE_SELECTED}</span>
                <button type="button" onClick={() => dispatch({ type: 'show', view: 'settings' })}>{t.SETTINGS}</button>
              </div>
            )}
            {has('soundBlocked') && (
              <div class="banner" role="alert">
                <span>{t.AUTOPLAY_DISABLED_ALERT}</span>
                <button type="button" onClick={() => { notice('soundBlocked', false); player.resume(); }}>{t.ENABLE_SOUND}</button>
              </div>
            )}
            {has('micDenied') && (
              <div class="banner" role="alert">
                <span>{t.MICROPHONE_DENIED}</span>
                <button type="button" onClick={() => notice('micDenied', false)}>{t.CLOSE}</button>
              </div>
            )}
          </div>
          {/* Screen readers hear a new incoming call wherever the focus is. */}
          <div class="sr-only" aria-live="assertive" data-testid="announce">
            {ringing ? format(t.INCOMING_CALL_ANNOUNCE, { who: ringing.remoteName || ringing.remoteUser }) : ''}
          </div>
          <div class="content">
            {auth && authSnap?.mandatory && !authSnap.mandatory.signedIn && !liveCalls ? (
              <MandatorySignIn auth={auth} snap={authSnap} />
            ) : showingSignIn || !account ? (
              <div class="sign-in-column">
                <SignIn config={config} initial={ws.lastAccount} server={toDraft(server)} error={ws.signInError} busy={ws.signingIn} onSubmit={signIn} />
                {auth && authSnap && <ProviderSignIn auth={auth} snap={authSnap} />}
              </div>
            ) : view === 'settings' ? (
              <Settings
                config={config}
                account={account}
                server={toDraft(server)}
                devices={devices}
                onSave={save}
                onSignOut={() => signOut(false)}
                providers={auth && authSnap && <ProviderList auth={auth} snap={authSnap} busy={liveCalls} />}
                onClose={() => dispatch({ type: 'show', view: 'phone' })}
              />
            ) : view === 'history' ? (
              <History
                entries={history}
                locale={localeOf(t)}
                onRedial={redial}
                onClose={() => dispatch({ type: 'show', view: 'phone' })}
              />
            ) : (
              <div class={`workspace${liveCalls ? ' has-calls' : ''}`}>
                <section class="main-column" aria-labelledby="calls-title">
                  <h1 id="calls-title" class="column-title">{t.WORKSPACE_CALLS}</h1>
                {!liveCalls && lastQuality && <LastQuality mos={lastQuality.mos} />}
                {!liveCalls && agentCfg.acd.enabled && !snap.agent.ready && (
                  <p class="idle-state not-ready" data-testid="idle-state">
                    {format(t.IDLE_NOT_READY, { reason: agentCfg.acd.reasons.find((r) => r.code === snap.agent.reasonCode)?.text ?? snap.agent.reasonCode ?? '' })}
                  </p>
                )}
                  <CallsContext.Provider value={{ calls, conference }}>
                    <CallsList
                      calls={calls}
                      focusedId={focusedId}
                      alwaysShowFull={config.layout.alwaysShowFullCallsList}
                      now={now}
                      videoEnabled={agentCfg.video.enabled}
                      onFocus={focusCall}
                      onAnswer={answer}
                    />
                  </CallsContext.Provider>
                  <EndedCalls ended={ws.ended} onDismiss={dismissEnded} />
                  {config.disableOutgoingCalls ? (
                    !liveCalls && (
                      <div class="idle">
                        <p class="idle-title">{t.IDLE_WAITING}</p>
                        <p class="hint">{t.OUTGOING_CALLS_DISABLED}</p>
                      </div>
                    )
                  ) : liveCalls && !ws.dialerOpen ? (
                    <button type="button" class="new-call" aria-keyshortcuts="Alt+D" onClick={() => openDialer()}>
                      <Icon name="keypad" />
                      {t.NEW_CALL}
                    </button>
                  ) : (
                    <Dialer
                      number={ws.number}
                      onNumber={(n) => dispatch({ type: 'number', number: n })}
                      onCall={dial}
                      onVideoCall={agentCfg.video.enabled ? () => dialTarget(ws.number, true) : null}
                      disabled={!canCall(conn)}
                      disabledReasonId={conn.kind === 'down' || conn.kind === 'starting' ? connectionWhyId : null}
                      inputRef={numberRef}
                      error={ws.dialError && t[ws.dialError]}
                    />
                  )}
                </section>
                <SidePanel
                  focused={focused}
                  history={historyShown ? history : null}
                  locale={localeOf(t)}
                  onRedial={redial}
                  onAllCalls={() => dispatch({ type: 'show', view: 'history' })}
                >
                  <AgentAssistPanel assist={assist} call={focused} />
                </SidePanel>
              </div>
            )}
          </div>
        </main>
        {calls.map((c) => (
          <RemoteAudio key={c.snapshot.id} stream={c.remoteStream} speaker={devices.speaker} />
        ))}
      </div>
    </StringsContext.Provider>
  );
}
