// What an SDP body says about video: whether it has an active video stream
// and in which direction, as seen by the side that wrote it.

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const directionRE = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m;

/**
 * videoDirection returns the direction of the first active m=video section
 * (port not 0) that is not a shared screen, or null when the body has none.
 * A section without its own direction takes the session-level one, else sendrecv.
 */
export function videoDirection(sdp: string): Direction | null {
  const sections = sdp.replace(/\r\n/g, '\n').split(/\n(?=m=)/);
  const session = sections[0].startsWith('m=') ? null : sections.shift() ?? null;
  // A shared screen (a=content:slides, RFC 4796) is not the camera's video.
  const video = sections.find((s) => /^m=video\s+[1-9]\d*\s/.test(s) && !/^a=content:slides\s*$/m.test(s));
  if (!video) return null;
  const own = directionRE.exec(video)?.[1];
  const inherited = session ? directionRE.exec(session)?.[1] : undefined;
  return (own ?? inherited ?? 'sendrecv') as Direction;
}

/** sendsVideo tells whether the writer of an SDP body with this direction sends video. */
export function sendsVideo(d: Direction | null): boolean {
  return d === 'sendrecv' || d === 'sendonly';
}
