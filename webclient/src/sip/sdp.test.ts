import { describe, expect, it } from 'vitest';
import { acceptRemote, answerSetupRole, filterCodecs, fixAnswerSetup, hasBundle, matchEventClock, setupOf, telephoneEvents } from './sdp';
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

// An answer shaped like a SIP phone's (baresip 1.0 with DTLS-SRTP): no
// BUNDLE group, no mid, a separate RTCP port, actpass where RFC 5763 wants
// active or passive, only 8 kHz telephone-event.
const phone = [
  'v=0',
  'o=- 7 8 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 10000 UDP/TLS/RTP/SAVPF 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=rtcp:10001',
  'a=setup:actpass',
  'a=fingerprint:sha-256 AA:BB',
  'a=candidate:1 1 UDP 2130706431 127.0.0.1 10000 typ host',
  'a=candidate:1 2 UDP 2130706430 127.0.0.1 10001 typ host',
  'a=sendrecv',
  '',
].join('\r\n');

// The offer with the rtcp-mux and setup lines a browser puts in each section.
const browserOffer = offer.replace(/a=mid:0/, 'a=mid:0\r\na=rtcp-mux\r\na=setup:actpass').replace(/a=mid:1/, 'a=mid:1\r\na=rtcp-mux\r\na=setup:actpass');

const withSetup = (role: string) => `v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=setup:${role}\r\n`;

describe('fixAnswerSetup', () => {
  it.each([
    ['first answer: the peer is active, the browser waits as server', null, null, 'active'],
    ['re-INVITE answer: the peer keeps its active role', withSetup('actpass'), withSetup('active'), 'active'],
    ['re-INVITE answer: the peer keeps its passive role', withSetup('actpass'), withSetup('passive'), 'passive'],
    ['we answered active: the peer is passive', withSetup('active'), withSetup('actpass'), 'passive'],
    ['we answered passive: the peer is active', withSetup('passive'), withSetup('actpass'), 'active'],
  ])('%s', (_n, local, remote, want) => {
    expect(answerSetupRole({ local, remote })).toBe(want);
    const out = fixAnswerSetup(phone, 'answer', { local, remote });
    expect(setupOf(out)).toBe(want);
    expect(out).not.toContain('actpass');
    expect(out.replace(`a=setup:${want}`, 'a=setup:actpass')).toBe(phone);
  });

  it('leaves offers and proper answers alone', () => {
    const ctx = { local: null, remote: null };
    expect(fixAnswerSetup(phone, 'offer', ctx)).toBe(phone);
    const passive = phone.replace('actpass', 'passive');
    expect(fixAnswerSetup(passive, 'answer', ctx)).toBe(passive);
  });

  it('rewrites every media section', () => {
    const two = `${phone}m=video 10002 UDP/TLS/RTP/SAVPF 96\r\na=setup:actpass\r\n`;
    const out = fixAnswerSetup(two, 'answer', { local: null, remote: null });
    expect(out.match(/a=setup:active/g)).toHaveLength(2);
  });
});

describe('acceptRemote', () => {
  it("fixes a non-browser answer's setup, not its offer's", () => {
    const ctx = { local: null, remote: null };
    expect(setupOf(acceptRemote(phone, 'answer', ctx))).toBe('active');
    expect(acceptRemote(phone, 'offer', ctx)).toBe(phone);
  });

  it('passes a browser offer through unchanged', () => {
    expect(acceptRemote(browserOffer, 'offer', { local: null, remote: null })).toBe(browserOffer);
  });
});

describe('hasBundle and telephoneEvents', () => {
  it('tells a bundling browser from a phone', () => {
    expect(hasBundle(offer)).toBe(true);
    expect(hasBundle(phone)).toBe(false);
  });
  it.each([
    ['browser: 48 and 8 kHz', offer, [48000, 8000]],
    ['phone: 8 kHz only', phone, [8000]],
    ['none', 'v=0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n', []],
    ['listed in rtpmap but not in the m= line', 'v=0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:101 telephone-event/8000\r\n', []],
    ['video only', 'v=0\r\nm=video 9 RTP/AVP 96\r\n', []],
  ])('%s', (_n, sdp, want) => expect(telephoneEvents(sdp)).toEqual(want));
});

describe('matchEventClock', () => {
  // baresip's answer to a browser: opus first, telephone-event at 8 kHz only.
  const opusFirst = 'v=0\r\nm=audio 10000 UDP/TLS/RTP/SAVPF 111 0 126\r\na=rtpmap:111 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:126 telephone-event/8000\r\n';

  it('puts the 8 kHz codecs first when the events run at 8 kHz only', () => {
    expect(mline(matchEventClock(opusFirst), 'audio')).toBe('m=audio 10000 UDP/TLS/RTP/SAVPF 0 111 126');
  });

  it('keeps the order of the 8 kHz codecs, static ones without rtpmap included', () => {
    const sdp = 'v=0\r\nm=audio 1 RTP/AVP 96 9 8 0 101\r\na=rtpmap:96 opus/48000/2\r\na=rtpmap:101 telephone-event/8000\r\n';
    expect(mline(matchEventClock(sdp), 'audio')).toBe('m=audio 1 RTP/AVP 9 8 0 96 101');
  });

  it.each([
    ['a browser: events at both rates', offer],
    ['events matching the first codec', opusFirst.replace('telephone-event/8000', 'telephone-event/48000')],
    ['no telephone-event', opusFirst.replace(' 126', '').replace(/a=rtpmap:126.*\r\n/, '')],
    ['no 8 kHz codec to move', opusFirst.replace(' 0 126', ' 126').replace(/a=rtpmap:0 .*\r\n/, '')],
    ['already 8 kHz first', opusFirst.replace('111 0 126', '0 111 126')],
  ])('leaves %s alone', (_n, sdp) => expect(matchEventClock(sdp)).toBe(sdp));

  it('applies only when DTMF goes in the media', () => {
    const ctx = { local: null, remote: null };
    expect(acceptRemote(opusFirst, 'answer', ctx, { dtmfInMedia: false })).toBe(opusFirst);
    expect(mline(acceptRemote(opusFirst, 'answer', ctx, { dtmfInMedia: true }), 'audio')).toBe('m=audio 10000 UDP/TLS/RTP/SAVPF 0 111 126');
  });
});
