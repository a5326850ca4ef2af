import { describe, expect, it } from 'vitest';
import { parseReplaces, replacesDialog, replacesHeader, replacesValue, sameParty } from './replaces';

describe('replacesValue', () => {
  it('puts our remote tag in to-tag and our local tag in from-tag', () => {
    expect(replacesValue({ callId: 'a84b4c76e66710@pc33.example.com', localTag: '1928301774', remoteTag: 'a6c85cf' }))
      .toBe('a84b4c76e66710@pc33.example.com;to-tag=a6c85cf;from-tag=1928301774');
    expect(replacesHeader({ callId: 'x', localTag: 'l', remoteTag: 'r' })).toBe('Replaces: x;to-tag=r;from-tag=l');
  });
  it.each([
    [{ callId: 'a b', localTag: 'l', remoteTag: 'r' }, /Call-ID/],
    [{ callId: 'x\r\nBye: 1', localTag: 'l', remoteTag: 'r' }, /Call-ID/],
    [{ callId: 'x', localTag: 'l;x=1', remoteTag: 'r' }, /tags must be SIP tokens/],
    [{ callId: 'x', localTag: 'l', remoteTag: '' }, /tags must be SIP tokens/],
  ])('refuses %j', (d, want) => {
    expect(() => replacesValue(d)).toThrow(want);
  });
});

describe('parseReplaces', () => {
  it('reads the RFC 3891 example', () => {
    expect(parseReplaces('98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff')).toEqual({
      callId: '98732@sip.example.com', toTag: 'ff87ff', fromTag: 'r33th4x0r', earlyOnly: false,
    });
    expect(parseReplaces(' 425928@bobster.example.org ; To-Tag=7743 ; from-tag=6472 ; early-only')).toEqual({
      callId: '425928@bobster.example.org', toTag: '7743', fromTag: '6472', earlyOnly: true,
    });
  });
  it.each(['', 'abc', 'abc;to-tag=1', 'abc;from-tag=1', ';to-tag=1;from-tag=2', 'a b;to-tag=1;from-tag=2', 'abc;to-tag=;from-tag=2'])(
    'refuses %j', (v) => {
      expect(parseReplaces(v)).toBeNull();
    },
  );
  it('round-trips what replacesValue builds, matching the dialog at the far end', () => {
    const ours = { callId: 'c1@host', localTag: 'aaa', remoteTag: 'bbb' };
    const r = parseReplaces(replacesValue(ours));
    expect(r).not.toBeNull();
    // The far end's view of the same dialog has the tags swapped.
    expect(replacesDialog(r!, { callId: 'c1@host', localTag: 'bbb', remoteTag: 'aaa' })).toBe(true);
    expect(replacesDialog(r!, ours)).toBe(false);
    expect(replacesDialog(r!, { callId: 'c2@host', localTag: 'bbb', remoteTag: 'aaa' })).toBe(false);
  });
});

describe('sameParty', () => {
  it.each([
    ['sip:alice@example.test', 'sip:alice@EXAMPLE.test;transport=ws', true],
    ['"Alice" <sip:alice@example.test>;tag=1', 'sip:alice@example.test', true],
    ['sip:alice@example.test', 'sip:bob@example.test', false],
    ['sip:alice@example.test', 'sip:alice@other.test', false],
    ['sip:%61lice@example.test', 'sip:alice@example.test', true],
    ['not a uri', 'not a uri', false],
  ])('%s vs %s', (a, b, want) => {
    expect(sameParty(a, b)).toBe(want);
  });
});
