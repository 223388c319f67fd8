// The sync client: login, the typed protocol calls, the decision after `meta`, the normal
// (incremental) sync in one local transaction, and full upload/download of the whole file.
// Follows rslib/src/sync/collection/{normal,start,changes,chunks,sanity,finish,upload,download}.rs.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Collection } from '../collection/collection';
import type { JsonValue } from '../storage/legacy/json';
import { SyncStore } from '../storage/sync-store';
import {
  applyChanges,
  applyChunk,
  applyGraves,
  chunkableIds,
  getChunk,
  localUnchunkedChanges,
  NotetypeSchemaChangedError,
  pendingGraves,
  PendingRowsError,
  sanityCheckInfo,
  SyncDataError,
  SyncSide,
} from './engine';
import { SyncHttpClient, type SyncHttpClientOptions } from './http-client';
import {
  type Chunk,
  changesToWire,
  chunkToWire,
  EMPTY_INPUT,
  type Graves,
  gravesToWire,
  type MediaChange,
  ProtocolError,
  readBeginResponse,
  readChanges,
  readChunk,
  readGraves,
  readHostKeyResponse,
  readJsonResult,
  readMediaChanges,
  readMediaSanityResponse,
  readSanityResponse,
  readSyncMeta,
  readUploadChangesResponse,
  sanityCountsToWire,
  type SanityCheckResponse,
  type SanityCounts,
  startRequestToWire,
  type StartRequest,
  type SyncMeta,
  takeGravesChunk,
  type UnchunkedChanges,
} from './protocol';
import { CHUNK_SIZE, MAX_CLOCK_SKEW_SECS, stringifyWire, SYNC_VERSION, SyncError } from './wire';

// ---------------------------------------------------------------------------------------------
// typed protocol calls

function shape<T>(method: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ProtocolError) {
      const serverMessage = (e as ProtocolError & { serverMessage?: string }).serverMessage;
      if (serverMessage !== undefined) throw new SyncError('server-message', `The sync server reported: ${serverMessage}`);
      throw new SyncError('bad-response', `The sync server's reply to ${method} is not what the protocol expects (${e.message}).`, { cause: e });
    }
    throw e;
  }
}

/** Every call of the collection and media sync protocol, typed. One instance per sync run. */
export class SyncClient {
  constructor(readonly http: SyncHttpClient) {}

  static create(opts: SyncHttpClientOptions = {}): SyncClient {
    return new SyncClient(new SyncHttpClient(opts));
  }

  get endpoint(): string {
    return this.http.endpoint;
  }

  /** Closes the connection kept open between calls. */
  close(): void {
    this.http.close();
  }

  private async sync(method: string, body: unknown): Promise<JsonValue> {
    return this.http.json('sync', method, body);
  }

  async hostKey(username: string, password: string): Promise<string> {
    const v = await this.sync('hostKey', { u: username, p: password });
    return shape('hostKey', () => readHostKeyResponse(v).key);
  }

  /**
   * `meta`. On 308 the client adopts the Location as its new base, repeats `meta` once, and
   * reports the new endpoint (which every later call, media included, then uses).
   */
  async meta(): Promise<{ meta: SyncMeta; newEndpoint?: string }> {
    const body = { v: SYNC_VERSION, cv: this.http.clientVersion.long };
    let newEndpoint: string | undefined;
    let v: JsonValue;
    try {
      v = await this.sync('meta', body);
    } catch (e) {
      if (!(e instanceof SyncError) || e.kind !== 'redirect' || !e.location) throw e;
      this.http.endpoint = e.location;
      newEndpoint = this.http.endpoint;
      v = await this.sync('meta', body);
    }
    return { meta: shape('meta', () => readSyncMeta(v)), newEndpoint };
  }

  async start(req: StartRequest): Promise<Graves> {
    const v = await this.sync('start', startRequestToWire(req));
    return shape('start', () => readGraves(v));
  }

  async applyGraves(chunk: Graves): Promise<void> {
    await this.sync('applyGraves', { chunk: gravesToWire(chunk) });
  }

  async applyChanges(changes: UnchunkedChanges): Promise<UnchunkedChanges> {
    const v = await this.sync('applyChanges', { changes: changesToWire(changes) });
    return shape('applyChanges', () => readChanges(v));
  }

  async chunk(): Promise<Chunk> {
    const v = await this.sync('chunk', EMPTY_INPUT);
    return shape('chunk', () => readChunk(v));
  }

