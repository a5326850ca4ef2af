import { useEffect, useRef, useState } from 'preact/hooks';
import type { StringKey } from '../i18n/defaults';
import type { Call, CallSnapshot, EndReason } from '../sip/call';
import { format } from '../i18n/strings';
import { failureText } from '../sip/failure';
import { CallDetails } from './CallDetails';
import { Icon } from './icons';
import { DialPad } from './DialPad';
import { TransferControls } from './TransferControls';
import { useStrings } from './i18n';
import { callBadges, callControls } from './slots';
import { VideoView } from './VideoView';
import { ScreenShareButton, ScreenView } from './ScreenShare';

export const endText: Record<EndReason, StringKey> = {
  normal: 'CALL_STATE_ENDED',
  canceled: 'CALL_STATE_ENDED',
  'no-answer': 'CALL_ENDED_NO_ANSWER',
  busy: 'CALL_ENDED_BUSY',
  rejected: 'CALL_ENDED_REJECTED',
  transferred: 'CALL_ENDED_TRANSFERRED',
  failed: 'CALL_STATE_FAILED',
};

export function statusKey(c: CallSnapshot): StringKey {
  if (c.restore === 'pending') return 'CALL_STATE_RESTORING';
  if (c.restore === 'failed') return 'CALL_RESTORE_FAILED';
  if (c.status === 'ended') return c.failure ? failureText[c.failure] : endText[c.endReason ?? 'normal'];
  if (c.transferring) return 'CALL_STATE_TRANSFERRING';
  if (c.status === 'connected') {
    if (c.localHold) return 'CALL_STATE_ON_HOLD';
    if (c.remoteHold) return 'CALL_STATE_REMOTE_HOLD';
    return 'CALL_STATE_CONNECTED';
  }
  return ({ calling: 'CALL_STATE_CALLING', ringing: 'CALL_STATE_RINGING', incoming: 'CALL_STATE_INCOMING' } as const)[c.status];
}

export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hh ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

interface Props {
  call: Call;
  snap: CallSnapshot;
  now: number;
  focused: boolean;
  /** Video calls are enabled (isVideoEnabled). */
  videoEnabled: boolean;

  onAnswer: (c: Call, video?: boolean) => void;
  onSelect: ((c: Call) => void) | null;
  /** Only the head line and the switch button (another call, list collapsed). */
  compact?: boolean;
}

/**
 * CallCard shows one live call: the party, state and running timer, the
 * customer info and call UUIDs, and the controls. The focused call shows its
 * controls; another one shows a switch button (and its details when
 * expanded). Features plug in through slots.ts: callBadges in the head,
 * callControls in the action row.
 */
