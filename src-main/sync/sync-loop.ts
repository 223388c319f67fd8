// The automatic sync of an open profile: on open, on close, every N minutes and ~30 s after the
// last local change; never two runs at once; a status for the tray/UI. A refused login stops it
// (logged-out); network/server trouble backs off and retries; a required one-way sync waits for
// the person's choice (`chooseFullSync`), never chosen here.

import { DeckhandError } from '../collection/errors';
import { type OpenProfile, SYNC_OP } from '../host/open-profile';
import type { ProfileSettings } from '../profiles/profile-settings';
import { loginProfile, logout as forgetLogin, type ProfileSyncResult, storedLogin, summarizeSync, syncProfile, type SyncProfileOptions } from './sync-session';
import type { FullSyncRequired, SyncProgress } from './sync-service';
import { SyncError, type SyncErrorKind } from './wire';

export const DEFAULT_SYNC_INTERVAL_MINUTES = 10;
export const DEFAULT_DEBOUNCE_MS = 30_000;
export const DEFAULT_BACKOFF_INITIAL_MS = 30_000;
export const DEFAULT_BACKOFF_MAX_MS = 15 * 60_000;
export const DEFAULT_FINAL_SYNC_TIMEOUT_MS = 10_000;

export type SyncLoopState = 'idle' | 'syncing' | 'error' | 'full-sync-required' | 'logged-out';

interface StatusBase {
  /** Epoch ms of the last sync that completed (any outcome but an error). */
  lastSyncMs: number | null;
  /** The account the stored login belongs to. */
  username: string | null;
  /** Whether automatic syncs (open/close/interval/after changes) are on. */
  automatic: boolean;
  /** When the next automatic sync is planned (epoch ms), if one is. */
  nextSyncAtMs: number | null;
  /** The last completed sync. */
  lastResult: ProfileSyncResult | null;
}

export type SyncStatus = StatusBase &
  (
    | { state: 'idle'; message: string | null }
    | { state: 'syncing'; message: string | null; progress: SyncProgress | null }
    | { state: 'error'; message: string; kind: SyncErrorKind | 'other'; retryAtMs: number | null }
    | { state: 'full-sync-required'; message: string; details: FullSyncRequired }
    | { state: 'logged-out'; message: string | null }
  );

/** Timers the loop uses; tests pass a fake clock. */
export interface LoopClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: LoopClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface SyncLoopOptions {
  session: OpenProfile;
  /** Between automatic syncs (default: the profile's `sync.intervalMinutes`, else 10 min). */
  intervalMs?: number;
  /** After the last local change (default 30 s). */
  debounceMs?: number;
  /** First retry after a network/server failure; doubles up to `backoffMaxMs`. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  clock?: LoopClock;
  /** The sync itself (default `syncProfile`); tests replace it. */
  sync?: (session: OpenProfile, opts: SyncProfileOptions) => Promise<ProfileSyncResult>;
  /** Extra options for every run (e.g. ioTimeoutMs). */
  syncOptions?: Omit<SyncProfileOptions, 'username' | 'password' | 'fullSync' | 'signal' | 'onProgress'>;
  onStatus?: (status: SyncStatus) => void;
  /** Where unexpected failures are reported (default: console.error). */
  log?: (line: string) => void;
}

/** Errors worth retrying soon (with back-off): the network, the server, a busy collection. */
const TRANSIENT: ReadonlySet<string> = new Set<SyncErrorKind>(['network', 'timeout', 'server-error', 'conflict', 'busy']);

interface RunRequest {
  fullSync?: 'upload' | 'download';
  /** An automatic trigger: skipped in logged-out / full-sync-required. */
  automatic?: boolean;
  final?: boolean;
}

/** The profile's sync interval setting (`sync.intervalMinutes`, loose in profile.json), in minutes. */
export function intervalMinutesFromSettings(settings: Pick<ProfileSettings, 'sync'>): number {
  const minutes = (settings.sync as { intervalMinutes?: unknown }).intervalMinutes;
  return typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 1 ? minutes : DEFAULT_SYNC_INTERVAL_MINUTES;
}

/** The profile's sync interval setting, in ms. */
export function intervalFromSettings(session: OpenProfile): number {
  let minutes = DEFAULT_SYNC_INTERVAL_MINUTES;
  try {
    minutes = intervalMinutesFromSettings(session.settings());
  } catch {
    /* unreadable settings: the default */
  }
  return minutes * 60_000;
}