  async applyChunk(chunk: Chunk): Promise<void> {
    await this.sync('applyChunk', { chunk: chunkToWire(chunk) });
  }

  async sanityCheck(client: SanityCounts): Promise<SanityCheckResponse> {
    const v = await this.sync('sanityCheck2', { client: sanityCountsToWire(client) });
    return shape('sanityCheck2', () => readSanityResponse(v));
  }

  /** Returns the server's new collection mtime (ms). */
  async finish(): Promise<number> {
    const v = await this.sync('finish', EMPTY_INPUT);
    return shape('finish', () => {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new ProtocolError('expected a number');
      return v;
    });
  }

  /** Tells the server to drop the active sync. Sent even after a cancel (the signal is ignored). */
  async abort(): Promise<void> {
    const signal = this.http.signal;
    this.http.signal = undefined;
    try {
      await this.sync('abort', EMPTY_INPUT);
    } finally {
      this.http.signal = signal;
    }
  }

  /** Sends the raw collection file; the reply is the bare text "OK" or a message. */
  async upload(data: Uint8Array): Promise<string> {
    return (await this.http.call('sync', 'upload', data)).toString('utf8');
  }

  /** The server's collection file. */
  async download(): Promise<Buffer> {
    return this.http.call('sync', 'download', Buffer.from(stringifyWire(EMPTY_INPUT)));
  }

  // -- media ----------------------------------------------------------------------------------

  private async msync(method: string, body: unknown): Promise<JsonValue> {
    const v = await this.http.json('msync', method, body);
    return shape(method, () => readJsonResult(v));
  }

  async mediaBegin(): Promise<{ usn: number; sk: string }> {
    const v = await this.msync('begin', { v: this.http.clientVersion.long });
    return shape('begin', () => readBeginResponse(v));
  }

  async mediaChanges(lastUsn: number): Promise<MediaChange[]> {
    const v = await this.msync('mediaChanges', { lastUsn });
    return shape('mediaChanges', () => readMediaChanges(v));
  }

  /** The raw zip (not wrapped in a JSON result). */
  async downloadFiles(files: string[]): Promise<Buffer> {
    return this.http.call('msync', 'downloadFiles', Buffer.from(stringifyWire({ files })));
  }

  async uploadChanges(zip: Uint8Array): Promise<{ processed: number; currentUsn: number }> {
    const data = await this.http.call('msync', 'uploadChanges', zip);
    let v: JsonValue;
    try {
      v = JSON.parse(data.toString('utf8')) as JsonValue;
    } catch (e) {
      throw new SyncError('bad-response', "The sync server's reply to uploadChanges is not valid JSON.", { cause: e });
    }
    const inner = shape('uploadChanges', () => readJsonResult(v));
    return shape('uploadChanges', () => readUploadChangesResponse(inner));
  }

  async mediaSanity(local: number): Promise<'OK' | 'mediaSanity'> {
    const v = await this.msync('mediaSanity', { local });
    return shape('mediaSanity', () => readMediaSanityResponse(v));
  }
}

/**
 * Logs in and returns the host key (`hkey`), the only credential to keep. A wrong username or
 * password gives a SyncError of kind 'auth'.
 */
export async function login(endpoint: string | undefined, username: string, password: string, opts: Omit<SyncHttpClientOptions, 'endpoint' | 'hostKey'> = {}): Promise<string> {
  const client = SyncClient.create({ ...opts, endpoint, hostKey: '' });
  try {
    return await client.hostKey(username, password);
  } finally {
    client.close();
  }
}

// ---------------------------------------------------------------------------------------------
// what to do after meta

export interface LocalSyncMeta {
  mod: number;
  scm: number;
  usn: number;
  ls: number;
  empty: boolean;
}

export function localSyncMeta(col: Collection): LocalSyncMeta {
  const st = new SyncStore(col.db);
  const s = st.stamps();
  return { mod: s.mod, scm: s.scm, usn: s.usn, ls: s.ls, empty: !st.haveAtLeastOneCard() };
}

export type SyncRequired = { kind: 'no-changes' } | { kind: 'normal' } | { kind: 'full'; uploadOk: boolean; downloadOk: boolean };

export interface ClientSyncState {
  required: SyncRequired;
  localIsNewer: boolean;
  /** local col.usn: the client's minUsn */
  usnAtLastSync: number;
  /** the server's usn: what pending local rows are stamped with */
  serverUsn: number;
  serverMessage: string;
  hostNum: number;
  newEndpoint?: string;
  serverMediaUsn: number;
  remote: SyncMeta;
}