export function CallCard({ call, snap, now, focused, videoEnabled, onAnswer, onSelect, compact = false }: Props) {
  const t = useStrings();
  const [pad, setPad] = useState(false);
  const [transfer, setTransfer] = useState<string | null>(null);
  const [cameraFailed, setCameraFailed] = useState(false);
  const answerRef = useRef<HTMLButtonElement>(null);
  const transferRef = useRef<HTMLInputElement>(null);
  const who = snap.remoteName || snap.remoteUser;
  // The autofocus attribute only works at page load: focus by hand so that
  // Enter or Space answers a new incoming call.
  const ringing = focused && snap.status === 'incoming';
  useEffect(() => {
    if (ringing) answerRef.current?.focus();
  }, [ringing]);
  const transferOpen = transfer !== null;
  useEffect(() => {
    if (transferOpen) transferRef.current?.focus();
  }, [transferOpen]);
  const live = snap.status !== 'ended';
  const connected = snap.status === 'connected';
  const addVideo = () => {
    setCameraFailed(false);
    call.addVideo().then((ok) => setCameraFailed(!ok)).catch((err: unknown) => {
      console.warn('adding video', err);
      setCameraFailed(true);
    });
  };
  const showVideo = connected && (snap.localVideo || snap.remoteVideo);
  return (
    <article
      class={`call-card status-${snap.status}${focused ? ' focused' : ''}${snap.localHold ? ' held' : ''}`}
      data-testid="call"
      data-call-id={snap.id}
      data-status={snap.status}
      data-local-hold={String(snap.localHold)}
      data-remote-hold={String(snap.remoteHold)}
      data-video={String(snap.localVideo || snap.remoteVideo)}
      aria-label={`${who}: ${t[statusKey(snap)]}`}
    >
      <header class="call-head">
        <div class="call-who">
          <h2 class="call-name">{who}</h2>
          {snap.remoteName && snap.remoteUser && <span class="call-user">{snap.remoteUser}</span>}
        </div>
        <div class="call-state">
          <span class="call-status" data-testid="call-status">{t[statusKey(snap)]}</span>
          {connected && snap.answeredAt && <time class="call-time">{duration(now - snap.answeredAt)}</time>}
          {callBadges.map((Badge, i) => <Badge key={i} call={call} snap={snap} />)}
        </div>
      </header>
      {!compact && <CallDetails snap={snap} />}
      {snap.status === 'incoming' && snap.autoAnswerAt !== null && (
        <p class="hint" data-testid="auto-answer" role="status">
          {format(t.AUTO_ANSWER_IN, { seconds: Math.max(0, Math.ceil((snap.autoAnswerAt - now) / 1000)) })}
        </p>
      )}
      {focused && showVideo && <VideoView remote={call.remoteStream} local={call.localVideoStream} showRemote={snap.remoteVideo} />}
      {focused && connected && <ScreenView call={call} snap={snap} />}
      {cameraFailed && <p class="error" role="alert">{t.CAMERA_DENIED}</p>}
      {snap.receivedTones && (
        <p class="hint" data-testid="received-tones">
          {t.RECEIVED_TONES} <span class="tones">{snap.receivedTones}</span>
        </p>
      )}
      {onSelect && live && !focused && (
        <div class="call-actions">
          <button type="button" class="switch" onClick={() => onSelect(call)}>
            <Icon name={snap.localHold ? 'play' : 'transfer'} />
            {t.SWITCH_TO_CALL}
          </button>
        </div>
      )}
      {focused && live && (
        <>
          {snap.status === 'incoming' ? (
            <div class="call-actions">
              <button type="button" class="answer" ref={answerRef} aria-keyshortcuts="Alt+A" onClick={() => onAnswer(call)}>
                <Icon name="phone" />
                {t.ANSWER}
              </button>
              {videoEnabled && (snap.remoteVideo || snap.delayedOffer) && (
                <button type="button" class="answer" onClick={() => onAnswer(call, true)}>
                  <Icon name="video" />
                  {t.ANSWER_VIDEO}
                </button>
              )}
              <button type="button" class="hangup" aria-keyshortcuts="Alt+H" onClick={() => call.reject()}>
                <Icon name="hangup" />
                {t.REJECT}
              </button>
            </div>
          ) : (
            <div class="call-actions">
              {connected && (
                <>
                  <button type="button" aria-pressed={snap.muted} aria-keyshortcuts="Alt+M" onClick={() => call.toggleMute()}>
                    <Icon name={snap.muted ? 'micOff' : 'mic'} />
                    {snap.muted ? t.UNMUTE : t.MUTE}
                  </button>
                  {snap.localHold ? (
                    <button type="button" aria-pressed="true" aria-keyshortcuts="Alt+O" onClick={() => call.unhold()}>
                      <Icon name="play" />
                      {t.RESUME}
                    </button>
                  ) : (
                    <button type="button" aria-pressed="false" aria-keyshortcuts="Alt+O" disabled={!call.canHold()} onClick={() => call.hold()}>
                      <Icon name="pause" />
                      {t.HOLD}
                    </button>
                  )}
                  <button type="button" aria-expanded={pad} onClick={() => setPad(!pad)}>
                    <Icon name="keypad" />
                    {pad ? t.HIDE_KEYPAD : t.KEYPAD}
                  </button>
                  <button type="button" aria-expanded={transfer !== null} disabled={snap.transferring} onClick={() => setTransfer(transfer === null ? '' : null)}>
                    <Icon name="transfer" />
                    {t.TRANSFER}
                  </button>
                  <ScreenShareButton call={call} snap={snap} />
                  <TransferControls call={call} snap={snap} />
                  {call.canAddVideo() && (
                    <button type="button" onClick={addVideo}>
                      <Icon name="video" />
                      {t.ADD_VIDEO}
                    </button>
                  )}
                  {callControls.map((Control, i) => <Control key={i} call={call} snap={snap} />)}
                </>
              )}
              <button type="button" class="hangup" aria-keyshortcuts="Alt+H" onClick={() => call.hangUp()}>
                <Icon name="hangup" />
                {t.HANG_UP}
              </button>
            </div>
          )}
          {connected && (pad || snap.sentTones) && (
            <div class="dtmf">
              <output class="dtmf-sent" data-testid="sent-tones" aria-live="polite">{snap.sentTones}</output>
              {pad && <DialPad onKey={(k) => call.sendDTMF(k)} label={t.KEYPAD} />}
            </div>
          )}
          {connected && transfer !== null && (
            <form class="transfer" onSubmit={(e) => { e.preventDefault(); if (transfer.trim()) { call.transfer(transfer.trim()); setTransfer(null); } }}>
              <label>
                {t.TRANSFER_TARGET}
                <input name="transfer" ref={transferRef} value={transfer} autoComplete="off" inputMode="tel" onInput={(e) => setTransfer(e.currentTarget.value)} />
              </label>
              <button type="submit" class="primary" disabled={!transfer.trim()}>
                {t.TRANSFER_CONFIRM}
              </button>
            </form>
          )}
        </>
      )}
    </article>
  );
}
