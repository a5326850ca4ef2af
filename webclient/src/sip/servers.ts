// SBC address ordering. JsSIP's transport connects to the highest-weight
// socket that has not failed, picks at random among equal weights, marks a
// socket failed when it disconnects and retries after
// reconnectIntervalMin..Max seconds (doubling), resetting all sockets once
// every one has failed. Weights therefore express `prioritize`:
// descending weights try the list in order, equal weights try it at random.

export interface WeightedAddress {
  url: string;
  weight: number;
}

/** weighAddresses gives each unique address its JsSIP socket weight. */
export function weighAddresses(addresses: readonly string[], prioritize: boolean): WeightedAddress[] {
  const unique = [...new Set(addresses)];
  return unique.map((url, i) => ({ url, weight: prioritize ? unique.length - i : 1 }));
}

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
