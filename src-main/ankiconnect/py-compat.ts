/**
 * Python-compatible error texts.
 *
 * AnkiConnect is a Python add-on: whatever goes wrong surfaces to clients as `str(exception)`.
 * A few of those texts are part of the de-facto protocol (upstream tests and clients look for
 * substrings such as "can't decode", "in double quotes", "is not of type 'object'",
 * "unexpected keyword argument"), so this module reproduces them from scratch:
 *
 * - `repr()` / `str()` / type names of JSON values as Python would render them;
 * - the UTF-8 decoder's error text (`'utf-8' codec can't decode …`);
 * - the `json` module's decode errors (`Expecting value: line 1 column 1 (char 0)`), as
 *   CPython 3.13's C scanner reports them;
 * - the first line of the `jsonschema` (4.2x) error for AnkiConnect's top-level request schema;
 * - call-binding errors (`AnkiConnect.x() missing 1 required positional argument: 'y'`).
 *
 * Written from the behaviour of CPython/jsonschema, not from their sources.
 */

// ---------------------------------------------------------------------------------------------
// repr / str / type names

/** Python's type name for a JSON value (`type(v).__name__`). */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** `repr(float)`: shortest round-trip digits, exponent form outside 1e-4 ≤ |x| < 1e16. */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  // toExponential() without an argument yields the shortest round-trip digits.
  const [mant, expStr] = Math.abs(n).toExponential().split('e');
  const digits = mant.replace('.', '');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

/** `repr(str)`: single quotes unless the text has a `'` and no `"`. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      if (cp < 0x100) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

/**
 * `repr()` of a JSON value (`None`, `True`, `'text'`, `[1, 2]`, `{'a': 1}`).
 * `limit` caps the output (with `...`) so a 200 MB body never becomes a 200 MB message.
 */
export function pyRepr(value: unknown, limit = 500): string {
  const out: string[] = [];
  let len = 0;
  const push = (s: string): boolean => {
    out.push(s);
    len += s.length;
    return len < limit;
  };
  const walk = (v: unknown, depth: number): boolean => {
    if (v === null || v === undefined) return push('None');
    if (typeof v === 'boolean') return push(v ? 'True' : 'False');
    if (typeof v === 'number') return push(Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : pyFloatRepr(v));
    if (typeof v === 'bigint') return push(v.toString());
    if (typeof v === 'string') return push(pyStrRepr(v.length > limit ? v.slice(0, limit) : v));
    if (depth > 50) return push('...');
    if (Array.isArray(v)) {
      if (!push('[')) return false;
      for (let i = 0; i < v.length; i++) {
        if (i > 0 && !push(', ')) return false;
        if (!walk(v[i], depth + 1)) return false;
      }
      return push(']');
    }
    if (typeof v === 'object') {
      if (!push('{')) return false;
      let first = true;
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        if (!first && !push(', ')) return false;
        first = false;
        if (!push(`${pyStrRepr(k)}: `)) return false;
        if (!walk(item, depth + 1)) return false;
      }
      return push('}');
    }
    return push(String(v));
  };
  walk(value, 0);
  const s = out.join('');
  return s.length > limit ? `${s.slice(0, limit)}...` : s;
}

/** `str()` of a JSON value, as `'…{}'.format(value)` renders it: strings bare, the rest repr. */
export function pyStr(value: unknown, limit = 500): string {
  if (typeof value === 'string') return value.length > limit ? `${value.slice(0, limit)}...` : value;
  return pyRepr(value, limit);
}

// ---------------------------------------------------------------------------------------------
// UTF-8

/**
 * The text of Python's `UnicodeDecodeError` for the first invalid UTF-8 sequence in `bytes`,
 * or `null` when the bytes are valid UTF-8. Mirrors CPython's classification: "invalid start
 * byte", "invalid continuation byte" and "unexpected end of data" (the latter only when the
 * input ends inside an otherwise valid sequence).
 */
