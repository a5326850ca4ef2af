import { describe, expect, it } from 'vitest';
import { headersFor, parseCustomHeaders, type HeaderTarget } from './headers';

describe('parseCustomHeaders', () => {
  it('keeps valid "Name: value" entries, normalised', () => {
    expect(parseCustomHeaders(['X-Site:  lab-1 ', 'X-Empty:', 'P-Agent-Id: 42:7']).headers).toEqual(['X-Site: lab-1', 'X-Empty: ', 'P-Agent-Id: 42:7']);
  });
  it.each([
    ['no colon', 'X-Site lab', 'must be "Name: value"'],
    ['a space in the name', 'X Site: lab', 'must be "Name: value"'],
    ['an empty name', ': lab', 'must be "Name: value"'],
    ['a line break in the value', 'X-Site: a\r\nVia: evil', 'value must be one line'],
    ['a header the stack writes', 'Call-ID: abc', 'Call-ID is written by the SIP stack'],
    ['a compact form of one', 'v: SIP/2.0/WSS x', 'v is written by the SIP stack'],
    ['Replaces, which would make every call replace another', 'Replaces: abc;to-tag=1;from-tag=2', 'Replaces is written by the SIP stack'],
  ])('refuses %s', (_name, entry, problem) => {
    const r = parseCustomHeaders([entry]);
    expect(r.headers).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toContain('customGeneralSIPHeaders[0]');
    expect(r.problems[0]).toContain(problem);
  });
});

describe('headersFor', () => {
  const custom = ['X-Site: lab'];
  it.each<[HeaderTarget, string[]]>([
    ['REGISTER', ['X-Site: lab']],
    ['INVITE', ['X-Site: lab']],
    ['VIDEO_REINVITE', ['X-Site: lab']],
    ['INFO', ['X-Site: lab']],
    ['ANSWER', ['X-Site: lab']],
    ['REJECT', ['X-Site: lab']],
    ['DTMF_INFO', []],
    ['HOLD_REINVITE', []],
    ['BYE', []],
    ['REFER', []],
  ])('%s gets %j', (target, want) => {
    expect(headersFor(target, custom)).toEqual(want);
  });
  it('puts request-specific headers first', () => {
    expect(headersFor('INVITE', custom, ['X-Call: 1'])).toEqual(['X-Call: 1', 'X-Site: lab']);
    expect(headersFor('BYE', custom, ['X-Call: 1'])).toEqual(['X-Call: 1']);
  });
});
