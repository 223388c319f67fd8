// JSON handling for Anki's legacy (schema-11) objects.
//
// Anki's JSON contains 64-bit integers that do not fit a JS number (random field/template ids
// such as -6679331561619854360), and Anki's serde deserialisers treat `20` and `20.0`
// differently (an integer field rejects a float literal). parseLegacyJson therefore
//   * returns integer literals outside ±2^53 as bigint (exact), everything else as usual, and
//   * remembers which numbers were written with a fraction/exponent (see isFloatLiteral), so the
//     converters can apply serde's int/float rules exactly.
// stringifyLegacyJson writes bigint as a plain JSON integer. Other values follow JSON.stringify.

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Holder object/array → keys (array indices as strings) whose number had a float literal. */
const floatLiterals = new WeakMap<object, Set<string>>();

let sourceAccessChecked = false;

function checkSourceAccess(): void {
  if (sourceAccessChecked) return;
  let ok = false;
  JSON.parse('[1]', (_k: string, v: unknown, ctx?: { source?: string }) => {
    if (ctx?.source === '1') ok = true;
    return v;
  });
  if (!ok) throw new Error('parseLegacyJson needs JSON.parse source text access (Node >= 21 / V8 >= 11.4)');
  sourceAccessChecked = true;
}

/** JSON.parse that keeps 64-bit integers exact (as bigint) and records float literals. */
export function parseLegacyJson(text: string): JsonValue {
  checkSourceAccess();
  return JSON.parse(text, function (this: object, key: string, value: unknown, ctx?: { source?: string }) {
    if (typeof value === 'number' && ctx?.source !== undefined) {
      const src = ctx.source;
      if (/[.eE]/.test(src)) {
        let set = floatLiterals.get(this);
        if (!set) floatLiterals.set(this, (set = new Set()));
        set.add(key);
      } else if (!Number.isSafeInteger(value)) {
        return BigInt(src);
      }
    }
    return value;
  }) as JsonValue;
}

/** Whether holder[key] was a number written with a fraction or exponent (e.g. `20.0`) in the
 * text given to parseLegacyJson. Always false for objects built any other way. */
export function isFloatLiteral(holder: object, key: string | number): boolean {
  return floatLiterals.get(holder)?.has(String(key)) ?? false;
}

/** A JSON value to be written verbatim (e.g. a config value kept as the bytes it was stored as). */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * What a writer adds to plain compact JSON: the sync wire writes RawJson values verbatim and keeps
 * a number parsed from `1.0` as `1.0` (as serde_json's f64 would); legacy objects do neither.
 */
export interface JsonWriteOptions {
  rawJson: boolean;
  keepFloatLiterals: boolean;
}

const LEGACY_WRITE: JsonWriteOptions = { rawJson: false, keepFloatLiterals: false };

/** Compact JSON like serde_json (bigint as integers, non-finite numbers as null) into `out`. */
export function writeJson(v: unknown, out: string[], opts: JsonWriteOptions, holder: object | null = null, key = ''): void {
  if (v === null || v === undefined) {
    out.push('null');
    return;
  }
  if (opts.rawJson && v instanceof RawJson) {
    out.push(v.text);
    return;
  }
  switch (typeof v) {
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'number': {
      if (!Number.isFinite(v)) {
        out.push('null'); // serde_json writes non-finite floats as null
        return;
      }
      let s = JSON.stringify(v);
      if (opts.keepFloatLiterals && holder && Number.isInteger(v) && !/[eE]/.test(s) && isFloatLiteral(holder, key)) s += '.0';
      out.push(s);
      return;
    }
    case 'bigint':
      out.push(v.toString());
      return;
    case 'string':
      out.push(JSON.stringify(v));
      return;
    case 'object': {
      if (Array.isArray(v)) {
        out.push('[');
        v.forEach((item, i) => {
          if (i > 0) out.push(',');
          writeJson(item, out, opts, v, String(i));
        });
        out.push(']');
        return;
      }
      out.push('{');
      let first = true;
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        if (!first) out.push(',');
        first = false;
        out.push(JSON.stringify(k), ':');
        writeJson(item, out, opts, v as object, k);
      }
      out.push('}');
      return;
    }
    default:
      out.push('null');
  }
}

/** Compact JSON (like serde_json::to_string) that writes bigint values as integers. */
export function stringifyLegacyJson(value: unknown): string {
  const out: string[] = [];
  writeJson(value, out, LEGACY_WRITE);
  return out.join('');
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** The JSON bytes Anki keeps in a protobuf `other` field (empty map → no bytes). */
export function otherToBytes(other: JsonObject): Uint8Array | undefined {
  if (Object.keys(other).length === 0) return undefined;
  return new TextEncoder().encode(stringifyLegacyJson(other));
}

/** Anki's parse_other_fields: bytes → map minus reserved keys; invalid JSON → empty map. */
export function parseOtherFields(bytes: Uint8Array | undefined, reserved: ReadonlySet<string>): JsonObject {
  if (!bytes || bytes.length === 0) return {};
  let v: JsonValue;
  try {
    v = parseLegacyJson(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
  if (!isJsonObject(v)) return {};
  const out: JsonObject = {};
  for (const [k, item] of Object.entries(v)) if (!reserved.has(k)) out[k] = item;
  return out;
}
