import { useEffect, useRef } from 'preact/hooks';
import type { ClientConfig } from '../config/options';
import type { Strings } from '../i18n/defaults';
import { notify, type CallNotice } from '../media/notify';
import { desiredTone, type TonePlayer } from '../media/tones';
import type { PhoneSnapshot } from '../sip/phone';

/**
 * useCallAlerts makes the calls heard and seen outside the page: the looping
 * tone, a browser notification per ringing call (closed once it stops
 * ringing), the tab title, and a User Timing mark at the first registration
 * ("softphone:registered": page load to registered).
 */
export function useCallAlerts(config: ClientConfig, snap: PhoneSnapshot, player: TonePlayer, t: Strings): void {
  const notices = useRef(new Map<string, CallNotice | null>());

  useEffect(() => {
    player.loop(desiredTone(snap.calls));

    const ringing = snap.calls.filter((c) => c.status === 'incoming');
    for (const c of ringing) {
      if (!notices.current.has(c.id)) {
        notices.current.set(c.id, notify(t.INCOMING_CALL_NOTIFICATION_TITLE, c.remoteName || c.remoteUser, config.notification.focusWindowOnClick));
      }
    }
    for (const [id, n] of notices.current) {
      if (!ringing.some((c) => c.id === id)) {
        n?.close();
        notices.current.delete(id);
      }
    }

    const first = ringing[0];
    document.title = first ? `${t.INCOMING_CALL_NOTIFICATION_TITLE}: ${first.remoteName || first.remoteUser}` : t.APP_TITLE;

    if (snap.lines.some((l) => l.state === 'registered') && performance.getEntriesByName('softphone:registered').length === 0) {
      performance.mark('softphone:registered');
    }
  }, [snap, player, config, t]);

  useEffect(() => () => player.loop(null), [player]);
}
