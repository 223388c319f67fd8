// The byte-level rules of Anki's sync protocol v11 (spec: shared/spec/anki-sync.md §1), shared by
// the client and the server: the `anki-sync` header, zstd bodies, `anki-original-size`, JSON that
// keeps 64-bit integers and float literals exact, client version strings, session keys, and the
// mapping of HTTP status codes to errors a person can act on.

import { randomInt } from 'node:crypto';
import { platform } from 'node:os';
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { DeckhandError } from '../collection/errors';
import { type JsonValue, type JsonWriteOptions, parseLegacyJson, RawJson, writeJson } from '../storage/legacy/json';

// ---------------------------------------------------------------------------------------------
// constants

/** The protocol this implementation speaks (v11 = header + zstd, Anki ≥ 2.1.57). */
export const SYNC_VERSION = 11;
/** Versions a server accepts in the header (older ones then use the legacy multipart transport). */
export const SYNC_VERSION_MIN = 8;
export const SYNC_VERSION_MAX = 11;

export const SYNC_HEADER = 'anki-sync';
export const ORIGINAL_SIZE_HEADER = 'anki-original-size';

export const DEFAULT_ENDPOINT = 'https://sync.ankiweb.net/';
/** Official client default: a request fails when no byte moved for this long. */
export const DEFAULT_IO_TIMEOUT_MS = 30_000;
/** After `meta`, a clock further than this from the server's aborts the sync. */
export const MAX_CLOCK_SKEW_SECS = 300;

/** Objects per graves/chunk request (rslib CHUNK_SIZE). */
export const CHUNK_SIZE = 250;
/** `MAX_SYNC_PAYLOAD_MEGS` default: compressed request limit on the server. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 100 * 1024 * 1024;

export type SyncMethod =
  | 'hostKey'
  | 'meta'
  | 'start'
  | 'applyGraves'
  | 'applyChanges'
  | 'chunk'
  | 'applyChunk'
  | 'sanityCheck2'
  | 'finish'
  | 'abort'
  | 'upload'
  | 'download';

export const SYNC_METHODS: readonly SyncMethod[] = [
  'hostKey',
  'meta',
  'start',
  'applyGraves',
  'applyChanges',
  'chunk',
  'applyChunk',
  'sanityCheck2',
  'finish',
  'abort',
  'upload',
  'download',
];

export type MediaSyncMethod = 'begin' | 'mediaChanges' | 'uploadChanges' | 'downloadFiles' | 'mediaSanity';
export const MEDIA_SYNC_METHODS: readonly MediaSyncMethod[] = ['begin', 'mediaChanges', 'uploadChanges', 'downloadFiles', 'mediaSanity'];

/** `sync/<method>` or `msync/<method>`, joined onto a base URL that ends in `/`. */
export function methodUrl(base: string, service: 'sync' | 'msync', method: string): URL {
  return new URL(`${service}/${method}`, normalizeEndpoint(base));
}

/**
 * A sync base URL as the protocol needs it: absolute http(s), ending in `/` (URLs are built by
 * joining `sync/<method>` onto it, so `https://host/custom` must become `https://host/custom/`).
 */
