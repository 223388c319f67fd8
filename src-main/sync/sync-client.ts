// The sync client: login, the typed protocol calls, the decision after `meta`, the normal
// (incremental) sync in one local transaction, and full upload/download of the whole file.
// Follows rslib/src/sync/collection/{normal,start,changes,chunks,sanity,finish,upload,download}.rs.
//
// This module has the typed calls (SyncClient) and login; the decision after `meta` is in
// sync-status, the normal sync in normal-sync, upload/download in full-sync (re-exported here).

import type { JsonValue } from '../storage/legacy/json';
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
  type UnchunkedChanges,
} from './protocol';
import { stringifyWire, SYNC_VERSION, SyncError } from './wire';

export { backupCollection, fullDownload, fullUpload, verifyDownloaded } from './full-sync';
export { normalSync, type NormalSyncOptions, type NormalSyncProgress } from './normal-sync';
export {
  type ClientSyncState,
  compareToRemote,
  type LocalSyncMeta,
  localSyncMeta,
  offlineSyncStatus,
  onlineSyncStatus,
  type SyncRequired,
} from './sync-status';

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
