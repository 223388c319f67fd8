// The sync server's request handling, one request at a time: a decoded request in, a reply (or
// an HttpStatusError) out, for every collection and media sync method.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../collection/clock';
import { Collection } from '../collection/collection';
import { unburyIfDayRolledOver } from '../scheduler/bury-service';
import type { JsonValue } from '../storage/legacy/json';
import { SyncStore } from '../storage/sync-store';
import {
  applyChanges,
  applyChunk,
  applyGraves,
  chunkableIds,
  getChunk,
  localUnchunkedChanges,
  pendingGraves,
  sanityCheckInfo,
  type SyncSide,
} from './engine';
import { HttpStatusError } from './media-server';
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
import { deriveHostKey, passwordMatches } from './sync-server-auth';
import type { SyncServerOptions, SyncServerUser } from './sync-server-config';
import { ServerUser } from './sync-server-user';
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  encodeWireJson,
  type MediaSyncMethod,
  parseWireJson,
  SYNC_VERSION_MAX,
  SYNC_VERSION_MIN,
  type SyncMethod,
} from './wire';

/** What an upload that cannot be opened gets back (HTTP 200, as Anki; old clients show it). */
export const CORRUPT_MESSAGE = 'Your upload was corrupt. Please use Check Database, or restore from backup.';

export interface Reply {
  status: number;
  /** success payload (sent zstd-compressed with anki-original-size for v11) */
  body: Buffer;
  /** legacy GET /msync/begin: raw JSON, no compression */
  raw?: boolean;
}

const ok = (body: Buffer): Reply => ({ status: 200, body });
const okJson = (v: unknown): Reply => ok(encodeWireJson(v));

export interface SyncRequest {
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

export class Server {
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