export function normalizeEndpoint(endpoint: string): string {
  let u: URL;
  try {
    u = new URL(endpoint.trim());
  } catch {
    throw new SyncError('invalid-endpoint', `"${endpoint}" is not a valid sync server address (expected e.g. http://192.168.1.200:8080/)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SyncError('invalid-endpoint', `the sync server address must start with http:// or https:// (got ${u.protocol})`);
  u.search = '';
  u.hash = '';
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u.toString();
}

// ---------------------------------------------------------------------------------------------
// client identification

export const DECKHAND_VERSION = '0.1.0';
export const DECKHAND_BUILD = 'dev';

/** Rust's `env::consts::OS` names, which the official client reports. */
export function osName(p: string = platform()): string {
  return p === 'darwin' ? 'macos' : p === 'win32' ? 'windows' : p;
}

export interface ClientVersion {
  /** Header `c`: official format `"<version>,<buildhash>,<os>"`. */
  short: string;
  /** `meta` body `cv` / media `begin` `v`: official format `"anki,<version> (<buildhash>),<platform>"`. */
  long: string;
}

/** How Deckhand identifies itself: honestly, in the official formats. */
export function deckhandClientVersion(version = DECKHAND_VERSION, build = DECKHAND_BUILD, os = osName()): ClientVersion {
  return { short: `deckhand-${version},${build},${os}`, long: `deckhand,${version} (${build}),${os}` };
}

const BASE62 = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Base-62 digits of n, most significant first (Anki's `to_base_n` with this alphabet). */
export function toBase62(n: number): string {
  if (n === 0) return BASE62[0];
  let s = '';
  while (n > 0) {
    s = BASE62[n % 62] + s;
    n = Math.floor(n / 62);
  }
  return s;
}

/** A session key as the official client makes one: base-62 of a random u32, once per sync. */
export function newSessionKey(): string {
  return toBase62(randomInt(0, 2 ** 32));
}

// ---------------------------------------------------------------------------------------------
// the anki-sync header

export interface SyncHeader {
  /** protocol version of this request */
  v: number;
  /** host key, "" on hostKey */
  k: string;
  /** short client version */
  c: string;
  /** session key */
  s: string;
}

/** Serialised exactly as the official client's serde struct: keys in the order v, k, c, s. */
export function encodeSyncHeader(h: SyncHeader): string {
  return `{"v":${h.v},"k":${JSON.stringify(h.k)},"c":${JSON.stringify(h.c)},"s":${JSON.stringify(h.s)}}`;
}

/**
 * Parses a header value as the server does: a JSON object with all four keys (`v` a u8, the rest
 * strings; extra keys ignored). Returns null when it is not acceptable (→ HTTP 400).
 */
export function decodeSyncHeader(value: string): SyncHeader | null {
  let o: unknown;
  try {
    o = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return null;
  const r = o as Record<string, unknown>;
  if (typeof r.v !== 'number' || !Number.isInteger(r.v) || r.v < 0 || r.v > 255) return null;
  if (typeof r.k !== 'string' || typeof r.c !== 'string' || typeof r.s !== 'string') return null;
  return { v: r.v, k: r.k, c: r.c, s: r.s };
}

// ---------------------------------------------------------------------------------------------
// zstd bodies

/** Request and success-response bodies are zstd frames (compression is the protocol's, not HTTP's). */
export function zstdEncode(data: Uint8Array): Buffer {
  return zstdCompressSync(data);
}

/**
 * Decodes a zstd body, with or without a frame content size (the official client and server
 * stream, so their frames carry none). `maxBytes` caps the output; past it `tooLarge` is set.
 */
export function zstdDecode(data: Uint8Array, maxBytes?: number): Buffer {
  try {
    return zstdDecompressSync(data, maxBytes === undefined ? undefined : { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw new PayloadTooLarge();
    throw e;
  }
}

export class PayloadTooLarge extends Error {
  constructor() {
    super('payload exceeds the size limit');
  }
}

// ---------------------------------------------------------------------------------------------
// JSON

export { RawJson };

/** The wire's JSON: RawJson values verbatim, parsed float literals such as `1.0` kept. */
const WIRE_WRITE: JsonWriteOptions = { rawJson: true, keepFloatLiterals: true };

/** Compact JSON like serde_json: bigint as integers, RawJson verbatim, parsed float literals kept. */
export function stringifyWire(value: unknown): string {
  const out: string[] = [];
  writeJson(value, out, WIRE_WRITE);
  return out.join('');
}

/** One member of a parsed object as JSON text (a float literal such as `1.0` stays `1.0`). */
export function stringifyMember(holder: object, key: string): string {
  const out: string[] = [];
  writeJson((holder as Record<string, unknown>)[key], out, WIRE_WRITE, holder, key);
  return out.join('');
}

export function encodeWireJson(value: unknown): Buffer {
  return Buffer.from(stringifyWire(value), 'utf8');
}

/** Parses a JSON body; integers beyond 2^53 come back as bigint. Throws SyntaxError when invalid. */
export function parseWireJson(data: Uint8Array | string): JsonValue {
  const text = typeof data === 'string' ? data : new TextDecoder('utf-8', { fatal: true }).decode(data);
  return parseLegacyJson(text);
}

// ---------------------------------------------------------------------------------------------
// errors

export type SyncErrorKind =
  /** 403: wrong username/password or expired/invalid host key. */
  | 'auth'
  /** The server or network could not be reached, or the connection broke. */
  | 'network'
  /** No byte moved for the I/O timeout. */
  | 'timeout'
  /** 500/502/503/504. */
  | 'server-error'
  /** 409: no/another active sync, or a media file the server lacks. */
  | 'conflict'
  /** 501. */
  | 'client-too-old'
  /** 400: the server refused the data; Check Database, then usually a full sync. */
  | 'database-check-required'
  /** `meta` said cont=false, a media `err`, or a refused upload: the text is the server's. */
  | 'server-message'
  | 'clock-incorrect'
  /** A one-way (full) sync is needed (e.g. a notetype's fields/templates changed on one side). */
  | 'resync-required'
  | 'sanity-check-failed'
  /** The reply is not a sync reply (no anki-original-size, bad zstd/JSON): wrong URL or a proxy. */
  | 'bad-response'
  | 'proxy-auth'
  /** 308 outside `meta` (the client switches its endpoint only on `meta`). */
  | 'redirect'
  | 'http-status'
  | 'invalid-endpoint'
  | 'busy'
  | 'cancelled'
  | 'upload-too-large'
  | 'media-resync-required';

/** A sync failure. `kind` says what happened; the message is written for the person syncing. */
export class SyncError extends DeckhandError {
  readonly kind: SyncErrorKind;
  readonly status?: number;
  /** For 'redirect': the Location the server gave. */
  readonly location?: string;

  constructor(kind: SyncErrorKind, message: string, extra: { status?: number; location?: string; cause?: unknown } = {}) {
    super(kind === 'invalid-endpoint' ? 'invalid-input' : 'io', message);
    this.name = 'SyncError';
    this.kind = kind;
    this.status = extra.status;
    this.location = extra.location;
    if (extra.cause !== undefined) (this as { cause?: unknown }).cause = extra.cause;
  }
}

/** What the official client concludes from a non-success status (rslib error/network.rs), in words. */
export function errorForStatus(status: number, body: string, url: string): SyncError {
  const detail = body && body.trim() !== String(status) ? ` (${body.trim().slice(0, 200)})` : '';
  const where = new URL(url).host;
  switch (status) {
    case 400:
      return new SyncError(
        'database-check-required',
        `The sync server (${where}) refused the request (HTTP 400)${detail}. This usually means the collection has an inconsistency: run Check Database, then sync again (a one-way full sync may be needed).`,
        { status },
      );
    case 403:
      return new SyncError('auth', `Sync login failed: the username or password is wrong, or the saved login has expired. Log in to ${where} again.`, { status });
    case 407:
      return new SyncError('proxy-auth', `The proxy between this computer and ${where} requires authentication (HTTP 407).`, { status });
    case 409:
      return new SyncError(
        'conflict',
        `The sync server (${where}) reported a conflict (HTTP 409)${detail}: another sync of this account is in progress, or it was interrupted. Wait a moment and sync again.`,
        { status },
      );
    case 413:
      return new SyncError('upload-too-large', `The sync server (${where}) refused the data as too large (HTTP 413).`, { status });
    case 501:
      return new SyncError('client-too-old', `The sync server (${where}) does not support this client's sync protocol (HTTP 501). Update Deckhand.`, { status });
    case 500:
    case 502:
    case 503:
    case 504:
      return new SyncError('server-error', `The sync server (${where}) had an internal error (HTTP ${status})${detail}. Nothing was lost; try again later.`, { status });
    default:
      return new SyncError('http-status', `The sync server (${where}) answered with unexpected HTTP status ${status}${detail}. Check the sync server address.`, { status });
  }
}

/** Node socket/DNS errors → a clear network error. */
export function errorForNetworkFailure(e: unknown, url: string): SyncError {
  if (e instanceof SyncError) return e;
  const err = e as NodeJS.ErrnoException;
  const host = new URL(url).host;
  const code = err?.code ?? '';
  if (err?.name === 'AbortError' || code === 'ABORT_ERR') return new SyncError('cancelled', 'The sync was cancelled.', { cause: e });
  if (code === 'ECONNREFUSED') return new SyncError('network', `Cannot connect to the sync server at ${host}: the connection was refused. Is the server running and the address right?`, { cause: e });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new SyncError('network', `Cannot find the sync server ${host}: check the address and the internet connection.`, { cause: e });
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return new SyncError('timeout', `The connection to ${host} timed out.`, { cause: e });
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up|aborted/i.test(err?.message ?? ''))
    return new SyncError('network', `The connection to the sync server (${host}) was lost during the sync. Nothing was changed locally; sync again.`, { cause: e });
  return new SyncError('network', `Network error talking to ${host}: ${err?.message ?? String(e)}`, { cause: e });
}
