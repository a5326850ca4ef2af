import { describe, expect, it } from 'vitest';
import { findClaim, needsUserInfo, sipCredentials } from './claims';

describe('findClaim', () => {
  const cases: { name: string; docs: unknown[]; claim: string; want: string | null }[] = [
    { name: 'top level', docs: [{ sip_dn: '1007' }], claim: 'sip_dn', want: '1007' },
    { name: 'nested objects', docs: [{ a: { b: { c: { sip_dn: '2001' } } } }], claim: 'sip_dn', want: '2001' },
    { name: 'inside arrays', docs: [{ identities: [{ x: 1 }, { voip: { sip_dn: '3001' } }] }], claim: 'sip_dn', want: '3001' },
    { name: 'a number', docs: [{ ext: { sip_dn: 4001 } }], claim: 'sip_dn', want: '4001' },
    { name: 'first of an array value', docs: [{ sip_dn: ['5001', '5002'] }], claim: 'sip_dn', want: '5001' },
    { name: 'shallowest wins', docs: [{ deep: { deeper: { sip_dn: 'deep' } }, mid: { sip_dn: 'mid' } }], claim: 'sip_dn', want: 'mid' },
    { name: 'second document when the first lacks it', docs: [{ sub: 'x' }, { profile: { sip_dn: '6001' } }], claim: 'sip_dn', want: '6001' },
    { name: 'first document wins', docs: [{ sip_dn: 'token' }, { sip_dn: 'userinfo' }], claim: 'sip_dn', want: 'token' },
    { name: 'case-sensitive names', docs: [{ SIP_DN: '7001' }], claim: 'sip_dn', want: null },
    { name: 'objects and empty strings skipped', docs: [{ sip_dn: { value: 'x' }, other: { sip_dn: '' }, more: { sip_dn: '8001' } }], claim: 'sip_dn', want: '8001' },
    { name: 'booleans and null skipped', docs: [{ sip_dn: true, x: { sip_dn: null } }], claim: 'sip_dn', want: null },
    { name: 'absent', docs: [{ a: 1 }, null, 'text'], claim: 'sip_dn', want: null },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(findClaim(tc.docs, tc.claim), `findClaim(${JSON.stringify(tc.docs)}, ${tc.claim})`).toBe(tc.want);
    });
  }

  it('survives cycles and hostile depth', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(findClaim([cyclic], 'sip_dn')).toBeNull();
    let deep: Record<string, unknown> = { sip_dn: 'too deep' };
    for (let i = 0; i < 100; i++) deep = { n: deep };
    expect(findClaim([deep], 'sip_dn')).toBeNull();
  });
});

describe('sipCredentials', () => {
  const both = { sipUserAttribute: 'sip_dn', sipPasswordAttribute: 'sip_password' };
  it('takes user and password from the configured attributes, anywhere', () => {
    expect(sipCredentials(both, [{ sub: 'agent7', name: 'Agent Seven' }, { voip: { sip_dn: '1007', sip_password: 'pw' } }]))
      .toEqual({ user: '1007', password: 'pw', displayName: 'Agent Seven' });
  });
  it('fails when a configured attribute is missing', () => {
    expect(sipCredentials(both, [{ sip_dn: '1007' }])).toBeNull();
    expect(sipCredentials(both, [{ sip_password: 'pw' }])).toBeNull();
  });
  it('has no password without SIP_Password_Attribute_name (Bearer)', () => {
    expect(sipCredentials({ sipUserAttribute: 'sip_dn', sipPasswordAttribute: null }, [{ sip_dn: '1007', sip_password: 'pw' }]))
      .toEqual({ user: '1007', password: null, displayName: '' });
  });
  it('falls back to preferred_username, then email, before "@"', () => {
    const none = { sipUserAttribute: null, sipPasswordAttribute: null };
    expect(sipCredentials(none, [{ sub: 's', preferred_username: 'agent7@example.com' }])?.user).toBe('agent7');
    expect(sipCredentials(none, [{ sub: 's', email: 'a8@example.com' }])?.user).toBe('a8');
    expect(sipCredentials(none, [{ sub: 'subject' }])?.user).toBe('subject');
  });
});

describe('needsUserInfo', () => {
  it('is true only when the id token lacks a configured attribute', () => {
    const names = { sipUserAttribute: 'sip_dn', sipPasswordAttribute: 'sip_password' };
    expect(needsUserInfo(names, { sip_dn: '1', nested: { sip_password: 'p' } })).toBe(false);
    expect(needsUserInfo(names, { sip_dn: '1' })).toBe(true);
    expect(needsUserInfo({ sipUserAttribute: null, sipPasswordAttribute: null }, {})).toBe(false);
  });
});
