import { describe, expect, it } from 'vitest';
import { defaultStrings } from './defaults';

// The served static/localization/strings-default.json carries exactly these
// keys and texts: the Go test assets/strings_test.go compares it with this
// file's object, so the web client's tests run from webclient/ alone.
describe('defaultStrings', () => {
  it('has an English text for every key', () => {
    for (const [key, text] of Object.entries(defaultStrings)) {
      expect(typeof text, key).toBe('string');
      expect(text.trim(), key).not.toBe('');
    }
  });
  it('names its locale', () => {
    expect(defaultStrings.LANGUAGE_RESOURCE_LOCALE).toBe('en-US');
  });
});
