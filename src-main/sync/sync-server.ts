// A self-hosted sync server speaking Anki's protocol v11, wire-compatible with Anki's own
// `anki-sync-server` (rslib/src/sync/http_server): the same routes, header, zstd bodies,
// `anki-original-size`, bare-number error bodies, per-user collection + media folder, one active
// normal sync per user bound to its session key, and the same status codes.

import { createHash, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../collection/clock';
import { Collection } from '../collection/collection';
import { unburyIfDayRolledOver } from '../scheduler/bury-service';
import type { JsonValue } from '../storage/legacy/json';
import { SyncStore } from '../storage/sync-store';
import {
  applyChanges,
  applyChunk,
  applyGraves,
  type ChunkableIds,
  chunkableIds,
  getChunk,
  localUnchunkedChanges,
  pendingGraves,
  sanityCheckInfo,
  SyncSide,
} from './engine';
import { HttpStatusError, ServerMediaManager } from './media-server';
import {
  changesToWire,
  chunkToWire,
  gravesToWire,
  jsonResultOk,
  ProtocolError,
  readBeginRequest,
  readChanges,
  readChunk,
  readDownloadFilesRequest,
  readEmptyInput,
  readGraves,
  readHostKeyRequest,
  readMediaChangesRequest,
  readMediaSanityRequest,
  readMetaRequest,
  readSanityCounts,
  readStartRequest,
  sanityCountsEqual,
  type SanityCheckResponse,
  sanityResponseToWire,
  syncMetaToWire,
  type SanityCounts,
} from './protocol';
import {
  decodeSyncHeader,
  DEFAULT_MAX_PAYLOAD_BYTES,
  encodeWireJson,
  MEDIA_SYNC_METHODS,
  type MediaSyncMethod,
  ORIGINAL_SIZE_HEADER,
  parseWireJson,
  PayloadTooLarge,
  SYNC_HEADER,
  SYNC_METHODS,
  SYNC_VERSION_MAX,
  SYNC_VERSION_MIN,
  type SyncMethod,
  zstdDecode,
  zstdEncode,
} from './wire';

/** What an upload that cannot be opened gets back (HTTP 200, as Anki; old clients show it). */
export const CORRUPT_MESSAGE = 'Your upload was corrupt. Please use Check Database, or restore from backup.';

// ---------------------------------------------------------------------------------------------
// configuration

export interface SyncServerUser {
  username: string;
  /** The password, or with `hashed` a PHC-format PBKDF2 hash (`$pbkdf2-sha256$i=…,l=…$salt$hash`). */
  password: string;
  hashed?: boolean;
}

export interface SyncServerHookInfo {
  service: 'sync' | 'msync';
  method: string;
  user?: string;
  /** 1-based count of requests of this method so far (per server). */
  count: number;
}

export interface SyncServerHooks {
  /**
   * Called after a request was processed, before its reply is sent. 'destroy' cuts the
   * connection without a reply; 'truncate' sends the headers and half the body, then cuts it.
   */
  beforeReply?: (info: SyncServerHookInfo) => 'destroy' | 'truncate' | void;
}

export interface SyncServerOptions {
  /** Interface to listen on (default 127.0.0.1; Anki's server defaults to 0.0.0.0). */
  host?: string;
  /** Port (default 8080 as Anki's; 0 picks a free one). */
  port?: number;
  /** One folder per user is created here: `<dataDir>/<username>/collection.anki2`, `media/`, `media.db`. */
  dataDir: string;
  /** Users as Anki's `SYNC_USER1=user:pass` values, or objects. At least one. */
  users: (string | SyncServerUser)[];
  /** Like Anki's PASSWORDS_HASHED: the part after `:` of string users is a PHC PBKDF2 hash. */
  passwordsHashed?: boolean;
  /** MAX_SYNC_PAYLOAD_MEGS (default 100): compressed request limit; uncompressed limit is 3×. */
  maxPayloadMegs?: number;
  clock?: Clock;
  log?: (line: string) => void;
  hooks?: SyncServerHooks;
}

export interface SyncServer {
  /** Base URL to give clients, e.g. `http://127.0.0.1:8080/` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** hkey of each user (hex SHA-1 of `username:password`, as Anki's server derives it). */
  readonly hostKeys: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

/** Anki's self-hosted host key: hex SHA-1 of the literal `user:pass` configuration value. */
export function deriveHostKey(userAndPass: string): string {
  return createHash('sha1').update(userAndPass, 'utf8').digest('hex');
}

/** Reads users the way Anki's server does: SYNC_USER1, SYNC_USER2, … (contiguous), PASSWORDS_HASHED. */
export function usersFromEnv(env: NodeJS.ProcessEnv = process.env): { users: string[]; passwordsHashed: boolean } {
  const users: string[] = [];
  for (let i = 1; env[`SYNC_USER${i}`] !== undefined; i++) users.push(env[`SYNC_USER${i}`]!);
  return { users, passwordsHashed: env.PASSWORDS_HASHED !== undefined };
}

/** `deckhand sync-server`: the env variables of Anki's server (SYNC_BASE, SYNC_HOST, SYNC_PORT, …). */
export function startSyncServerFromEnv(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<SyncServer> {
  const { users, passwordsHashed } = usersFromEnv(env);
  return startSyncServer({
    host: env.SYNC_HOST ?? '0.0.0.0',
    port: env.SYNC_PORT ? Number(env.SYNC_PORT) : 8080,
    dataDir: env.SYNC_BASE ?? join(homedir(), '.syncserver'),
    users,
    passwordsHashed,
    maxPayloadMegs: env.MAX_SYNC_PAYLOAD_MEGS ? Number(env.MAX_SYNC_PAYLOAD_MEGS) : undefined,
    log,
  });
}

// ---------------------------------------------------------------------------------------------
// passwords

const b64 = (s: string) => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');

/** Verifies a password against a PHC PBKDF2 string (pbkdf2, pbkdf2-sha256, pbkdf2-sha512). */
export function verifyPbkdf2Phc(password: string, phc: string): boolean {
  const parts = phc.split('$');
  // ['', id, params, salt, hash]
  if (parts.length !== 5 || parts[0] !== '') return false;
  const digest = { pbkdf2: 'sha1', 'pbkdf2-sha256': 'sha256', 'pbkdf2-sha512': 'sha512' }[parts[1]];
  if (!digest) return false;
  let rounds = 0;
  for (const kv of parts[2].split(',')) {
    const [k, v] = kv.split('=');
    if (k === 'i') rounds = Number(v);
  }
  const expected = b64(parts[4]);
  if (!Number.isSafeInteger(rounds) || rounds < 1 || expected.length === 0) return false;
  const got = pbkdf2Sync(Buffer.from(password, 'utf8'), b64(parts[3]), rounds, expected.length, digest);
  return timingSafeEqual(got, expected);
}

function passwordMatches(user: SyncServerUser, given: string): boolean {
  if (user.hashed) return verifyPbkdf2Phc(given, user.password);
  const a = createHash('sha256').update(user.password).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

// ---------------------------------------------------------------------------------------------
// per-user state

interface ServerSyncState {
  skey: string;
  serverUsn: number;
  clientUsn: number;
  clientIsNewer: boolean;
  chunkIds: ChunkableIds | null;
  side: SyncSide;
}

class ServerUser {
  col: Collection | null = null;
  state: ServerSyncState | null = null;
  readonly media: ServerMediaManager;

  constructor(
    readonly cfg: SyncServerUser,
    readonly hkey: string,
    readonly folder: string,
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
  ) {
    mkdirSync(folder, { recursive: true });
    this.media = new ServerMediaManager(folder, () => Math.floor(clock.nowMs() / 1000));
  }

  get colPath(): string {
    return join(this.folder, 'collection.anki2');
  }

  ensureCol(): Collection {
    if (!this.col) {
      try {
        this.col = existsSync(this.colPath) ? Collection.open(this.colPath, { clock: this.clock }) : Collection.create(this.colPath, { clock: this.clock });
      } catch (e) {
        throw new HttpStatusError(500, `open collection: ${(e as Error).message}`);
      }
    }
    return this.col;
  }

  /** Closes the collection, rolling back whatever a sync left open. */
  dropCol(): void {
    const col = this.col;
    this.col = null;
    if (!col) return;
    try {
      new SyncStore(col.db).rollback();
    } catch {
      /* closing rolls back too */
    }
    col.close();
  }

  abortSyncIfActive(): void {
    if (this.state) {
      this.log(`${this.cfg.username}: aborting active sync`);
      this.state = null;
      this.dropCol();
    }
  }

  startNewSync(skey: string): void {
    this.abortSyncIfActive();
    const col = this.ensureCol();
    this.state = { skey, serverUsn: 0, clientUsn: 0, clientIsNewer: false, chunkIds: null, side: new SyncSide(col, () => this.clock.nowMs()) };
  }

  /** Any other collection access aborts an active sync first (as Anki's with_col). */
  withCol<T>(fn: (col: Collection) => T): T {
    this.abortSyncIfActive();
    return fn(this.ensureCol());
  }

  /** A stateful step: 409 without/with another session; a failing op drops col + state → 400. */
  withSyncState<T>(skey: string, fn: (col: Collection, state: ServerSyncState) => T): T {
    if (!this.state) throw new HttpStatusError(409, 'no active sync');
    if (this.state.skey !== skey) throw new HttpStatusError(409, 'active sync with different key');
    const col = this.ensureCol();
    if (this.state.side.col !== col) this.state.side = new SyncSide(col, () => this.clock.nowMs());
    try {
      return fn(col, this.state);
    } catch (e) {
      this.state = null;
      this.dropCol();
      if (e instanceof HttpStatusError) throw e;
      throw new HttpStatusError(400, `op failed in sync_state: ${(e as Error).message}`);
    }
  }

  close(): void {
    this.state = null;
    this.dropCol();
    this.media.close();
  }
}

// ---------------------------------------------------------------------------------------------
// requests and replies

interface Reply {
  status: number;
  /** success payload (sent zstd-compressed with anki-original-size for v11) */
  body: Buffer;
  /** legacy GET /msync/begin: raw JSON, no compression */
  raw?: boolean;
}

const ok = (body: Buffer): Reply => ({ status: 200, body });
const okJson = (v: unknown): Reply => ok(encodeWireJson(v));

interface SyncRequest {
  service: 'sync' | 'msync';
  method: string;
  version: number;
  hostKey: string;
  sessionKey: string;
  clientVersion: string;
  data: Buffer;
  /** the uncompressed body exceeded the limit (Anki truncates at that size) */
  truncated: boolean;
}

function json(req: SyncRequest): JsonValue {
  try {
    return parseWireJson(req.data);
  } catch {
    throw new HttpStatusError(400, 'invalid json');
  }
}

function readOr400<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ProtocolError || e instanceof TypeError) throw new HttpStatusError(400, `invalid json: ${e.message}`);
    throw e;
  }
}

function requireSkey(req: SyncRequest): string {
  if (!req.sessionKey) throw new HttpStatusError(400, 'missing skey');
  return req.sessionKey;
}

class Server {
  readonly users = new Map<string, ServerUser>(); // hkey → user
  private queue: Promise<unknown> = Promise.resolve();
  private counts = new Map<string, number>();
  readonly maxPayload: number;
  readonly maxUncompressed: number;

  constructor(
    private readonly opts: SyncServerOptions,
    readonly clock: Clock,
    readonly log: (line: string) => void,
  ) {
    this.maxPayload = (opts.maxPayloadMegs ?? DEFAULT_MAX_PAYLOAD_BYTES / 2 ** 20) * 2 ** 20;
    this.maxUncompressed = this.maxPayload * 3;
    if (!opts.users.length) throw new Error('No users defined; give at least one user (like SYNC_USER1=user:pass).');
    for (const u of opts.users) {
      let cfg: SyncServerUser;
      let hkeySource: string;
      if (typeof u === 'string') {
        const i = u.indexOf(':');
        if (i < 0) throw new Error(`a user should be given as 'username:password' (got "${u}")`);
        cfg = { username: u.slice(0, i), password: u.slice(i + 1), hashed: !!opts.passwordsHashed };
        hkeySource = u;
      } else {
        cfg = u;
        hkeySource = `${u.username}:${u.password}`;
      }
      if (!cfg.username || /[/\\]|^\.\.?$/.test(cfg.username)) throw new Error(`invalid sync username "${cfg.username}"`);
      const hkey = deriveHostKey(hkeySource);
      this.users.set(hkey, new ServerUser(cfg, hkey, join(opts.dataDir, cfg.username), clock, log));
    }
  }

  /** Everything runs one request at a time (Anki: one mutex around all state). */
  serialized<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  count(method: string): number {
    const n = (this.counts.get(method) ?? 0) + 1;
    this.counts.set(method, n);
    return n;
  }

  userFor(req: SyncRequest): ServerUser {
    const u = this.users.get(req.hostKey);
    if (!u) throw new HttpStatusError(403, 'invalid hkey');
    return u;
  }

  nowMs(): number {
    return this.clock.nowMs();
  }

  // -- collection methods ------------------------------------------------------------------------

  handleSync(method: SyncMethod, req: SyncRequest): Reply {
    if (method === 'hostKey') return this.hostKey(req);
    const user = this.userFor(req);
    switch (method) {
      case 'meta':
        return this.meta(user, req);
      case 'start': {
        const skey = requireSkey(req);
        const r = readOr400(() => readStartRequest(json(req)));
        user.startNewSync(skey);
        return okJson(
          user.withSyncState(skey, (col, state) => {
            const side = state.side;
            state.serverUsn = side.store.stamps().usn;
            state.clientUsn = r.minUsn;
            state.clientIsNewer = r.lnewer;
            side.store.begin();
            // as Anki: buried cards come back first if the day rolled over (no usn change)
            try {
              unburyIfDayRolledOver(col);
            } catch {
              /* must not stop the sync */
            }
            const graves = pendingGraves(side, state.clientUsn);
            if (r.graves) applyGraves(side, r.graves, state.serverUsn); // old clients / AnkiDroid
            return gravesToWire(graves);
          }),
        );
      }
      case 'applyGraves': {
        const skey = requireSkey(req);
        const body = json(req);
        const graves = readOr400(() => readGraves((body as Record<string, JsonValue>)?.chunk, 'chunk'));
        user.withSyncState(skey, (_col, state) => applyGraves(state.side, graves, state.serverUsn));
        return okJson(null);
      }
      case 'applyChanges': {
        const skey = requireSkey(req);
        const body = json(req);
        const changes = readOr400(() => readChanges((body as Record<string, JsonValue>)?.changes));
        return okJson(
          user.withSyncState(skey, (_col, state) => {
            const mine = localUnchunkedChanges(state.side, state.clientUsn, null, !state.clientIsNewer);
            applyChanges(state.side, changes, state.serverUsn);
            return changesToWire(mine);
          }),
        );
      }
      case 'chunk': {
        const skey = requireSkey(req);
        readOr400(() => readEmptyInput(json(req)));
        return okJson(
          user.withSyncState(skey, (_col, state) => {
            state.chunkIds ??= chunkableIds(state.side, state.clientUsn);
            return chunkToWire(getChunk(state.side, state.chunkIds, null));
          }),
        );
      }
      case 'applyChunk': {
        const skey = requireSkey(req);
        const body = json(req);
        const chunk = readOr400(() => readChunk((body as Record<string, JsonValue>)?.chunk));
        user.withSyncState(skey, (_col, state) => applyChunk(state.side, chunk, state.clientUsn));
        return okJson(null);
      }
      case 'sanityCheck2': {
        const skey = requireSkey(req);
        const body = json(req);
        const client = readOr400(() => readSanityCounts((body as Record<string, JsonValue>)?.client));
        const resp = user.withSyncState(skey, (_col, state) => sanityCheck(state.side, client));
        if (resp.status === 'bad') {
          this.log(`${user.cfg.username}: sanity check failed`);
          user.dropCol(); // don't wait for an abort to roll back
        }
        return okJson(sanityResponseToWire(resp));
      }
      case 'finish': {
        readOr400(() => readEmptyInput(json(req)));
        const skey = requireSkey(req);
        const now = user.withSyncState(skey, (_col, state) => {
          const st = state.side.store;
          const t = this.nowMs();
          st.setLastSync(t);
          st.incrementUsn();
          st.setModified(t);
          st.commit();
          return t;
        });
        user.state = null;
        return okJson(now);
      }
      case 'abort':
        readOr400(() => readEmptyInput(json(req)));
        user.abortSyncIfActive();
        return okJson(null);
      case 'upload':
        return ok(Buffer.from(this.upload(user, req), 'utf8'));
      case 'download': {
        readOr400(() => readEmptyInput(json(req)));
        user.abortSyncIfActive();
        const col = user.ensureCol();
        new SyncStore(col.db).bumpForDownload(this.nowMs());
        user.dropCol();
        return ok(readFileSync(user.colPath));
      }
    }
  }

  private hostKey(req: SyncRequest): Reply {
    const r = readOr400(() => readHostKeyRequest(json(req)));
    let found: ServerUser | undefined;
    for (const u of this.users.values()) if (u.cfg.username === r.u) found = u;
    // check a password even for unknown users, so timing does not tell which users exist
    const check = found ?? this.users.values().next().value!;
    const good = passwordMatches(check.cfg, r.p);
    if (!found || !good) throw new HttpStatusError(403, 'invalid user/pass in get_host_key');
    return okJson({ key: found.hkey });
  }

  private meta(user: ServerUser, req: SyncRequest): Reply {
    const r = readOr400(() => readMetaRequest(json(req)));
    const meta = user.withCol((col) => {
      if (r.v < SYNC_VERSION_MIN || r.v > SYNC_VERSION_MAX) throw new HttpStatusError(501, 'unsupported version');
      const st = new SyncStore(col.db);
      const s = st.stamps();
      let scm = s.scm;
      const bytes = statSync(user.colPath).size + (existsSync(`${user.colPath}-wal`) ? statSync(`${user.colPath}-wal`).size : 0);
      if (bytes > this.maxUncompressed) scm = this.nowMs(); // too large: force a one-way sync
      let msg = '';
      let cont = true;
      const schedVer = col.storage.config.get<number>('schedVer') ?? 1;
      const v2Timezone = col.storage.config.get('creationOffset') !== undefined && col.storage.config.get('creationOffset') !== null;
      if (schedVer >= 2 && r.v < 9) {
        msg = 'Your client does not support the v2 scheduler';
        cont = false;
      } else if (v2Timezone && r.v < 10) {
        msg = 'Your client does not support the new timezone handling.';
        cont = false;
      }
      return { mod: s.mod, scm, usn: s.usn, ts: Math.floor(this.nowMs() / 1000), msg, cont, hostNum: 0, empty: !st.haveAtLeastOneCard(), media_usn: 0 };
    });
    meta.media_usn = user.media.lastUsn();
    return okJson(syncMetaToWire(meta));
  }

  private upload(user: ServerUser, req: SyncRequest): string {
    user.abortSyncIfActive();
    user.ensureCol();
    if (req.truncated || req.data.length >= this.maxUncompressed) return 'collection exceeds size limit';
    const tmp = join(user.folder, `.upload-${randomBytes(4).toString('hex')}.tmp`);
    writeFileSync(tmp, req.data);
    try {
      const c = Collection.open(tmp, { clock: this.clock, backupDir: join(user.folder, '.upload-backups') });
      try {
        if (c.storage.integrityCheck() !== 'ok') throw new Error('integrity check failed');
      } finally {
        c.close();
      }
    } catch (e) {
      this.log(`${user.cfg.username}: uploaded file was corrupt/failed to open: ${(e as Error).message}`);
      for (const p of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(p, { force: true });
      return CORRUPT_MESSAGE;
    }
    user.dropCol();
    rmSync(`${user.colPath}-wal`, { force: true });
    rmSync(`${user.colPath}-shm`, { force: true });
    renameSync(tmp, user.colPath);
    for (const p of [`${tmp}-wal`, `${tmp}-shm`]) rmSync(p, { force: true });
    return 'OK';
  }

  // -- media methods -----------------------------------------------------------------------------

  handleMedia(method: MediaSyncMethod, req: SyncRequest): Reply {
    const user = this.userFor(req);
    const m = user.media;
    switch (method) {
      case 'begin': {
        const r = readOr400(() => readBeginRequest(json(req)));
        if (!r.v) throw new HttpStatusError(400, 'missing client version');
        return okJson(jsonResultOk({ usn: m.lastUsn(), sk: req.hostKey }));
      }
      case 'mediaChanges': {
        const r = readOr400(() => readMediaChangesRequest(json(req)));
        return okJson(jsonResultOk(m.changes(r.lastUsn).map((c) => [c.fname, c.usn, c.sha1])));
      }
      case 'uploadChanges': {
        const r = m.processUploadedChanges(req.data);
        return okJson(jsonResultOk([r.processed, r.currentUsn]));
      }
      case 'downloadFiles': {
        const r = readOr400(() => readDownloadFilesRequest(json(req)));
        return ok(Buffer.from(m.zipFilesForDownload(r.files)));
      }
      case 'mediaSanity': {
        const r = readOr400(() => readMediaSanityRequest(json(req)));
        return okJson(jsonResultOk(m.sanityCheck(r.local)));
      }
    }
  }

  close(): void {
    for (const u of this.users.values()) u.close();
  }
}

function sanityCheck(side: SyncSide, client: SanityCounts): SanityCheckResponse {
  let server: SanityCounts;
  try {
    server = sanityCheckInfo(side);
  } catch {
    return { status: 'bad', c: client, s: null };
  }
  // due counts are ignored, and graves can't be compared until every client is on schema 18
  const c = { ...client, counts: [0, 0, 0] as [number, number, number], graves: 0 };
  const s = { ...server, graves: 0 };
  return { status: sanityCountsEqual(c, s) ? 'ok' : 'bad', c, s };
}

// ---------------------------------------------------------------------------------------------
// HTTP

function sendStatus(res: http.ServerResponse, status: number): void {
  const body = String(status);
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts the server; resolves once it listens. */
export async function startSyncServer(opts: SyncServerOptions): Promise<SyncServer> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? (() => undefined);
  mkdirSync(opts.dataDir, { recursive: true });
  const server = new Server(opts, clock, log);

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts.length === 1 && parts[0] === 'health') return sendStatus(res, req.method === 'GET' ? 200 : 405);
    if (parts.length !== 2 || (parts[0] !== 'sync' && parts[0] !== 'msync')) return sendStatus(res, 404);
    const service = parts[0] as 'sync' | 'msync';
    const method = parts[1];
    const known = service === 'sync' ? (SYNC_METHODS as readonly string[]).includes(method) : (MEDIA_SYNC_METHODS as readonly string[]).includes(method);

    // legacy GET /msync/begin?k=<hkey>&v=<client version>: plain JSON reply
    if (req.method === 'GET' && service === 'msync' && method === 'begin') {
      const k = url.searchParams.get('k');
      const v = url.searchParams.get('v');
      if (k === null || v === null) return sendStatus(res, 400);
      const reply = await server
        .serialized(() =>
          server.handleMedia('begin', { service, method, version: 10, hostKey: k, sessionKey: '', clientVersion: v, data: encodeWireJson({ v }), truncated: false }),
        )
        .catch((e: unknown) => e);
      if (reply instanceof HttpStatusError) return sendStatus(res, reply.status);
      if (reply instanceof Error) return sendStatus(res, 500);
      res.writeHead(200, { 'content-length': (reply as Reply).body.length });
      res.end((reply as Reply).body);
      return;
    }
    if (req.method !== 'POST') return sendStatus(res, 405);
    if (!known) return sendStatus(res, 400);

    const body = await readBody(req, server.maxPayload);
    if (body === null) return sendStatus(res, 413);
    const headerValue = req.headers[SYNC_HEADER];
    // no header: Anki falls back to the legacy multipart parser, which a v11 body fails ("multipart")
    if (typeof headerValue !== 'string') return sendStatus(res, 400);
    const header = decodeSyncHeader(headerValue);
    if (!header) return sendStatus(res, 400); // bad sync header
    if (header.v < SYNC_VERSION_MIN || header.v > SYNC_VERSION_MAX) return sendStatus(res, 400); // unsupported sync version
    let data: Buffer;
    let truncated = false;
    try {
      data = zstdDecode(body, server.maxUncompressed);
    } catch (e) {
      if (!(e instanceof PayloadTooLarge)) return sendStatus(res, 400); // decoding zstd body
      data = Buffer.alloc(0);
      truncated = true;
    }
    if (truncated && !(service === 'sync' && method === 'upload')) return sendStatus(res, 400);
    const sreq: SyncRequest = { service, method, version: header.v, hostKey: header.k, sessionKey: header.s, clientVersion: header.c, data, truncated };

    let reply: Reply;
    let user: string | undefined;
    try {
      reply = await server.serialized(() => {
        user = server.users.get(sreq.hostKey)?.cfg.username;
        return service === 'sync' ? server.handleSync(method as SyncMethod, sreq) : server.handleMedia(method as MediaSyncMethod, sreq);
      });
    } catch (e) {
      if (e instanceof HttpStatusError) {
        log(`${service}/${method}${user ? ` (${user})` : ''}: ${e.status} ${e.message}`);
        return sendStatus(res, e.status);
      }
      log(`${service}/${method}: 500 ${(e as Error).stack ?? e}`);
      return sendStatus(res, 500);
    }
    log(`${service}/${method}${user ? ` (${user})` : ''}: 200`);

    const action = opts.hooks?.beforeReply?.({ service, method, user, count: server.count(`${service}/${method}`) });
    if (action === 'destroy') {
      req.socket.destroy();
      return;
    }
    // v11 replies are zstd with the uncompressed size; older header versions get the raw body
    const zstd = header.v >= 11;
    const payload = zstd ? zstdEncode(reply.body) : reply.body;
    const headers: http.OutgoingHttpHeaders = { 'content-length': payload.length };
    if (zstd) headers[ORIGINAL_SIZE_HEADER] = String(reply.body.length);
    res.writeHead(reply.status, headers);
    if (action === 'truncate') {
      res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => req.socket.destroy());
      return;
    }
    res.end(payload);
  };

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`internal error: ${(e as Error).stack ?? e}`);
      if (!res.headersSent) sendStatus(res, 500);
      else res.destroy();
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port ?? 8080, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  log(`listening on ${host}:${port}`);
  return {
    url: `http://${urlHost}:${port}/`,
    host,
    port,
    hostKeys: new Map([...server.users.values()].map((u) => [u.cfg.username, u.hkey])),
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.close(() => {
          void server.serialized(() => server.close()).then(() => resolve());
        });
        httpServer.closeAllConnections();
      }),
  };
}
