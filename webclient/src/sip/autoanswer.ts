// Auto-answer requested by the contact center on the INVITE:
//   Call-Info: <sip:host>;answer-after=N            (RFC 5373 style, Cisco/Broadsoft)
//   Alert-Info: <http://x>;info=alert-autoanswer[;delay=N]   (Snom/Yealink)
//   Alert-Info: Auto Answer | ;answer-after=N        (Polycom and others)
// N seconds (answer-after or delay) when given, otherwise
// autoAnswerOptions.autoAnswerDefaultDelaySeconds.

const seconds = /(?:^|[;\s,])(?:answer-after|delay)\s*=\s*"?(\d{1,4})"?/i;
const alertTrigger = /auto[-\s_]?answer|answer-after/i;

/**
 * autoAnswerDelay returns the delay in seconds before an INVITE with these
 * headers is answered by itself, or null when it asks for no auto-answer.
 */
export function autoAnswerDelay(callInfo: readonly string[], alertInfo: readonly string[], defaultDelay: number): number | null {
  for (const h of callInfo) {
    const m = /(?:^|[;\s,])answer-after\s*=\s*"?(\d{1,4})"?/i.exec(h);
    if (m) return Number(m[1]);
  }
  for (const h of alertInfo) {
    if (!alertTrigger.test(h)) continue;
    const m = seconds.exec(h);
    return m ? Number(m[1]) : defaultDelay;
  }
  return null;
}

/**
 * autoAnswerWithVideo tells whether an auto-answered call is answered with
 * video: an offerless INVITE per answerDelayedOfferWithVideo, an offer per
 * whether it carries video; never when video calls are disabled.
 */
export function autoAnswerWithVideo(
  call: { delayedOffer: boolean; remoteVideo: boolean },
  answerDelayedOfferWithVideo: boolean,
  videoEnabled: boolean,
): boolean {
  if (!videoEnabled) return false;
  return call.delayedOffer ? answerDelayedOfferWithVideo : call.remoteVideo;
}
