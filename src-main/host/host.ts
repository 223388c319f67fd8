import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDefaultRegistry } from '../ankiconnect/actions';
import type { AnkiConnectServices, GuiHooks, SyncOutcome } from '../ankiconnect/actions/registry';
import { createDispatcher, type Dispatcher } from '../ankiconnect/dispatcher';
import { startAnkiConnectServer } from '../ankiconnect/server';
import { createBackup, schedulePeriodicBackups } from '../import-export/import-export-service';
import { ProfileManager } from '../profiles/profiles-service';
import { readSecrets } from '../profiles/secrets';
import { SyncLoop, type SyncLoopOptions, type SyncStatus } from '../sync/sync-loop';
import { storedLogin } from '../sync/sync-session';
import { openProfile, type OpenProfile } from './open-profile';

/** Written into the profile folder while a process serves it, so the CLI can go through it. */
export const RUNNING_FILE = 'deckhand-running.json';

/** Actions that never touch the collection (or join the sync themselves): not held up by a sync. */
const NO_COLLECTION_ACTIONS = new Set(['version', 'requestPermission', 'apiReflect', 'getProfiles', 'getActiveProfile', 'sync']);
/** How long an AnkiConnect request waits for a running sync before trying anyway. */
const SYNC_WAIT_MS = 60_000;

function waitAtMost(p: Promise<unknown>, ms: number): Promise<unknown> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise((res) => (t = setTimeout(res, ms)))]).finally(() => clearTimeout(t));
}

export interface RunningInfo {
  pid: number;
  ankiConnectUrl: string | null;
  apiKey: string | null;
  uiUrl: string | null;
}

export interface HostOptions {
  dataDir?: string;
  profile?: string;
  /** AnkiConnect listener; `false` to run without one. Defaults come from the profile settings. */
  ankiConnect?: { host?: string; port?: number; apiKey?: string | null } | false;
  /**
   * The sync loop. It starts automatic syncing (on open, every interval, after changes, on stop)
   * when the profile has a stored login and `sync.autoSync` is on; `false` never starts it
   * (`host.sync.syncNow()` still works). Options are for tests (intervals, clock).
   */
  sync?: false | Omit<SyncLoopOptions, 'session'>;
  /** Time the final sync on stop may take (default 10 s). */
  finalSyncTimeoutMs?: number;
  /**
   * Automatic backups into the profile's backups/ folder, as Anki makes them: checked every
   * `intervalMs` (default 5 min; a backup is made when the collection changed and none is younger
   * than the collection's minimum interval) and once more on stop. `false` for none.
   */
  backups?: false | { intervalMs?: number };
}

/** What a running Deckhand's sync looks like from outside (IPC, tray, AnkiConnect). */
export interface HostSync {
  readonly status: SyncStatus;
  onStatusChange(listener: (s: SyncStatus) => void): () => void;
  syncNow(): Promise<SyncStatus>;
  chooseFullSync(direction: 'upload' | 'download'): Promise<SyncStatus>;
  login(creds: { username: string; password: string; endpoint?: string }): Promise<SyncStatus>;
  logout(): Promise<SyncStatus>;
  /** Settings changes that apply at once: minutes between automatic syncs, automatic syncing on/off. */
  setIntervalMs?(ms: number): void;
  setAutomatic?(on: boolean): void;
}

/**
 * One running Deckhand over one profile: the open collection, the AnkiConnect listener and
 * (added by the UI layer) the browser transport. `deckhand serve` and the desktop shell both use it.
 */
export class DeckhandHost {
  private closers: (() => Promise<void> | void)[] = [];
  private stopped = false;
  readonly dispatcher: Dispatcher;
  ankiConnectUrl: string | null = null;
  uiUrl: string | null = null;
  private apiKey: string | null = null;
  private readonly loop: SyncLoop;
  /** Windows AnkiConnect's GUI actions can drive (the desktop window, browser tabs); the first open one is used. */
  private readonly guis: GuiHooks[] = [];

  private constructor(
    readonly manager: ProfileManager,
    readonly session: OpenProfile,
    syncOptions: Omit<SyncLoopOptions, 'session'>,
  ) {
    this.loop = new SyncLoop({ ...syncOptions, session });
    const inner = createDispatcher({ registry: createDefaultRegistry(), services: this.services(), gui: this.guiProxy() });
    // A sync holds the collection (writes fail as busy): AnkiConnect requests wait for it instead,
    // as they wait in Anki, up to a limit.
    this.dispatcher = {
      registry: inner.registry,
      apiVersion: inner.apiVersion,
      dispatch: async (request, meta) => {
        const action = (request as { action?: unknown } | null)?.action;
        if (this.loop.isRunning && !(typeof action === 'string' && NO_COLLECTION_ACTIONS.has(action))) await waitAtMost(this.loop.idle(), SYNC_WAIT_MS);
        return inner.dispatch(request, meta);
      },
    };
  }

