import { describe, expect, it } from 'vitest';
import { targetURI } from './target';

describe('targetURI', () => {
  it.each([
    ['1001', 'example.com', 'sip:1001@example.com'],
    ['+1 (555) 010-2000', 'example.com', 'sip:+15550102000@example.com'],
    ['bob', 'example.com', 'sip:bob@example.com'],
    ['bob@other.example', 'example.com', 'sip:bob@other.example'],
    ['sip:queue@pbx.example', 'example.com', 'sip:queue@pbx.example'],
    ['  ', 'example.com', null],
    ['bob', '', null],
  ])('%j on %j -> %j', (input, domain, want) => expect(targetURI(input, domain)).toBe(want));
});
