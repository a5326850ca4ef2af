import { describe, expect, it } from 'vitest';
import { contract, intOpt, type IntKey } from './contract';
import { optionNames, readConfig, type ClientConfig } from './options';

// Where readConfig puts each integer key it reads. An implemented integer key
// of the contract missing here fails the test: the client must read it.
const intReaders: Partial<Record<IntKey, (c: ClientConfig) => number>> = {
  registerExpires: (c) => c.registerExpires,
  reconnectIntervalMin: (c) => c.reconnectIntervalMin,
  reconnectIntervalMax: (c) => c.reconnectIntervalMax,
  dtmfDuration: (c) => c.dtmfDuration,
  dtmfInterToneGap: (c) => c.dtmfInterToneGap,
  noAnswerTimeout: (c) => c.noAnswerTimeout,
  'modes.ice_timeout_fix': (c) => c.modes.iceTimeoutFix,
  'autoAnswerOptions.autoAnswerDefaultDelaySeconds': (c) => c.agent.autoAnswer.defaultDelaySeconds,
  'callHistoryConfig.maxEntries': (c) => c.agent.history.maxEntries,
  restoreCallQualityMaxDelay: (c) => c.quality.restoreMaxDelay,
};

/** globalsFor nests value at a contract path: "a.b" -> {a: {b: value}}. */
function globalsFor(path: string, value: unknown): Record<string, unknown> {
  return path.split('.').reduceRight<unknown>((v, k) => ({ [k]: v }), value) as Record<string, unknown>;
}

type Entry = { type: string; implemented: boolean; default?: unknown; min?: number; max?: number };
const entries = Object.entries(contract) as [string, Entry][];

describe('client contract', () => {
  it('reads every global of the contract, and the deprecated ones', () => {
    const globals = Object.fromEntries(optionNames.map((n) => [n, 1]));
    for (const key of Object.keys(contract)) {
      const global = key.split(/[.[]/)[0];
      expect(readConfig(globals).raw, key).toHaveProperty(global);
    }
    expect(optionNames).toContain('maxSizeForCallHistory');
  });

  it('reads every implemented integer key with the default and range of the contract', () => {
    const ints = entries.filter(([k, e]) => e.type === 'integer' && e.implemented && !k.includes('[]'));
    expect(ints.length).toBeGreaterThan(5);
    for (const [key, e] of ints) {
      const read = intReaders[key as IntKey];
      expect(read, `${key}: implemented but readConfig does not read it`).toBeDefined();
      if (!read) continue;
      const { min, max } = e as Required<Entry>;
      expect(read(readConfig({})), `${key} default`).toBe(e.default);
      expect(read(readConfig(globalsFor(key, max + 1))), `${key} above ${max}`).toBe(e.default);
      expect(read(readConfig(globalsFor(key, min - 1))), `${key} below ${min}`).toBe(e.default);
      // reconnectIntervalMax never goes below the minimum's default.
      if (key !== 'reconnectIntervalMax') expect(read(readConfig(globalsFor(key, min))), `${key} at ${min}`).toBe(min);
      expect(read(readConfig(globalsFor(key, max))), `${key} at ${max}`).toBe(max);
    }
  });

  it('falls back to the default for a fraction', () => {
    expect(intOpt(100.5, 'dtmfDuration')).toBe(contract.dtmfDuration.default);
  });

  it('gives a default to every implemented boolean key outside lists', () => {
    for (const [key, e] of entries) {
      if (e.type === 'boolean' && e.implemented && !key.includes('[]')) expect(typeof e.default, key).toBe('boolean');
    }
  });
});
