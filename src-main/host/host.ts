import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDefaultRegistry } from '../ankiconnect/actions';
import type { AnkiConnectServices } from '../ankiconnect/actions/registry';
import { createDispatcher, type Dispatcher } from '../ankiconnect/dispatcher';
import { startAnkiConnectServer } from '../ankiconnect/server';
import { ProfileManager } from '../profiles/profiles-service';
import { readSecrets } from '../profiles/secrets';
import { openProfile, type OpenProfile } from './open-profile';

/** Written into the profile folder while a process serves it, so the CLI can go through it. */
export const RUNNING_FILE = 'deckhand-running.json';

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

  private constructor(
    readonly manager: ProfileManager,
    readonly session: OpenProfile,
  ) {
    this.dispatcher = createDispatcher({ registry: createDefaultRegistry(), services: this.services() });
  }

  static async start(opts: HostOptions = {}): Promise<DeckhandHost> {
    const manager = new ProfileManager({ baseDir: opts.dataDir });
    const name = opts.profile ?? manager.lastProfile() ?? manager.list()[0]?.name ?? 'User 1';
    const session = openProfile(manager, name);
    const host = new DeckhandHost(manager, session);
    host.closers.push(() => session.close());
    try {
      if (opts.ankiConnect !== false) await host.startAnkiConnect(opts.ankiConnect ?? {});
      host.writeRunningFile();
    } catch (e) {
      await host.stop();
      throw e;
    }
    return host;
  }

  /** What the AnkiConnect actions run against. */
  services(): AnkiConnectServices {
    const session = this.session;
    const manager = this.manager;
    const services = {
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
