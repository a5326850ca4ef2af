import { describe, expect, it } from 'vitest';
import { contract, intOpt, type IntKey } from './contract';
import { optionNames, readConfig, type ClientConfig } from './options';
import { readAssistConfig } from '../assist/config';
import { readBackgroundConfig } from '../media/background/config';
import { restoreOptions } from '../sip/restore';

// Where the client puts each integer key it reads, from the advancedOptions
// globals. An implemented integer key of the contract missing here fails the
// test: the client must read it.
type Globals = Record<string, unknown>;
const fromConfig = (pick: (c: ClientConfig) => number) => (g: Globals) => pick(readConfig(g));
const intReaders: Partial<Record<IntKey, (g: Globals) => number>> = {
  registerExpires: fromConfig((c) => c.registerExpires),
  reconnectIntervalMin: fromConfig((c) => c.reconnectIntervalMin),
  reconnectIntervalMax: fromConfig((c) => c.reconnectIntervalMax),
  dtmfDuration: fromConfig((c) => c.dtmfDuration),
  dtmfInterToneGap: fromConfig((c) => c.dtmfInterToneGap),
  noAnswerTimeout: fromConfig((c) => c.noAnswerTimeout),
  'modes.ice_timeout_fix': fromConfig((c) => c.modes.iceTimeoutFix),
  'autoAnswerOptions.autoAnswerDefaultDelaySeconds': fromConfig((c) => c.agent.autoAnswer.defaultDelaySeconds),
  'callHistoryConfig.maxEntries': fromConfig((c) => c.agent.history.maxEntries),
  restoreCallQualityMaxDelay: fromConfig((c) => c.quality.restoreMaxDelay),
  restoreCallMaxDelay: (g) => restoreOptions(g).maxDelaySeconds,
  'localVideoFilter.maxSizeForLocalBGImages': (g) => readBackgroundConfig(g).maxLocalImages,
  agentAssistMaxHistoryEntries: (g) => readAssistConfig(g).maxHistory,
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
      expect(read, `${key}: implemented but the client does not read it`).toBeDefined();
      if (!read) continue;
      const { min, max } = e as Required<Entry>;
      expect(read({}), `${key} default`).toBe(e.default);
      expect(read(globalsFor(key, max + 1)), `${key} above ${max}`).toBe(e.default);
      expect(read(globalsFor(key, min - 1)), `${key} below ${min}`).toBe(e.default);
      // reconnectIntervalMax never goes below the minimum's default.
      if (key !== 'reconnectIntervalMax') expect(read(globalsFor(key, min)), `${key} at ${min}`).toBe(min);
      expect(read(globalsFor(key, max)), `${key} at ${max}`).toBe(max);
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