export function pyUtf8DecodeError(bytes: Uint8Array): string | null {
  const n = bytes.length;
  const cont = (b: number) => b >= 0x80 && b <= 0xbf;
  const fail = (start: number, end: number, reason: string) =>
    end - start === 1
      ? `'utf-8' codec can't decode byte 0x${bytes[start].toString(16).padStart(2, '0')} in position ${start}: ${reason}`
      : `'utf-8' codec can't decode bytes in position ${start}-${end - 1}: ${reason}`;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return fail(i, i + 1, 'invalid start byte');
    // Validate what is there; the second byte has the tightened range.
    let k = 1;
    for (; k <= need && i + k < n; k++) {
      const c = bytes[i + k];
      const ok = k === 1 ? c >= lo && c <= hi : cont(c);
      if (!ok) return fail(i, i + k, 'invalid continuation byte');
    }
    if (k <= need) return fail(i, n, 'unexpected end of data');
    i += need + 1;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// json.loads errors

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
const HEX4_RE = /^[0-9a-fA-F]{4}$/;

function pyJsonErrorAt(text: string, msg: string, pos: number): string {
  // Python counts positions in code points; convert the UTF-16 index.
  let cp = 0;
  let line = 1;
  let lastNl = -1;
  for (let i = 0; i < pos; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < pos) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    if (c === 10) {
      line++;
      lastNl = cp;
    }
    cp++;
  }
  const col = cp - lastNl;
  return `${msg}: line ${line} column ${col} (char ${cp})`;
}

/**
 * The message `json.loads(text)` raises for `text`, or `null` when Python would accept it
 * (which includes `NaN`/`Infinity`, which `JSON.parse` rejects). Iterative, so deeply nested
 * input cannot overflow the stack.
 */
export function pyJsonDecodeError(text: string): string | null {
  const n = text.length;
  let i = 0;
  const skipWs = () => {
    while (i < n && WS.has(text[i])) i++;
  };
  const err = (msg: string, pos: number) => pyJsonErrorAt(text, msg, pos);

  // Returns an error message or null; on success `i` is just past the string.
  const scanString = (): string | null => {
    const begin = i; // the opening quote
    i++;
    for (;;) {
      if (i >= n) return err('Unterminated string starting at', begin);
      const c = text[i];
      if (c === '"') {
        i++;
        return null;
      }
      if (c === '\\') {
        if (i + 1 >= n) return err('Unterminated string starting at', begin);
        const e = text[i + 1];
        if (e === 'u') {
          // CPython also wants a character after the four digits before it decodes them.
          const hex = text.slice(i + 2, i + 6);
          if (i + 6 >= n || !HEX4_RE.test(hex)) return err('Invalid \\uXXXX escape', i + 1);
          i += 6;
        } else if ('"\\/bfnrt'.includes(e)) i += 2;
        else return err('Invalid \\escape', i);
        continue;
      }
      if (c.charCodeAt(0) < 0x20) return err('Invalid control character at', i);
      i++;
    }
  };

  // Scans one scalar or opens a container; returns 'open' when a container was entered.
  type Frame = { kind: 'array' | 'object'; commaAt: number };
  const stack: Frame[] = [];

  const scanValue = (): string | 'open' | null => {
    if (i >= n) return err('Expecting value', i);
    const c = text[i];
    if (c === '"') return scanString();
    if (c === '{' || c === '[') {
      i++;
      skipWs();
      const closer = c === '{' ? '}' : ']';
      if (i < n && text[i] === closer) {
        i++;
        return null;
      }
      stack.push({ kind: c === '{' ? 'object' : 'array', commaAt: -1 });
      return 'open';
    }
    if (text.startsWith('null', i)) return ((i += 4), null);
    if (text.startsWith('true', i)) return ((i += 4), null);
    if (text.startsWith('false', i)) return ((i += 5), null);
    if (text.startsWith('NaN', i)) return ((i += 3), null);
    if (text.startsWith('Infinity', i)) return ((i += 8), null);
    if (text.startsWith('-Infinity', i)) return ((i += 9), null);
    NUMBER_RE.lastIndex = i;
    const m = NUMBER_RE.exec(text);
    if (m && m[0].length > 0 && m[0] !== '-') {
      i += m[0].length;
      return null;
    }
    return err('Expecting value', i);
  };

  // Inside an object, at the position where a key is expected (whitespace skipped).
  const scanKey = (frame: Frame): string | null => {
    if (i < n && text[i] === '}' && frame.commaAt >= 0) return err('Illegal trailing comma before end of object', frame.commaAt);
    if (i >= n || text[i] !== '"') return err('Expecting property name enclosed in double quotes', i);
    const e = scanString();
    if (e) return e;
    skipWs();
    if (i >= n || text[i] !== ':') return err("Expecting ':' delimiter", i);
    i++;
    skipWs();
    return null;
  };

  skipWs();
  let r = scanValue();
  if (typeof r === 'string' && r !== 'open') return r;
  for (;;) {
    if (r === 'open') {
      const top = stack[stack.length - 1];
      if (top.kind === 'object') {
        const e = scanKey(top);
        if (e) return e;
      }
      r = scanValue();
      if (typeof r === 'string' && r !== 'open') return r;
      if (r === 'open') continue;
    }
    // A value just ended: close containers as far as possible.
    if (stack.length === 0) break;
    const top = stack[stack.length - 1];
    skipWs();
    const closer = top.kind === 'object' ? '}' : ']';
    if (i < n && text[i] === closer) {
      i++;
      stack.pop();
      r = null;
      continue;
    }
    if (i >= n || text[i] !== ',') return err("Expecting ',' delimiter", i);
    top.commaAt = i;
    i++;
    skipWs();
    if (top.kind === 'array' && i < n && text[i] === ']') return err('Illegal trailing comma before end of array', top.commaAt);
    if (top.kind === 'object') {
      const e = scanKey(top);
      if (e) return e;
    }
    r = scanValue();
    if (typeof r === 'string' && r !== 'open') return r;
  }
  skipWs();
  if (i !== n) return err('Extra data', i);
  return null;
}