/** Anki's SyncMeta::compared_to_remote: equal mod → nothing; else differing scm → full; else normal. */
export function compareToRemote(local: LocalSyncMeta, remote: SyncMeta, newEndpoint?: string): ClientSyncState {
  let required: SyncRequired;
  if (remote.mod === local.mod) required = { kind: 'no-changes' };
  else if (remote.scm !== local.scm) required = { kind: 'full', uploadOk: !local.empty || remote.empty, downloadOk: !remote.empty || local.empty };
  else required = { kind: 'normal' };
  return {
    required,
    localIsNewer: local.mod > remote.mod,
    usnAtLastSync: local.usn,
    serverUsn: remote.usn,
    serverMessage: remote.msg,
    hostNum: remote.hostNum,
    newEndpoint,
    serverMediaUsn: remote.media_usn,
    remote,
  };
}

/** Without the network: what the next sync will need as far as this side knows. */
export function offlineSyncStatus(col: Collection): 'no-changes' | 'normal' | 'full' {
  const s = new SyncStore(col.db).stamps();
  if (s.ls === 0) return 'no-changes'; // never synced: only the server can tell
  if (s.scm > s.ls) return 'full';
  if (s.mod > s.ls) return 'normal';
  return 'no-changes';
}

/** `meta`, then the checks the official client makes: server says stop? clock off by > 5 min? */
export async function onlineSyncStatus(col: Collection, client: SyncClient): Promise<ClientSyncState> {
  const local = localSyncMeta(col);
  const { meta, newEndpoint } = await client.meta();
  if (!meta.cont) throw new SyncError('server-message', meta.msg ? `The sync server refused to sync: ${meta.msg}` : 'The sync server refused to sync.');
  const skew = meta.ts - Math.floor(col.clock.nowMs() / 1000);
  if (Math.abs(skew) > MAX_CLOCK_SKEW_SECS)
    throw new SyncError(
      'clock-incorrect',
      `This computer's clock is ${Math.abs(skew)} seconds ${skew > 0 ? 'behind' : 'ahead of'} the sync server's. Set the correct date, time and time zone, then sync again.`,
    );
  return compareToRemote(local, meta, newEndpoint);
}

// ---------------------------------------------------------------------------------------------
// normal sync

export interface NormalSyncProgress {
  stage: 'syncing' | 'finalizing';
  localUpdate: number;
  localRemove: number;
  remoteUpdate: number;
  remoteRemove: number;
}

export interface NormalSyncOptions {
  onProgress?: (p: NormalSyncProgress) => void;
  /** The collection's real `transact` (when the caller has shadowed it to keep others out). */
  transact?: Collection['transact'];
}

/**
 * Exchanges changes with the server in one local transaction; on any failure rolls it back
 * (leaving the collection exactly as it was), tells the server to abort, and — if the sanity
 * check failed — marks the schema changed so the next sync is a full one.
 */
