import { useState } from 'preact/hooks';
import type { Call, CallSnapshot } from '../sip/call';
import { useStrings } from './i18n';
import { Icon } from './icons';
import { Video } from './VideoView';

/**
 * ScreenShareButton shares a screen or window in a connected call
 * (isScreenSharingEnabled), or stops sharing. While the far side shares,
 * it is disabled unless isCrossScreenSharingAllowed.
 */
export function ScreenShareButton({ call, snap }: { call: Call; snap: CallSnapshot }) {
  const t = useStrings();
  const [failed, setFailed] = useState(false);
  if (!call.screen.enabled) return null;
  if (snap.screen.local) {
    return (
      <button type="button" aria-pressed="true" onClick={() => void call.screen.stop()}>
        <Icon name="screen" />
        {t.STOP_SHARING}
      </button>
    );
  }
  const share = () => {
    setFailed(false);
    call.screen.start().then((ok) => setFailed(!ok)).catch((err: unknown) => {
      console.warn('sharing the screen', err);
      setFailed(true);
    });
  };
  const usable = call.screen.canShare(snap.status === 'connected' && !snap.localHold && !snap.remoteHold);
  return (
    <>
      <button type="button" aria-pressed="false" disabled={!usable} onClick={share}>
        <Icon name="screen" />
        {t.SHARE_SCREEN}
      </button>
      {failed && <span class="error" role="alert">{t.SCREEN_SHARE_FAILED}</span>}
    </>
  );
}

/** ScreenView shows the far side's shared screen, and a preview of ours. */
export function ScreenView({ call, snap }: { call: Call; snap: CallSnapshot }) {
  const t = useStrings();
  const { local, remote } = snap.screen;
  if (!local && !remote) return null;
  return (
    <div class="screen-view">
      {remote && <Video stream={call.screen.remoteStream} class="remote-screen" label={t.REMOTE_SCREEN} testid="remote-screen" />}
      {local && <Video stream={call.screen.localStream} class={remote ? 'local-screen' : 'local-screen alone'} label={t.LOCAL_SCREEN} testid="local-screen" />}
    </div>
  );
}
