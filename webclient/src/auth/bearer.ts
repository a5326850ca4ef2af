// A provider without SIP_Password_Attribute_name authorizes SIP with its id
// token: every REGISTER carries "Authorization: Bearer <id token>". The
// header is added as the message leaves (a socket hook), so a token renewed
// meanwhile is the one sent, and the registration need not restart.

/**
 * withAuthorization adds "Authorization: <value>" to a REGISTER that has no
 * Authorization header yet; other messages, and a null value, pass unchanged.
 */
export function withAuthorization(message: string, value: string | null): string {
  if (value === null || !message.startsWith('REGISTER ')) return message;
  const end = message.indexOf('\r\n\r\n');
  if (end < 0) return message;
  const head = message.slice(0, end).split('\r\n');
  if (head.some((h) => /^authorization\s*:/i.test(h))) return message;
  const safe = value.replace(/[\r\n]/g, '');
  return [...head, `Authorization: ${safe}`].join('\r\n') + message.slice(end);
}
