// Readers that mimic how Anki's serde structs accept legacy JSON values (serde / serde_json /
// serde_aux rules), so a converter can reproduce Anki's outcome for odd input, including which
// values fall back to defaults.
//
// A reader throws Invalid when serde would reject the value. The Fields helper then applies the
// field's attribute: `#[serde(default)]` (missing → default), `default_on_invalid` (invalid →
// default) or none (missing/invalid → error). In *lenient* mode (used for the top-level objects)
// an error becomes the default instead: where Anki would refuse the whole object — and with it
// the collection — we keep going. In *strict* mode (used inside a `default_on_invalid`
// sub-struct, such as a deck config's `new` block) the error propagates so the caller can replace
// the whole sub-struct, as serde does.

import { type JsonObject, type JsonValue, isFloatLiteral, isJsonObject } from './json';

export class Invalid extends Error {}

export function fail(msg: string): never {
  throw new Invalid(msg);
}

export type Holder = JsonObject | JsonValue[];
/** Reads holder[key]; throws Invalid when serde would reject it. */
export type Reader<T> = (holder: Holder, key: string | number) => T;

const at = (h: Holder, k: string | number): JsonValue | undefined =>
  (h as Record<string | number, JsonValue | undefined>)[k];

export const str: Reader<string> = (h, k) => {
  const v = at(h, k);
  return typeof v === 'string' ? v : fail(`${k}: not a string`);
};

export const bool: Reader<boolean> = (h, k) => {
  const v = at(h, k);
  return typeof v === 'boolean' ? v : fail(`${k}: not a bool`);
};

/** serde_aux deserialize_bool_from_anything: bool, 0/1, 0.0/1.0, "true"/"false" (any case), "0"/"1". */
export const boolFromAnything: Reader<boolean> = (h, k) => {
  const v = at(h, k);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (Number(v) === 1) return true;
    if (Number(v) === 0) return false;
    return fail(`${k}: number is neither 1 nor 0`);
  }
  if (typeof v === 'string') {
    const l = v.toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
    const n = Number(v);
    if (v.trim() !== '' && n === 1) return true;
    if (v.trim() !== '' && n === 0) return false;
  }
  return fail(`${k}: not a bool`);
};

/** An integer in [min, max] (serde rejects float literals such as `20.0` for integer types). */
export function int(min: number | bigint, max: number | bigint): Reader<number> {
  return (h, k) => {
    const v = at(h, k);
    let b: bigint;
    if (typeof v === 'bigint') b = v;
    else if (typeof v === 'number' && Number.isInteger(v) && !isFloatLiteral(h, k)) b = BigInt(v);
    else return fail(`${k}: not an integer`);
    if (b < BigInt(min) || b > BigInt(max)) fail(`${k}: out of range`);
    return Number(b);
  };
}

/** i64 as bigint */
export const i64Big: Reader<bigint> = (h, k) => {
  const v = at(h, k);
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isInteger(v) && !isFloatLiteral(h, k)) b = BigInt(v);
  else return fail(`${k}: not an integer`);
  if (b < -(2n ** 63n) || b >= 2n ** 63n) fail(`${k}: out of range`);
  return b;
};

export const U8 = int(0, 255);
export const U16 = int(0, 65_535);
export const U32 = int(0, 4_294_967_295);
export const I32 = int(-2_147_483_648, 2_147_483_647);
export const I64 = int(-(2n ** 63n), 2n ** 63n - 1n);

/** serde_aux deserialize_number_from_string for integers: a number, or a string holding one. */
export function intFromString(min: number | bigint, max: number | bigint): Reader<number> {
  const num = int(min, max);
  return (h, k) => {
    const v = at(h, k);
    if (typeof v !== 'string') return num(h, k);
    if (!/^[+-]?\d+$/.test(v)) fail(`${k}: not a number string`);
    const b = BigInt(v);
    if (b < BigInt(min) || b > BigInt(max)) fail(`${k}: out of range`);
    return Number(b);
  };
}
export const I64FromString = intFromString(-(2n ** 63n), 2n ** 63n - 1n);
export const I32FromString = intFromString(-2_147_483_648, 2_147_483_647);

/** f32: any JSON number, rounded to float32 */
export const f32: Reader<number> = (h, k) => {
  const v = at(h, k);
  if (typeof v === 'number') return Math.fround(v);
  if (typeof v === 'bigint') return Math.fround(Number(v));
  return fail(`${k}: not a number`);
};