export async function normalSync(col: Collection, client: SyncClient, state: ClientSyncState, opts: NormalSyncOptions = {}): Promise<void> {
  const side = new SyncSide(col);
  const { store } = side;
  const progress: NormalSyncProgress = { stage: 'syncing', localUpdate: 0, localRemove: 0, remoteUpdate: 0, remoteRemove: 0 };
  const report = () => opts.onProgress?.({ ...progress });
  const serverUsn = state.serverUsn;
  if (store.inTransaction) throw new SyncError('busy', 'The collection is in the middle of another operation; sync again when it has finished.');
  store.begin();
  try {
    report();
    // 1. deletions
    const remoteGraves = await client.start({ minUsn: state.usnAtLastSync, lnewer: state.localIsNewer, graves: null });
    const local = pendingGraves(side, -1);
    store.restampPendingGraves(serverUsn);
    for (let chunk = takeGravesChunk(local, CHUNK_SIZE); chunk; chunk = takeGravesChunk(local, CHUNK_SIZE)) {
      progress.localRemove += chunk.cards.length + chunk.notes.length + chunk.decks.length;
      report();
      await client.applyGraves(chunk);
    }
    progress.remoteRemove = remoteGraves.cards.length + remoteGraves.notes.length + remoteGraves.decks.length;
    applyGraves(side, remoteGraves, serverUsn);
    report();

    // 2. notetypes, decks, deck configs, tags, config
    const localChanges = localUnchunkedChanges(side, -1, serverUsn, state.localIsNewer);
    progress.localUpdate += localChanges.models.length + localChanges.decks.length + localChanges.dconf.length + localChanges.tags.length;
    report();
    const remoteChanges = await client.applyChanges(localChanges);
    progress.remoteUpdate += remoteChanges.models.length + remoteChanges.decks.length + remoteChanges.dconf.length + remoteChanges.tags.length;
    applyChanges(side, remoteChanges, serverUsn);
    report();

    // 3. server → client rows (before ours, so a local edit that loses is never sent)
    for (;;) {
      const chunk = await client.chunk();
      progress.remoteUpdate += chunk.revlog.length + chunk.cards.length + chunk.notes.length;
      applyChunk(side, chunk, -1);
      report();
      if (chunk.done) break;
    }

    // 4. client → server rows
    const ids = chunkableIds(side, -1);
    for (;;) {
      const chunk = getChunk(side, ids, serverUsn);
      progress.localUpdate += chunk.revlog.length + chunk.cards.length + chunk.notes.length;
      report();
      await client.applyChunk(chunk);
      if (chunk.done) break;
    }

    // 5. compare counts, 6. finish
    progress.stage = 'finalizing';
    report();
    const counts = sanityCheckInfo(side);
    const sanity = await client.sanityCheck(counts);
    if (sanity.status !== 'ok') throw new SanityCheckFailed(sanity);
    const newMtime = await client.finish();
    store.setLastSync(newMtime);
    store.setUsn(serverUsn + 1);
    store.setModified(newMtime);
    // clear undo (the journal no longer matches usns) and tell listeners what changed
    const transact = opts.transact ?? col.transact.bind(col);
    transact(
      'Sync',
      (tx) => {
        Object.assign(tx.changes, side.changes);
        tx.changes.studyQueues = true;
      },
      { keepStamps: true, undoable: false },
    );
    store.commit();
  } catch (e) {
    store.rollback();
    side.forgetCaches();
    await client.abort().catch(() => undefined);
    throw translateNormalSyncError(e, col);
  }
}

class SanityCheckFailed extends Error {
  constructor(readonly reply: SanityCheckResponse) {
    super('sanity check failed');
  }
}

function describeCounts(c: SanityCounts | null): string {
  return c ? `${c.cards} cards, ${c.notes} notes, ${c.revlog} reviews, ${c.models} notetypes, ${c.decks} decks, ${c.deckConfig} deck presets` : 'unknown';
}

function translateNormalSyncError(e: unknown, col: Collection): Error {
  if (e instanceof SanityCheckFailed) {
    // as Anki: force a one-way sync next time
    new SyncStore(col.db).setSchemaModified(col.clock.nowMs());
    return new SyncError(
      'sanity-check-failed',
      `After syncing, this collection and the server's did not match (here: ${describeCounts(e.reply.c)}; server: ${describeCounts(e.reply.s)}). Nothing was changed; the next sync must be a one-way full sync.`,
    );
  }
  if (e instanceof NotetypeSchemaChangedError) {
    // Anki reports "resync required"; we also mark the schema changed so the next sync offers the
    // full sync (upload or download) instead of failing the same way again
    new SyncStore(col.db).setSchemaModified(col.clock.nowMs());
    return new SyncError('resync-required', `The note type "${e.notetypeName}" has different fields or card types here and on the server. Nothing was changed; a one-way full sync is required.`);
  }
  if (e instanceof SyncError) return e;
  if (e instanceof PendingRowsError || e instanceof SyncDataError)
    return new SyncError('database-check-required', `The sync could not be completed (${e.message}). Nothing was changed; run Check Database and sync again.`, { cause: e });
  if (e instanceof ProtocolError) return new SyncError('bad-response', `The sync server sent data that could not be read (${e.message}). Nothing was changed.`, { cause: e });
  return e instanceof Error ? e : new Error(String(e));
}

// ---------------------------------------------------------------------------------------------
// full sync

const UPLOAD_LIMIT_ANKIWEB = 300 * 1024 * 1024;

/** A consistent copy of the collection in `dir` (created if missing); returns its path. */
export function backupCollection(col: Collection, dir: string, label: string): string {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date(col.clock.nowMs()).toISOString().replace(/[:.]/g, '-');
  const stem = basename(col.path).replace(/\.anki2$/i, '');
  let path = join(dir, `${stem}-${label}-${stamp}.anki2`);
  for (let i = 1; existsSync(path); i++) path = join(dir, `${stem}-${label}-${stamp}-${i}.anki2`);
  new SyncStore(col.db).vacuumInto(path);
  return path;
}

