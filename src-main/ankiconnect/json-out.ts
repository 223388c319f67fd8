/**
 * Reply serialization. Like Python's `json.dumps` defaults, every non-ASCII character is
 * written as a `\uXXXX` escape, so the bytes are pure ASCII and survive clients that guess the
 * charset wrong. `bigint` values (64-bit template/field ids that exceed 2^53) are written as
 * exact integers; `undefined` becomes null.
 */

const NON_ASCII = /[\u007f-\uffff]/g;

function escapeNonAscii(json: string): string {
  NON_ASCII.lastIndex = 0;
  if (!NON_ASCII.test(json)) return json;
  NON_ASCII.lastIndex = 0;
  return json.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

type RawJson = (text: string) => unknown;
const rawJSON: RawJson | undefined = (JSON as unknown as { rawJSON?: RawJson }).rawJSON;

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return rawJSON ? rawJSON(value.toString()) : Number(value);
  return value;
}

export function serializeReply(value: unknown): string {
  const v = value === undefined ? null : value;
  let json: string | undefined;
  try {
    // no replacer on the common path: calling one per value is most of the cost of large replies
    json = JSON.stringify(v);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    json = JSON.stringify(v, replacer);
  }
  return escapeNonAscii(json ?? 'null');
}

/** The exact bytes AnkiConnect answers an empty request with (Python's separators). */
export function versionBanner(apiVersion: number): string {
  return `{"apiVersion": "AnkiConnect v.${apiVersion}"}`;
}
