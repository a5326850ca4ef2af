import { describe, expect, it } from 'vitest';
import { maxCustomerInfoLength, parseCustomerInfo } from './customerinfo';

const mapping = { VIPLevel: 'VIP level', advice: 'Getting expert advice for the product' };

describe('parseCustomerInfo', () => {
  it('maps keys and keyword values to readable text, keeping the order', () => {
    expect(parseCustomerInfo('{"name":"Dana Levi","VIPLevel":"gold","reason":"advice","visits":3,"vip":true}', mapping)).toEqual({
      kind: 'items',
      items: [
        { key: 'name', label: 'name', value: 'Dana Levi' },
        { key: 'VIPLevel', label: 'VIP level', value: 'gold' },
        { key: 'reason', label: 'reason', value: 'Getting expert advice for the product' },
        { key: 'visits', label: 'visits', value: '3' },
        { key: 'vip', label: 'vip', value: 'true' },
      ],
    });
  });

  it('writes nested values as JSON and null as nothing', () => {
    expect(parseCustomerInfo('{"order":{"id":7},"note":null}', {})).toEqual({
      kind: 'items',
      items: [{ key: 'order', label: 'order', value: '{"id":7}' }, { key: 'note', label: 'note', value: '' }],
    });
  });

  it('decodes percent-encoded JSON', () => {
    expect(parseCustomerInfo(encodeURIComponent('{"advice":"yes"}'), mapping)).toEqual({
      kind: 'items', items: [{ key: 'advice', label: 'Getting expert advice for the product', value: 'yes' }],
    });
  });

  it.each([
    ['not JSON', 'not-json{', 'not-json{'],
    ['a JSON array', '[1,2]', '[1,2]'],
    ['a JSON string', '"hello"', '"hello"'],
    ['broken percent-encoding', '%E0%A4%A', '%E0%A4%A'],
  ])('shows %s raw', (_, header, text) => {
    expect(parseCustomerInfo(header, mapping)).toEqual({ kind: 'raw', text });
  });

  it.each([null, undefined, '', '   '])('is null for %j', (h) => {
    expect(parseCustomerInfo(h, mapping)).toBeNull();
  });

  it('does not take mapping entries from the prototype', () => {
    expect(parseCustomerInfo('{"constructor":"toString"}', {})).toEqual({
      kind: 'items', items: [{ key: 'constructor', label: 'constructor', value: 'toString' }],
    });
  });

  it('cuts a huge header', () => {
    const info = parseCustomerInfo('x'.repeat(maxCustomerInfoLength * 2), {});
    expect(info?.kind === 'raw' && info.text.length).toBe(maxCustomerInfoLength);
  });
});
