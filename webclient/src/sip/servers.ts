// SBC address lists as the user types and the browser accepts them.

/** isWebSocketURL reports whether s is a ws:// or wss:// URL with a host. */
export function isWebSocketURL(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'wss:' || u.protocol === 'ws:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** parseAddressList splits a text area's value (one address per line or comma-separated). */
export function parseAddressList(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}