export class SyncLoop {
  private readonly session: OpenProfile;
  private readonly clock: LoopClock;
  private intervalMs: number;
  private readonly debounceMs: number;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private readonly syncFn: (session: OpenProfile, opts: SyncProfileOptions) => Promise<ProfileSyncResult>;
  private readonly syncOptions: SyncLoopOptions['syncOptions'];
  private readonly log: (line: string) => void;
  private readonly listeners = new Set<(s: SyncStatus) => void>();

  private current: SyncStatus;
  private automatic = false;
  private stopped = false;
  private failures = 0;
  private periodicTimer: { handle: unknown; at: number } | null = null;
  private debounceTimer: unknown = null;
  private unsubscribeChanges: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private followUp: { req: RunRequest; promise: Promise<SyncStatus> } | null = null;
  private abort: AbortController | null = null;

  constructor(opts: SyncLoopOptions) {
    this.session = opts.session;
    this.clock = opts.clock ?? realClock;
    this.intervalMs = opts.intervalMs ?? intervalFromSettings(opts.session);
    this.debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.backoffInitialMs = opts.backoffInitialMs ?? DEFAULT_BACKOFF_INITIAL_MS;
    this.backoffMaxMs = opts.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS;
    this.syncFn = opts.sync ?? syncProfile;
    this.syncOptions = opts.syncOptions;
    this.log = opts.log ?? ((l) => console.error(l));
    if (opts.onStatus) this.listeners.add(opts.onStatus);
    const login = storedLogin(this.session);
    const base: StatusBase = { lastSyncMs: null, username: login?.username ?? null, automatic: false, nextSyncAtMs: null, lastResult: null };
    this.current = login ? { ...base, state: 'idle', message: null } : { ...base, state: 'logged-out', message: 'not logged in' };
  }

