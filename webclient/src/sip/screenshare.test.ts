import { describe, expect, it } from 'vitest';
import { markSlides, sections, sentSlides } from './screenshare';
import { videoDirection } from './video';

const offer = [
  'v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=sendrecv',
  'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', 'a=sendrecv',
  'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:2', 'a=sendonly', '',
].join('\r\n');

describe('screen sharing SDP', () => {
  it('marks our screen section, once, keeping CRLF', () => {
    const marked = markSlides(offer, '2');
    expect(marked).toContain('m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=content:slides\r\na=mid:2');
    expect(marked.match(/a=content:slides/g)).toHaveLength(1);
    expect(markSlides(marked, '2')).toBe(marked);
    // mid 1 is the camera's, mid 0 audio: untouched.
    expect(markSlides(offer, '0')).toBe(offer);
    expect(markSlides(offer, '9')).toBe(offer);
  });

  it('finds the active screen the writer sends', () => {
    const marked = markSlides(offer, '2');
    expect(sentSlides(marked)).toBe('2');
    expect(sentSlides(offer)).toBeNull();
    expect(sentSlides(marked.replace('a=mid:2\r\na=sendonly', 'a=mid:2\r\na=inactive'))).toBeNull();
    expect(sentSlides(marked.replace('a=mid:2\r\na=sendonly', 'a=mid:2\r\na=recvonly'))).toBeNull();
    expect(sentSlides(marked.replace(/m=video 9 (\S+ 96\r\na=content)/, 'm=video 0 $1'))).toBeNull();
  });

  it('reads sections with the session direction as fallback', () => {
    const s = sections('v=0\r\na=sendonly\r\nm=audio 5 RTP/AVP 0\r\nm=video 7 RTP/AVP 96\r\na=content:slides\r\na=recvonly\r\n');
    expect(s).toEqual([
      { kind: 'audio', port: 5, mid: null, direction: 'sendonly', slides: false },
      { kind: 'video', port: 7, mid: null, direction: 'recvonly', slides: true },
    ]);
  });

  it('does not take a shared screen for camera video', () => {
    const screenOnly = markSlides(offer.replace(/m=video 9 [^]*?a=mid:1\r\na=sendrecv\r\n/, ''), '2');
    expect(videoDirection(screenOnly)).toBeNull();
    expect(videoDirection(markSlides(offer, '2'))).toBe('sendrecv');
  });
});