  static async start(opts: HostOptions = {}): Promise<DeckhandHost> {
    const manager = new ProfileManager({ baseDir: opts.dataDir });
    const name = opts.profile ?? manager.lastProfile() ?? manager.list()[0]?.name ?? 'User 1';
    const session = openProfile(manager, name);
    const host = new DeckhandHost(manager, session, opts.sync || {});
    host.closers.push(() => session.close());
    // closers run in reverse: listeners, backup timer, sync loop (final sync), backup on close, collection
    if (opts.backups !== false) host.closers.push(() => host.backupOnClose());
    host.closers.push(() => host.loop.stop({ timeoutMs: opts.finalSyncTimeoutMs }));
    if (opts.backups !== false) {
      host.closers.push(
        schedulePeriodicBackups(() => (session.col.isClosed ? null : session.col), session.info.backupsDir, {
          intervalMs: opts.backups?.intervalMs,
          onError: (e) => console.error(`deckhand: automatic backup failed: ${(e as Error).message}`),
        }),
      );
    }
    try {
      if (opts.ankiConnect !== false) await host.startAnkiConnect(opts.ankiConnect ?? {});
      host.writeRunningFile();
      if (opts.sync !== false && storedLogin(session) && session.settings().sync.autoSync) host.loop.start();
    } catch (e) {
      await host.stop();
      throw e;
    }
    return host;
  }

  /**
   * Lets AnkiConnect's GUI actions drive a window (the desktop window, or browser tabs of
   * `deckhand serve`). Returns a function that removes it. Without an open one, GUI actions
   * answer "no window is open".
   */
  addGui(hooks: GuiHooks): () => void {
    this.guis.push(hooks);
    return () => {
      const i = this.guis.indexOf(hooks);
      if (i >= 0) this.guis.splice(i, 1);
    };
  }

  /** The hooks the dispatcher sees: those of the first window that is open right now. */
  private guiProxy(): GuiHooks {
    const current = () => this.guis.find((g) => g.isWindowOpen());
    return new Proxy({} as GuiHooks, {
      get: (_t, key: string | symbol) => {
        if (key === 'isWindowOpen') return () => current() !== undefined;
        const g = current();
        const fn = g?.[key as keyof GuiHooks];
        return typeof fn === 'function' ? (fn as (...a: unknown[]) => unknown).bind(g) : undefined;
      },
    });
  }

  /** Anki's backup on close (skipped when nothing changed or a recent backup exists). */
  private async backupOnClose(): Promise<void> {
    const col = this.session.col;
    if (col.isClosed) return;
    try {
      await createBackup(col, this.session.info.backupsDir);
    } catch (e) {
      console.error(`deckhand: backup on close failed: ${(e as Error).message}`);
    }
  }

  /** The profile's sync: status, sync now, the full-sync choice, login/logout (IPC, tray, AnkiConnect). */
  get sync(): HostSync {
    return this.loop;
  }

  /** What the AnkiConnect actions run against. */
  services(): AnkiConnectServices {
    const session = this.session;
    const manager = this.manager;
    const loop = () => this.loop;
    const services = {
      // AnkiConnect's `sync` goes through the loop: never overlapping its runs, status kept
      sync: async (): Promise<SyncOutcome> => {
        // once a one-way sync is required it stays so until chosen: answer without another check
        // (each check downloads the server's collection to count it)
        const before = loop().status;
        const s = before.state === 'full-sync-required' ? before : await loop().syncNow();
        if (s.state === 'logged-out') return { outcome: 'not-logged-in' };
        if (s.state === 'full-sync-required') return { outcome: 'full-sync-required', fullSync: { uploadOk: s.details.uploadOk, downloadOk: s.details.downloadOk } };
        if (s.state === 'error') throw new Error(s.message);
        return { outcome: s.lastResult?.outcome === 'no-changes' ? 'no-changes' : 'normal-sync' };
      },
      profiles: {
        list: () => manager.list().map((p) => p.name),
        active: () => session.name,
        load: (name: string) => manager.list().some((p) => p.name === name) && name === session.name,
      },
      session: () => session,
    };
    return services as AnkiConnectServices;
  }

  private async startAnkiConnect(o: { host?: string; port?: number; apiKey?: string | null }): Promise<void> {
    const settings = this.session.settings().ankiConnect;
    this.apiKey = o.apiKey ?? readSecrets(this.session.info.dir).ankiConnectApiKey ?? null;
    const server = await startAnkiConnectServer({
      host: o.host ?? settings.bindAddress,
      port: o.port ?? settings.port,
      apiKey: this.apiKey,
      trustedOrigins: settings.corsOrigins,
      dispatcher: this.dispatcher,
    });
    this.ankiConnectUrl = server.url;
    this.closers.push(() => server.close());
  }

  /** Adds something to shut down with the host (the UI transport, the sync loop). */
  onStop(closer: () => Promise<void> | void): void {
    this.closers.push(closer);
  }

  writeRunningFile(): void {
    const path = join(this.session.info.dir, RUNNING_FILE);
    const info: RunningInfo = { pid: process.pid, ankiConnectUrl: this.ankiConnectUrl, apiKey: this.apiKey, uiUrl: this.uiUrl };
    writeFileSync(path, JSON.stringify(info), { mode: 0o600 });
    chmodSync(path, 0o600);
  }

  /** Stops listeners first, then closes the collection (check-pointed): nothing is lost. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    rmSync(join(this.session.info.dir, RUNNING_FILE), { force: true });
    for (const close of this.closers.reverse()) {
      try {
        await close();
      } catch (e) {
        console.error(`deckhand: while shutting down: ${(e as Error).message}`);
      }
    }
  }
}
