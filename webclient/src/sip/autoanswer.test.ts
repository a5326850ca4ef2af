import { describe, expect, it } from 'vitest';
import { autoAnswerDelay, autoAnswerWithVideo } from './autoanswer';

describe('autoAnswerDelay', () => {
  it.each([
    ['Call-Info answer-after=0', ['<sip:sbc.example.com>;answer-after=0'], [], 0],
    ['Call-Info answer-after=5', ['<sip:x>;purpose=info, <sip:y>;answer-after=5'], [], 5],
    ['Call-Info quoted value', ['<sip:x>;answer-after="2"'], [], 2],
    ['Call-Info without a trigger', ['<http://www.example.com/alice/photo.jpg>;purpose=icon'], [], null],
    ['Alert-Info info=alert-autoanswer', [], ['<http://notused>;info=alert-autoanswer'], 4],
    ['Alert-Info with delay', [], ['<http://notused>;info=alert-autoanswer;delay=1'], 1],
    ['Alert-Info Auto Answer', [], ['Auto Answer'], 4],
    ['Alert-Info answer-after', [], ['<sip:x>;answer-after=3'], 3],
    ['Alert-Info ring tone only', [], ['<http://example.com/ring.wav>;info=alert-internal'], null],
    ['no headers', [], [], null],
    ['a delay without a trigger', [], ['<http://x>;delay=2'], null],
  ])('%s', (_, callInfo, alertInfo, want) => {
    expect(autoAnswerDelay(callInfo, alertInfo, 4)).toBe(want);
  });
});

describe('autoAnswerWithVideo', () => {
  it.each([
    ['delayed offer, answerDelayedOfferWithVideo', { delayedOffer: true, remoteVideo: false }, true, true, true],
    ['delayed offer, audio only', { delayedOffer: true, remoteVideo: false }, false, true, false],
    ['offer with video', { delayedOffer: false, remoteVideo: true }, false, true, true],
    ['audio offer', { delayedOffer: false, remoteVideo: false }, true, true, false],
    ['video disabled', { delayedOffer: true, remoteVideo: true }, true, false, false],
  ])('%s', (_, call, delayedWithVideo, enabled, want) => {
    expect(autoAnswerWithVideo(call, delayedWithVideo, enabled)).toBe(want);
  });
});
