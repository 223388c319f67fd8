// The client side of the v11 transport: one POST per protocol call, zstd both ways, the
// `anki-sync` header, `anki-original-size` required on every success, a stall timer instead of a
// total timeout, and 308 surfaced as an error carrying the new base URL (only `meta` acts on it).

import http from 'node:http';
import https from 'node:https';
import {
  type ClientVersion,
  DEFAULT_ENDPOINT,
  DEFAULT_IO_TIMEOUT_MS,
  deckhandClientVersion,
  encodeSyncHeader,
  encodeWireJson,
  errorForNetworkFailure,
  errorForStatus,
  methodUrl,
  newSessionKey,
  normalizeEndpoint,
  ORIGINAL_SIZE_HEADER,
  parseWireJson,
  SYNC_HEADER,
  SYNC_VERSION,
  SyncError,
  zstdDecode,
  zstdEncode,
} from './wire';
import type { JsonValue } from '../storage/legacy/json';

export interface TransferProgress {
  /** bytes sent or received on the wire so far (compressed) */
  transferred: number;
  /** total wire bytes if known */
  total?: number;
  direction: 'up' | 'down';
}

export interface SyncHttpClientOptions {
  /** Base URL ending in `/` (AnkiWeb by default). */
  endpoint?: string;
  /** Host key from login; "" before login. */
  hostKey?: string;
  /** Fail when no byte has moved for this long (default 30 s, as the official client). */
  ioTimeoutMs?: number;
  clientVersion?: ClientVersion;
  /** Cancels the request in flight. */
  signal?: AbortSignal;
  /** Test hook: called with each outgoing request before it is sent. */
  onRequest?: (info: { service: 'sync' | 'msync'; method: string; req: http.ClientRequest }) => void;
}

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A sync session's transport. One instance per sync run: it generates the session key (`s`)
 * once, and remembers an endpoint change (308 on `meta`) for every later call, media included.
 */
export class SyncHttpClient {
  endpoint: string;
  hostKey: string;
  readonly sessionKey: string;
  readonly ioTimeoutMs: number;
  readonly clientVersion: ClientVersion;
  signal?: AbortSignal;
  onRequest?: SyncHttpClientOptions['onRequest'];
  onProgress?: (p: TransferProgress) => void;
  // one kept-alive connection for the run's sequential requests (TLS once, not per call)
  private readonly agents = { http: new http.Agent({ keepAlive: true, maxSockets: 1 }), https: new https.Agent({ keepAlive: true, maxSockets: 1 }) };

  constructor(opts: SyncHttpClientOptions = {}) {
    this.endpoint = normalizeEndpoint(opts.endpoint ?? DEFAULT_ENDPOINT);
    this.hostKey = opts.hostKey ?? '';
    this.sessionKey = newSessionKey();
    this.ioTimeoutMs = opts.ioTimeoutMs ?? DEFAULT_IO_TIMEOUT_MS;
    this.clientVersion = opts.clientVersion ?? deckhandClientVersion();
    this.signal = opts.signal;
    this.onRequest = opts.onRequest;
  }

  /** Closes the kept-alive connection. */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /** Posts a JSON request, returns the decoded JSON reply. */
  async json(service: 'sync' | 'msync', method: string, body: unknown): Promise<JsonValue> {
    const data = await this.call(service, method, encodeWireJson(body));
    try {
      return parseWireJson(data);
    } catch (e) {
      throw new SyncError('bad-response', `The sync server's reply to ${method} is not valid JSON. Check the sync server address.`, { cause: e });
    }
  }

  /**
   * One protocol call: zstd-compresses `payload`, posts it with the anki-sync header, checks the
   * status, requires anki-original-size and returns the decompressed reply body.
   */
  async call(service: 'sync' | 'msync', method: string, payload: Uint8Array): Promise<Buffer> {
    const url = methodUrl(this.endpoint, service, method);
    const header = encodeSyncHeader({ v: SYNC_VERSION, k: this.hostKey, c: this.clientVersion.short, s: this.sessionKey });
    const reply = await this.post(url, { [SYNC_HEADER]: header, 'content-type': 'application/octet-stream' }, zstdEncode(payload), service, method);
    if (reply.status === 308) {
      const location = reply.headers.location;
      if (!location) throw new SyncError('bad-response', `The sync server asked to redirect ${method} but gave no new address.`, { status: 308 });
      let target: string;
      try {
        target = new URL(location, url).toString();
      } catch {
        throw new SyncError('bad-response', `The sync server redirected to an invalid address: ${location}`, { status: 308 });
      }
      throw new SyncError('redirect', `The sync server moved this account to ${target}.`, { status: 308, location: target });
    }
    if (reply.status < 200 || reply.status > 299) throw errorForStatus(reply.status, reply.body.toString('utf8'), url.toString());
    const size = reply.headers[ORIGINAL_SIZE_HEADER];
    if (typeof size !== 'string' || !/^\d+$/.test(size.trim()) || Number(size) > 0xffffffff)
      throw new SyncError(
        'bad-response',
        `The reply from ${url.host} is not a sync reply (no ${ORIGINAL_SIZE_HEADER} header). Check the sync server address; after an AnkiWeb redirect, use the new address.`,
      );
    try {
      return zstdDecode(reply.body);
    } catch (e) {
      throw new SyncError('bad-response', `The sync server's reply to ${method} could not be decompressed (zstd).`, { cause: e });
    }
  }

  /** A raw HTTP/1.1 POST with the stall timer. */
  post(url: URL, headers: Record<string, string>, body: Buffer, service: 'sync' | 'msync' = 'sync', method = ''): Promise<RawReply> {
    const lib = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? this.agents.https : this.agents.http;
    return new Promise<RawReply>((resolve, reject) => {
      let settled = false;
      const done = (err: unknown, reply?: RawReply) => {
        if (settled) return;
        settled = true;
        if (err) reject(errorForNetworkFailure(err, url.toString()));
        else resolve(reply!);
      };
      const req = lib.request(
        url,
        { method: 'POST', headers: { ...headers, 'content-length': String(body.length) }, signal: this.signal, agent },
        (res) => {
          const chunks: Buffer[] = [];
          let received = 0;
          const total = res.headers['content-length'] ? Number(res.headers['content-length']) : undefined;
          res.on('data', (c: Buffer) => {
            chunks.push(c);
            received += c.length;
            this.onProgress?.({ transferred: received, total, direction: 'down' });
          });
          res.on('end', () => {
            if (!res.complete) return done(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
            done(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
          });
          res.on('error', (e) => done(e));
          res.on('aborted', () => done(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
        },
      );
      // stall timer: the socket's idle timeout fires only when no byte moves for ioTimeoutMs
      req.setTimeout(this.ioTimeoutMs, () => {
        const e = new SyncError('timeout', `The sync server (${url.host}) stopped responding: nothing moved for ${Math.round(this.ioTimeoutMs / 1000)} s.`);
        done(e);
        req.destroy(e);
      });
      req.on('error', (e) => done(e));
      this.onRequest?.({ service, method, req });
      // write in slices so progress (and the stall timer) follow large uploads
      const slice = 256 * 1024;
      let off = 0;
      const writeMore = () => {
        while (off < body.length) {
          const part = body.subarray(off, off + slice);
          off += part.length;
          this.onProgress?.({ transferred: off, total: body.length, direction: 'up' });
          if (!req.write(part)) {
            req.once('drain', writeMore);
            return;
          }
        }
        req.end();
      };
      writeMore();
    });
  }
}