// ---------------------------------------------------------------------------------------------
// jsonschema: AnkiConnect's top-level request schema

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isJsonInteger(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v);
}

/**
 * Validates a parsed body against AnkiConnect's request schema
 * (`{type: object, properties: {action: {type: string, minLength: 1}, version: {type: integer},
 * params: {type: object}}, required: [action]}`) and returns the first line of the message
 * `jsonschema.validate` (4.23+) would raise, or `null` when valid. Its `best_match` prefers the
 * shallowest error, then among sibling properties the greatest path — so a missing `action`
 * beats everything, then `version`, `params`, `action` errors in that order.
 */
export function pyRequestSchemaError(body: unknown): string | null {
  if (!isPlainObject(body)) return `${pyRepr(body)} is not of type 'object'`;
  if (!('action' in body)) return `'action' is a required property`;
  if ('version' in body && !isJsonInteger(body.version)) return `${pyRepr(body.version)} is not of type 'integer'`;
  if ('params' in body && !isPlainObject(body.params)) return `${pyRepr(body.params)} is not of type 'object'`;
  const a = body.action;
  if (typeof a !== 'string') return `${pyRepr(a)} is not of type 'string'`;
  if (a.length === 0) return `'' should be non-empty`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// call binding

/** `AnkiConnect.<name>()` as Python ≥ 3.10 names a bound method in TypeErrors. */
export function pyQualName(action: string): string {
  return `AnkiConnect.${action}()`;
}

/** `missing 2 required positional arguments: 'a' and 'b'` (Oxford comma for three or more). */
export function pyMissingArgs(action: string, missing: readonly string[]): string {
  const names = missing.map((m) => pyStrRepr(m));
  let list: string;
  if (names.length === 1) list = names[0];
  else if (names.length === 2) list = `${names[0]} and ${names[1]}`;
  else list = `${names.slice(0, -1).join(', ')}, and ${names[names.length - 1]}`;
  const plural = missing.length === 1 ? 'argument' : 'arguments';
  return `${pyQualName(action)} missing ${missing.length} required positional ${plural}: ${list}`;
}

export function pyUnexpectedKeyword(action: string, key: string): string {
  return `${pyQualName(action)} got an unexpected keyword argument ${pyStrRepr(key)}`;
}

// ---------------------------------------------------------------------------------------------
// glob

/** fnmatch's pattern → a RegExp source (`*`, `?`, `[seq]`, `[!seq]`; an unclosed `[` is literal). */
function fnmatchSource(pattern: string): string {
  let out = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '*') out += '[^]*';
    else if (c === '?') out += '[^]';
    else if (c === '[') {
      let j = i + 1;
      if (chars[j] === '!') j++;
      if (chars[j] === ']') j++;
      while (j < chars.length && chars[j] !== ']') j++;
      if (j >= chars.length) {
        out += '\\[';
        continue;
      }
      let body = chars.slice(i + 1, j);
      const negate = body[0] === '!';
      if (negate) body = body.slice(1);
      const cls = body.map((ch) => (ch === '\\' || ch === ']' || ch === '[' || ch === '^' ? `\\${ch}` : ch)).join('');
      out += negate ? `[^${cls}]` : `[${cls}]`;
      i = j;
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

/**
 * A filter for file names in one folder as Python's `glob.glob(join(folder, pattern))` selects
 * them: fnmatch syntax, case-sensitive, names starting with `.` only when the pattern does.
 * Patterns naming subfolders match nothing here.
 */
export function pyGlobMatcher(pattern: string): (name: string) => boolean {
  if (pattern.includes('/')) return () => false;
  const re = new RegExp(`^${fnmatchSource(pattern)}$`, 'u');
  const dotOk = pattern.startsWith('.');
  return (name) => (dotOk || !name.startsWith('.')) && re.test(name);
}
