// Typed access to the client contract (contract.gen.ts, generated from the
// Go schema): the default and range of each key come from there, never
// from a literal in the client. A value of the wrong type, or outside the
// key's range, takes the key's default, never an exception.

import { contract } from './contract.gen';

export { contract };
type Contract = typeof contract;
/** A key path of the contract, e.g. "modes.ice_timeout_fix". */
export type Key = keyof Contract;
type WithDefault<T> = { [K in Key]: Contract[K] extends { default: T } ? K : never }[Key];
/** Keys with a default. */
export type DefaultKey = WithDefault<unknown>;
/** Boolean keys with a default. */
export type BoolKey = WithDefault<boolean>;
/** Integer keys with a default (and, like every integer key, a range). */
export type IntKey = WithDefault<number>;
/** String keys with a default. */
export type StrKey = WithDefault<string>;

/** The key's default, as the contract gives it. */
export function defaultOf<K extends DefaultKey>(key: K): Contract[K] extends { default: infer D } ? D : never {
  return (contract[key] as { default: unknown }).default as never;
}

export function boolOpt(v: unknown, key: BoolKey): boolean {
  return typeof v === 'boolean' ? v : defaultOf(key);
}

export function strOpt(v: unknown, key: StrKey): string {
  return typeof v === 'string' ? v : defaultOf(key);
}

/** intOpt reads an integer key; a numeric string counts (a hand-written file may quote numbers). */
export function intOpt(v: unknown, key: IntKey): number {
  const { min, max } = contract[key] as { min: number; max: number };
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : defaultOf(key);
}

/** The global variables the contract knows: its keys' first path elements. */
export const contractGlobals: readonly string[] = [...new Set(Object.keys(contract).map((k) => k.split(/[.[]/)[0]))];
