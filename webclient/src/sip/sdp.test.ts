import { describe, expect, it } from 'vitest';
import { filterCodecs } from './sdp';
import { sdpDirection } from './call';

// An offer shaped like Chromium's: opus, red, G722, PCMU, PCMA, CN,
// telephone-event for audio; VP8 and H264 with rtx for video.
const offer = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 0.0.0.0',
  'a=mid:0',
  'a=sendrecv',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103',
  'c=IN IP4 0.0.0.0',
  'a=mid:1',
  'a=rtpmap:96 VP8/90000',
  'a=rtcp-fb:96 nack',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=rtpmap:102 H264/90000',
  'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
  'a=rtpmap:103 rtx/90000',
  'a=fmtp:103 apt=102',
  '',
].join('\r\n');

const none = { remove: [], priority: [] };
const mline = (sdp: string, kind: string) => sdp.split('\r\n').find((l) => l.startsWith(`m=${kind}`));

describe('filterCodecs', () => {
  it('returns the SDP unchanged without rules', () => {
    expect(filterCodecs(offer, { audio: none, video: none })).toBe(offer);
  });

  it('removes audio codecs with their attributes', () => {
    const out = filterCodecs(offer, { audio: { remove: ['pcma', 'g722'], priority: [] }, video: none });
    expect(mline(out, 'audio')).toBe('m=audio 9 UDP/TLS/RTP/SAVPF 111 63 0 13 110 126');
    expect(out).not.toContain('PCMA/8000');
    expect(out).not.toContain('G722/8000');
    expect(out).toContain('a=rtpmap:0 PCMU/8000');
    expect(mline(out, 'video')).toBe('m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103');
    expect(out.endsWith('\r\n')).toBe(true);
  });

  it('orders audio codecs by priority, keeping the others in their order', () => {
    const out = filterCodecs(offer, { audio: { remove: [], priority: ['pcma', 'pcmu'] }, video: none });
    expect(mline(out, 'audio')).toBe('m=audio 9 UDP/TLS/RTP/SAVPF 8 0 111 63 9 13 110 126');
  });

  it('moves or removes a video codec together with its rtx', () => {
    const prio = filterCodecs(offer, { audio: none, video: { remove: [], priority: ['h264'] } });
    expect(mline(prio, 'video')).toBe('m=video 9 UDP/TLS/RTP/SAVPF 102 103 96 97');
    const rm = filterCodecs(offer, { audio: none, video: { remove: ['vp8'], priority: [] } });
    expect(mline(rm, 'video')).toBe('m=video 9 UDP/TLS/RTP/SAVPF 102 103');
    expect(rm).not.toMatch(/a=(rtpmap|fmtp|rtcp-fb):9[67] /);
  });

  it('leaves a media section alone rather than remove all its codecs', () => {
    const out = filterCodecs(offer, {
      audio: { remove: ['opus', 'red', 'g722', 'pcmu', 'pcma', 'cn', 'telephone-event'], priority: [] }, video: none,
    });
    expect(mline(out, 'audio')).toBe(mline(offer, 'audio'));
  });

  it('handles LF line ends and static payloads without rtpmap', () => {
    const sdp = 'v=0\nm=audio 9 RTP/AVP 0 8 101\na=rtpmap:101 telephone-event/8000\n';
    expect(filterCodecs(sdp, { audio: { remove: ['pcmu'], priority: [] }, video: none })).toBe('v=0\nm=audio 9 RTP/AVP 8 101\na=rtpmap:101 telephone-event/8000\n');
  });
});

describe('sdpDirection', () => {
  it.each([
    ['no attribute', 'v=0\r\nm=audio 9 RTP/AVP 0\r\n', 'sendrecv'],
    ['audio sendonly', 'v=0\r\nm=audio 9 RTP/AVP 0\r\na=sendonly\r\n', 'sendonly'],
    ['session inactive', 'v=0\r\na=inactive\r\nm=audio 9 RTP/AVP 0\r\n', 'inactive'],
    ['media overrides session', 'v=0\r\na=inactive\r\nm=audio 9 RTP/AVP 0\r\na=sendrecv\r\n', 'sendrecv'],
    ['video direction ignored', 'v=0\r\nm=audio 9 RTP/AVP 0\r\nm=video 9 RTP/AVP 96\r\na=recvonly\r\n', 'sendrecv'],
  ])('%s', (_name, sdp, want) => expect(sdpDirection(sdp)).toBe(want));
});
