import { describe, expect, it } from 'vitest';
import { isWebSocketURL, parseAddressList } from './servers';

describe('isWebSocketURL and parseAddressList', () => {
  it.each([
    ['wss://sbc.example.com:10081', true],
    ['ws://127.0.0.1:8088', true],
    ['https://sbc.example.com', false],
    ['sbc.example.com:10081', false],
    ['', false],
  ])('%s -> %s', (url, want) => expect(isWebSocketURL(url)).toBe(want));
  it('splits lines, commas and spaces', () => {
    expect(parseAddressList(' wss://a\nwss://b, wss://c  \n\n')).toEqual(['wss://a', 'wss://b', 'wss://c']);
  });
});
