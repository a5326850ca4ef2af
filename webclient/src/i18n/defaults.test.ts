import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultStrings } from './defaults';

// The served default text file lives with the brand resources; it must carry
// exactly the client's keys and English texts. UPDATE=1 rewrites it.
const served = fileURLToPath(new URL('../../../assets/files/static/localization/strings-default.json', import.meta.url));

describe('strings-default.json', () => {
  if (process.env.UPDATE) writeFileSync(served, JSON.stringify(defaultStrings, null, 2) + '\n');
  const file = JSON.parse(readFileSync(served, 'utf8')) as Record<string, string>;

  it('has every key the client uses, with the English default', () => {
    expect(file).toEqual(defaultStrings);
  });
  it('names its locale', () => {
    expect(file.LANGUAGE_RESOURCE_LOCALE).toBe('en-US');
  });
});
