// Browser notifications for incoming calls (notificationOptions).

export interface CallNotice {
  close(): void;
}

/** askPermission asks once, from a user gesture, to show notifications. */
export function askPermission(): void {
  if ('Notification' in window && Notification.permission === 'default') {
    Notification.requestPermission().catch(() => {});
  }
}

/** notify shows a notification; clicking it focuses the tab when focusWindowOnClick. */
export function notify(title: string, body: string, focusWindowOnClick: boolean, onClick?: () => void): CallNotice | null {
  if (!('Notification' in window) || Notification.permission !== 'granted') return null;
  try {
    const n = new Notification(title, { body, icon: 'images/logo-small.svg', tag: 'softphone-call', requireInteraction: true });
    n.onclick = () => {
      if (focusWindowOnClick) window.focus();
      onClick?.();
      n.close();
    };
    return n;
  } catch {
    return null;
  }
}