function tempPathBeside(path: string, label: string): string {
  return join(dirname(path), `.${basename(path)}.${label}-${randomBytes(4).toString('hex')}.tmp`);
}

function removeDbFiles(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) rmSync(p, { force: true });
}

/**
 * Replaces the server's collection with this one. The file sent is prepared on a copy (no
 * graves, nothing pending, usn + 1, new scm, ls = scm, optimised); only when the server answers
 * "OK" is the same preparation applied here, so a failed upload changes nothing locally.
 */
export async function fullUpload(col: Collection, client: SyncClient, opts: { transact?: Collection['transact'] } = {}): Promise<void> {
  const now = col.clock.nowMs();
  const tmp = tempPathBeside(col.path, 'upload');
  let data: Buffer;
  try {
    new SyncStore(col.db).vacuumInto(tmp);
    const copy = Collection.open(tmp, { clock: col.clock });
    try {
      const st = new SyncStore(copy.db);
      st.prepareForUpload(now);
      st.optimize();
    } finally {
      copy.close();
    }
    data = readFileSync(tmp);
  } finally {
    removeDbFiles(tmp);
  }
  if (client.endpoint.includes('ankiweb') && data.length >= UPLOAD_LIMIT_ANKIWEB)
    throw new SyncError('upload-too-large', `The collection is ${(data.length / 2 ** 20).toFixed(2)} MB; AnkiWeb accepts at most ${UPLOAD_LIMIT_ANKIWEB / 2 ** 20} MB. Nothing was changed.`);
  const reply = await client.upload(data);
  if (reply !== 'OK') throw new SyncError('server-message', `The sync server did not accept the upload: ${reply}`);
  const transact = opts.transact ?? col.transact.bind(col);
  transact(
    'Sync',
    (tx) => {
      new SyncStore(col.db).prepareForUpload(now);
      tx.changes.config = true;
    },
    { keepStamps: true, undoable: false },
  );
}

/**
 * Replaces this collection with the server's. The download is written beside the collection,
 * integrity-checked and marked synced (ls = mod) before it atomically replaces the file; the old
 * `col` is closed and the reopened collection returned. A failed download changes nothing.
 */
export async function fullDownload(col: Collection, client: SyncClient, opts: { staged?: string } = {}): Promise<Collection> {
  let tmp = opts.staged;
  if (!tmp) {
    const data = await client.download();
    tmp = tempPathBeside(col.path, 'download');
    writeFileSync(tmp, data);
    try {
      verifyDownloaded(tmp, col);
    } catch (e) {
      removeDbFiles(tmp);
      throw e;
    }
  }
  installDownloaded(col, tmp);
  return Collection.open(col.path, { clock: col.clock });
}

/** Opens a downloaded file, checks it, marks it synced as of its own mod; returns note/card counts. */
export function verifyDownloaded(path: string, like: Collection): { notes: number; cards: number; revlog: number; mod: number; scm: number; usn: number } {
  let c: Collection;
  try {
    c = Collection.open(path, { clock: like.clock, backupDir: join(dirname(path), '.schema-backups') });
  } catch (e) {
    throw new SyncError('bad-response', `The collection downloaded from the server cannot be opened (${(e as Error).message}). Nothing was changed.`, { cause: e });
  }
  try {
    const check = c.storage.integrityCheck();
    if (check !== 'ok') throw new SyncError('bad-response', `The collection downloaded from the server is damaged (${check.slice(0, 200)}). Nothing was changed.`);
    const st = new SyncStore(c.db);
    st.markSyncedAsOfMod();
    const s = st.stamps();
    return { notes: st.tableCount('notes'), cards: st.tableCount('cards'), revlog: st.tableCount('revlog'), mod: s.mod, scm: s.scm, usn: s.usn };
  } finally {
    c.close();
  }
}

function installDownloaded(col: Collection, tmp: string): void {
  const path = col.path;
  col.close();
  rmSync(`${path}-wal`, { force: true });
  rmSync(`${path}-shm`, { force: true });
  renameSync(tmp, path);
  rmSync(`${tmp}-wal`, { force: true });
  rmSync(`${tmp}-shm`, { force: true });
}