export function vec<T>(item: Reader<T>): Reader<T[]> {
  return (h, k) => {
    const v = at(h, k);
    if (!Array.isArray(v)) return fail(`${k}: not an array`);
    return v.map((_, i) => item(v, i));
  };
}

/** `Option<T>`: null → undefined */
export function option<T>(item: Reader<T>): Reader<T | undefined> {
  return (h, k) => (at(h, k) === null ? undefined : item(h, k));
}

export function object<T>(parse: (o: JsonObject) => T): Reader<T> {
  return (h, k) => {
    const v = at(h, k);
    return isJsonObject(v) ? parse(v) : fail(`${k}: not an object`);
  };
}

/** Field access for one JSON object with serde's attribute semantics; records the keys it read. */
export class Fields {
  readonly seen = new Set<string>();

  constructor(
    readonly o: JsonObject,
    readonly strict: boolean,
  ) {}

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.o, key) && this.o[key] !== undefined;
  }

  private orDefault<T>(e: unknown, def: T): T {
    if (this.strict || !(e instanceof Invalid)) throw e;
    return def;
  }

  /** no attribute: missing or invalid → error (lenient: def). An Option reader accepts missing. */
  req<T>(key: string, read: Reader<T>, def: T): T {
    this.seen.add(key);
    try {
      if (!this.has(key)) fail(`missing field ${key}`);
      return read(this.o, key);
    } catch (e) {
      return this.orDefault(e, def);
    }
  }

  /** `Option<T>` without attributes: missing or null → undefined; invalid → error (lenient: undefined) */
  opt<T>(key: string, read: Reader<T>): T | undefined {
    this.seen.add(key);
    if (!this.has(key)) return undefined;
    try {
      return option(read)(this.o, key);
    } catch (e) {
      return this.orDefault(e, undefined);
    }
  }

  /** `#[serde(default)]`: missing → def; invalid → error (lenient: def) */
  dflt<T>(key: string, read: Reader<T>, def: T): T {
    this.seen.add(key);
    if (!this.has(key)) return def;
    try {
      return read(this.o, key);
    } catch (e) {
      return this.orDefault(e, def);
    }
  }

  /** `deserialize_with = "default_on_invalid"` (with `default` when `missingOk`): invalid → def. */
  doi<T>(key: string, read: Reader<T>, def: T, missingOk: boolean): T {
    this.seen.add(key);
    if (!this.has(key)) {
      if (!missingOk && this.strict) fail(`missing field ${key}`);
      return def;
    }
    try {
      return read(this.o, key);
    } catch (e) {
      if (e instanceof Invalid) return def;
      throw e;
    }
  }

  /** Mark keys as consumed without reading them. */
  consume(...keys: string[]): void {
    for (const k of keys) this.seen.add(k);
  }

  /** serde(flatten) HashMap: every key not read by a named field. */
  rest(): JsonObject {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(this.o)) if (!this.seen.has(k) && v !== undefined) out[k] = v;
    return out;
  }
}

/** Run a strict sub-struct parse; Invalid anywhere → def (serde default_on_invalid on a struct). */
export function orDefaultOnInvalid<T>(parse: () => T, def: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof Invalid) return def();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// number output helpers (Rust `as` casts and float32 formatting)

/** The shortest decimal that reads back as the same float32 (what serde_json/ryu prints), as a
 * JS number: 1.2999999523162842 → 1.3. */
export function f32Out(x: number): number {
  const f = Math.fround(x);
  if (!Number.isFinite(f) || f === 0) return f;
  for (let p = 1; p <= 9; p++) {
    const n = Number(f.toPrecision(p));
    if (Math.fround(n) === f) return n;
  }
  return f;
}

/** i64 → JSON number when exact, else bigint */
export function i64Out(b: bigint | number): number | bigint {
  if (typeof b === 'number') return b;
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** Rust `x as u16` etc. from an unsigned/signed integer: wrapping truncation. */
export const asU8 = (n: number): number => Number(BigInt.asUintN(8, BigInt(Math.trunc(n))));
export const asU16 = (n: number): number => Number(BigInt.asUintN(16, BigInt(Math.trunc(n))));
export const asU32 = (n: number): number => Number(BigInt.asUintN(32, BigInt(Math.trunc(n))));
export const asI32 = (n: number): number => Number(BigInt.asIntN(32, BigInt(Math.trunc(n))));

/** Rust `f as u32` / `f as u16` from a float: truncation, saturating, NaN → 0. */
export function floatAsUint(f: number, max: number): number {
  if (Number.isNaN(f) || f <= 0) return 0;
  if (f >= max) return max;
  return Math.trunc(f);
}
