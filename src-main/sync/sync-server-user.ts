// Per-user server state: the user's collection (opened on demand), media, and the one active
// normal sync bound to its session key.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../collection/clock';
import { Collection } from '../collection/collection';
import { SyncStore } from '../storage/sync-store';
import { type ChunkableIds, SyncSide } from './engine';
import { HttpStatusError, ServerMediaManager } from './media-server';
import type { SyncServerUser } from './sync-server-config';

export interface ServerSyncState {
  skey: string;
  serverUsn: number;
  clientUsn: number;
  clientIsNewer: boolean;
  chunkIds: ChunkableIds | null;
  side: SyncSide;
}

export class ServerUser {
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
