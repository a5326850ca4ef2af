import { describe, expect, it } from 'vitest';
import { sendsVideo, videoDirection } from './video';

const sdp = (...lines: string[]) => ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', ...lines].join('\r\n') + '\r\n';

describe('videoDirection', () => {
  it.each([
    ['audio only', sdp('m=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=sendrecv'), null],
    ['video sendrecv by default', sdp('m=audio 9 RTP/AVP 0', 'a=sendrecv', 'm=video 9 RTP/AVP 96'), 'sendrecv'],
    ['video recvonly', sdp('m=audio 9 RTP/AVP 0', 'm=video 9 RTP/AVP 96', 'a=recvonly'), 'recvonly'],
    ['session-level direction', sdp('a=sendonly', 'm=video 9 RTP/AVP 96'), 'sendonly'],
    ['rejected video (port 0)', sdp('m=audio 9 RTP/AVP 0', 'm=video 0 RTP/AVP 96', 'a=sendrecv'), null],
    ['direction of the audio section does not leak', sdp('m=audio 9 RTP/AVP 0', 'a=inactive', 'm=video 9 RTP/AVP 96'), 'sendrecv'],
    ['empty body', '', null],
  ])('%s', (_, body, want) => {
    expect(videoDirection(body)).toBe(want);
  });

  it('knows which directions send', () => {
    expect([sendsVideo('sendrecv'), sendsVideo('sendonly'), sendsVideo('recvonly'), sendsVideo('inactive'), sendsVideo(null)]).toEqual([true, true, false, false, false]);
  });
});
