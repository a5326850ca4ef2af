// What the user types as a call or transfer target, made a SIP URI.

/** targetURI turns what the user typed into a SIP URI on the account's domain. */
export function targetURI(input: string, domain: string): string | null {
  let t = input.trim();
  if (!t) return null;
  if (/^sips?:/i.test(t)) return t;
  if (!t.includes('@')) {
    // Phone numbers may be typed with spaces, dashes, dots and brackets.
    if (/^[+\d\s().-]+$/.test(t)) t = t.replace(/[\s().-]/g, '');
    if (!domain) return null;
    t = `${t}@${domain}`;
  }
  return `sip:${t}`;
}