  /** The current status (a copy). */
  get status(): SyncStatus {
    return { ...this.current };
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** Told on every status change (state, progress, next planned sync). Returns an unsubscribe. */
  onStatusChange(listener: (s: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Turns automatic syncing on: a sync now (on open), then every interval and shortly after
   * local changes. Does nothing in logged-out state until `login` succeeds.
   */
  start(): void {
    if (this.stopped || this.automatic) return;
    this.automatic = true;
    this.unsubscribeChanges = this.session.onChange((op) => this.changed(op));
    this.update({});
    if (this.current.state !== 'logged-out') void this.request({ automatic: true });
  }

  /** Changes the time between automatic syncs; a planned periodic sync is re-planned (a back-off retry is kept). */
  setIntervalMs(ms: number): void {
    if (!Number.isFinite(ms) || ms < 60_000) throw new DeckhandError('invalid-input', 'the sync interval is at least one minute');
    this.intervalMs = ms;
    if (this.periodicTimer && !this.running && this.current.state !== 'error') {
      this.clock.clearTimeout(this.periodicTimer.handle);
      this.periodicTimer = null;
      this.scheduleNext();
    }
  }

  /** Turns automatic syncing on (as `start`) or off (planned syncs dropped; a run in progress finishes). */
  setAutomatic(on: boolean): void {
    if (this.stopped) return;
    if (on) return this.start();
    if (!this.automatic) return;
    this.automatic = false;
    this.clearTimers();
    this.unsubscribeChanges?.();
    this.unsubscribeChanges = null;
    this.update({ nextSyncAtMs: null });
  }

  /** Syncs now (joining a run in progress: one more run follows it); resolves with the status after. */
  syncNow(): Promise<SyncStatus> {
    return this.request({});
  }

  /** The person's choice when a one-way sync is required. */
  chooseFullSync(direction: 'upload' | 'download'): Promise<SyncStatus> {
    if (direction !== 'upload' && direction !== 'download') return Promise.reject(new DeckhandError('invalid-input', 'choose upload or download'));
    return this.request({ fullSync: direction });
  }

  /**
   * Logs in (storing the host key) and syncs. A wrong password rejects with the SyncError and
   * leaves the status as it was. Automatic syncing starts if `automatic` (default: the profile's
   * autoSync setting).
   */
  async login(creds: { username: string; password: string; endpoint?: string }, automatic = this.session.settings().sync.autoSync): Promise<SyncStatus> {
    if (this.stopped) throw new DeckhandError('busy', 'the sync loop has stopped');
    await this.idle();
    const { username } = await loginProfile(this.session, { ...creds, ioTimeoutMs: this.syncOptions?.ioTimeoutMs });
    this.failures = 0;
    this.setStatus({ state: 'idle', message: `logged in as ${username}`, username });
    if (automatic && !this.automatic) {
      this.automatic = true;
      this.unsubscribeChanges = this.session.onChange((op) => this.changed(op));
    }
    return this.request({});
  }

  /** Forgets the login and stops automatic syncing (waits for a run in progress). */
  async logout(): Promise<SyncStatus> {
    this.clearTimers();
    await this.idle();
    this.clearTimers();
    forgetLogin(this.session);
    this.setStatus({ state: 'logged-out', message: 'logged out', username: null });
    return this.status;
  }

  /** Resolves when no run is in progress or queued. */
  async idle(): Promise<void> {
    while (this.running || this.followUp) {
      await (this.followUp?.promise ?? this.running)?.catch(() => undefined);
    }
  }

  /**
   * Stops the loop: no more automatic syncs; a run in progress is awaited and, when automatic
   * syncing was on (and a login is stored, and no full-sync choice is pending), a final sync
   * runs — all within `timeoutMs`, after which the run is cancelled (a normal sync rolls back).
   */
  async stop(opts: { finalSync?: boolean; timeoutMs?: number } = {}): Promise<void> {
    if (this.stopped) return;
    const timeoutMs = opts.timeoutMs ?? DEFAULT_FINAL_SYNC_TIMEOUT_MS;
    const wasAutomatic = this.automatic;
    this.stopped = true;
    this.clearTimers();
    this.unsubscribeChanges?.();
    this.unsubscribeChanges = null;
    const work = (async () => {
      await this.idle();
      const s = this.current.state;
      if ((opts.finalSync ?? true) && wasAutomatic && s !== 'logged-out' && s !== 'full-sync-required') await this.request({ final: true });
    })();
    let timer: unknown;
    const timedOut = await Promise.race([
      work.then(() => false),
      new Promise<boolean>((res) => {
        timer = this.clock.setTimeout(() => res(true), timeoutMs);
      }),
    ]);
    this.clock.clearTimeout(timer);
    if (timedOut) {
      this.abort?.abort();
      // a cancelled run settles quickly (rollback, abort request); don't wait forever for it
      await Promise.race([work, new Promise((res) => setTimeout(res, 2_000).unref?.())]);
    }
    this.automatic = false;
    this.update({});
  }

  // -------------------------------------------------------------------------------------------

  private changed(op: string): void {
    if (op === SYNC_OP || this.stopped || !this.automatic) return;
    const s = this.current.state;
    // waiting for a login or a full-sync choice: changes cannot be synced; in back-off the retry takes them
    if (s === 'logged-out' || s === 'full-sync-required' || s === 'error') return;
    if (this.debounceTimer !== null) this.clock.clearTimeout(this.debounceTimer);
    this.debounceTimer = this.clock.setTimeout(() => {
      this.debounceTimer = null;
      void this.request({ automatic: true });
    }, this.debounceMs);
  }

  private request(req: RunRequest): Promise<SyncStatus> {
    if (this.stopped && !req.final) return Promise.resolve(this.status);
    if (req.automatic) {
      const s = this.current.state;
      if (s === 'logged-out' || s === 'full-sync-required') return Promise.resolve(this.status);
    }
    if (!this.running) {
      // assigned before the run starts, so a status listener calling syncNow cannot start a second one
      this.running = Promise.resolve()
        .then(() => this.execute(req))
        .finally(() => {
        this.running = null;
      });
      return this.running.then(() => this.status);
    }
    // never overlapping: one follow-up run after the current one (a full-sync choice wins)
    if (!this.followUp) {
      const running = this.running;
      const f: { req: RunRequest; promise: Promise<SyncStatus> } = { req, promise: Promise.resolve(this.status) };
      const next = (): Promise<SyncStatus> => {
        this.followUp = null;
        return this.request(f.req);
      };
      f.promise = running.then(next, next);
      this.followUp = f;
    } else if (req.fullSync || (!req.automatic && this.followUp.req.automatic)) {
      this.followUp.req = { ...req, fullSync: req.fullSync ?? this.followUp.req.fullSync };
    }
    return this.followUp.promise;
  }

  private async execute(req: RunRequest): Promise<void> {
    this.clearTimers();
    const abort = new AbortController();
    this.abort = abort;
    this.setStatus({ state: 'syncing', message: req.fullSync ? `one-way sync: ${req.fullSync}` : null, progress: null });
    try {
      const r = await this.syncFn(this.session, {
        ...this.syncOptions,
        fullSync: req.fullSync,
        signal: abort.signal,
        onProgress: (p) => {
          if (this.current.state === 'syncing') this.setStatus({ state: 'syncing', message: this.current.message, progress: p });
        },
      });
      this.failures = 0;
      const base = { lastSyncMs: this.clock.now(), lastResult: r, username: r.username ?? this.current.username };
      if (r.outcome === 'full-sync-required' && r.fullSync) this.setStatus({ ...base, state: 'full-sync-required', message: r.fullSync.message, details: r.fullSync });
      else this.setStatus({ ...base, state: 'idle', message: summarizeSync(r) });
    } catch (e) {
      this.failed(e);
    } finally {
      if (this.abort === abort) this.abort = null;
      this.scheduleNext();
    }
  }

  private failed(e: unknown): void {
    const kind: SyncErrorKind | 'other' = e instanceof SyncError ? e.kind : e instanceof DeckhandError && e.code === 'busy' ? 'busy' : 'other';
    const message = e instanceof Error ? e.message : String(e);
    if (kind === 'auth') {
      // a wrong password or expired key: nothing will work until the person logs in again
      this.setStatus({ state: 'logged-out', message, username: storedLogin(this.session)?.username ?? null });
      return;
    }
    if (kind === 'cancelled' && this.stopped) {
      this.setStatus({ state: 'idle', message: 'the final sync was cancelled (it took too long); nothing was lost' });
      return;
    }
    if (kind === 'other' && !(e instanceof DeckhandError)) this.log(`deckhand sync: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    let retryAtMs: number | null = null;
    if (TRANSIENT.has(kind) || kind === 'other') {
      this.failures++;
      retryAtMs = this.clock.now() + Math.min(this.backoffInitialMs * 2 ** (this.failures - 1), this.backoffMaxMs);
    }
    this.setStatus({ state: 'error', message, kind, retryAtMs });
  }

  private scheduleNext(): void {
    if (this.stopped || !this.automatic) return this.update({ nextSyncAtMs: null });
    const s = this.current;
    if (s.state === 'logged-out' || s.state === 'full-sync-required') return this.update({ nextSyncAtMs: null });
    const at = s.state === 'error' && s.retryAtMs !== null ? s.retryAtMs : this.clock.now() + this.intervalMs;
    const handle = this.clock.setTimeout(
      () => {
        this.periodicTimer = null;
        void this.request({ automatic: true });
      },
      Math.max(0, at - this.clock.now()),
    );
    this.periodicTimer = { at, handle };
    this.update({ nextSyncAtMs: at });
  }

  private clearTimers(): void {
    if (this.periodicTimer) this.clock.clearTimeout(this.periodicTimer.handle);
    this.periodicTimer = null;
    if (this.debounceTimer !== null) this.clock.clearTimeout(this.debounceTimer);
    this.debounceTimer = null;
  }

  private setStatus(next: Partial<StatusBase> & ({ state: SyncLoopState } & Record<string, unknown>)): void {
    const base: StatusBase = {
      lastSyncMs: next.lastSyncMs !== undefined ? next.lastSyncMs : this.current.lastSyncMs,
      lastResult: next.lastResult !== undefined ? next.lastResult : this.current.lastResult,
      username: next.username !== undefined ? next.username : this.current.username,
      automatic: this.automatic && !this.stopped,
      nextSyncAtMs: null,
    };
    this.current = { ...next, ...base } as SyncStatus;
    this.emit();
  }

  private update(patch: Partial<StatusBase>): void {
    this.current = { ...this.current, automatic: this.automatic && !this.stopped, ...patch } as SyncStatus;
    this.emit();
  }

  private emit(): void {
    const s = this.status;
    for (const l of [...this.listeners]) {
      try {
        l(s);
      } catch {
        /* a broken listener must not stop the loop */
      }
    }
  }
}
