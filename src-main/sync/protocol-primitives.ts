// The protocol's error and the primitive readers every message reader is built from: integers,
// strings, booleans, arrays and structs with serde's rules.

import type { JsonObject, JsonValue } from '../storage/legacy/json';

/** A message that does not have the shape the protocol requires. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export const fail = (msg: string): never => {
  throw new ProtocolError(msg);
};

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asObject(v: unknown, what: string): JsonObject {
  return isObject(v) ? v : fail(`${what}: expected a JSON object`);
}

export interface IntOpts {
  /** serde `deserialize_int_from_number`: floats are truncated (u32: negatives become 0). */
  floatOk?: boolean;
  clampNegativeToZero?: boolean;
}

export function intValue(v: JsonValue | undefined, min: number, max: number, what: string, opts: IntOpts = {}): number {
  let n: number;
  if (typeof v === 'bigint') {
    if (v < BigInt(min) || v > BigInt(max)) fail(`${what}: ${v} out of range`);
    n = Number(v);
  } else if (typeof v === 'number') {
    n = v;
    if (!Number.isInteger(n)) {
      if (!opts.floatOk) fail(`${what}: expected an integer, got ${v}`);
      n = Number.isFinite(n) ? Math.trunc(n) : 0;
    }
  } else {
    return fail(`${what}: expected a number`);
  }
  if (opts.clampNegativeToZero && n < 0) n = 0;
  if (n < min || n > max) fail(`${what}: ${n} out of range`);
  if (!Number.isSafeInteger(n)) fail(`${what}: ${n} is not exactly representable`);
  return n;
}

const I64_SAFE = Number.MAX_SAFE_INTEGER;
export const i64 = (v: JsonValue | undefined, what: string, opts?: IntOpts) => intValue(v, -I64_SAFE, I64_SAFE, what, opts);
export const i32 = (v: JsonValue | undefined, what: string, opts?: IntOpts) => intValue(v, -(2 ** 31), 2 ** 31 - 1, what, opts);
export const u32 = (v: JsonValue | undefined, what: string, opts?: IntOpts) => intValue(v, 0, 2 ** 32 - 1, what, opts);
export const u16 = (v: JsonValue | undefined, what: string) => intValue(v, 0, 65_535, what);
export const u8 = (v: JsonValue | undefined, what: string) => intValue(v, 0, 255, what);

export function str(v: JsonValue | undefined, what: string): string {
  return typeof v === 'string' ? v : fail(`${what}: expected a string`);
}

export function bool(v: JsonValue | undefined, what: string): boolean {
  return typeof v === 'boolean' ? v : fail(`${what}: expected true/false`);
}

export function arr(v: JsonValue | undefined, what: string): JsonValue[] {
  return Array.isArray(v) ? v : fail(`${what}: expected an array`);
}

/** A serde struct read from either a positional array (as Serialize_tuple writes it) or an object. */
export function fieldsOf(v: JsonValue, names: readonly string[], what: string): (JsonValue | undefined)[] {
  if (Array.isArray(v)) {
    if (v.length !== names.length) fail(`${what}: expected ${names.length} elements, got ${v.length}`);
    return v;
  }
  if (isObject(v)) return names.map((n) => v[n]);
  return fail(`${what}: expected an array`);
}
