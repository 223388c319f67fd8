import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNNING_FILE, type RunningInfo } from '../host/host';
import { DeckhandHost } from '../host/host';
import { ProfileManager } from '../profiles/profiles-service';

/** Calls AnkiConnect actions: through a running Deckhand's listener, or in this process. */
export interface ActionClient {
  readonly via: 'listener' | 'in-process';
  call<T = unknown>(action: string, params?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export class ActionError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The listener of a Deckhand that has this profile open, if one is running. */
export function runningListener(dataDir: string | undefined, profile: string | undefined): RunningInfo | null {
  const info = runningInstance(dataDir, profile);
  return info?.ankiConnectUrl ? info : null;
}

/** A live Deckhand process that has this profile open (with or without a listener). */
export function runningInstance(dataDir: string | undefined, profile: string | undefined): RunningInfo | null {
  const manager = new ProfileManager({ baseDir: dataDir });
  const name = profile ?? manager.lastProfile() ?? manager.list()[0]?.name;
  if (!name) return null;
  let dir: string;
  try {
    dir = manager.get(name).dir;
  } catch {
    return null;
  }
  const file = join(dir, RUNNING_FILE);
  if (!existsSync(file)) return null;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as RunningInfo;
    return isAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

function unwrap<T>(reply: unknown): T {
  const r = reply as { result: T; error: string | null };
  if (r.error) throw new ActionError(r.error);
  return r.result;
}

export async function connect(dataDir: string | undefined, profile: string | undefined): Promise<ActionClient> {
  const running = runningListener(dataDir, profile);
  if (running?.ankiConnectUrl) {
    const url = running.ankiConnectUrl;
    return {
      via: 'listener',
      async call<T>(action: string, params: Record<string, unknown> = {}) {
        const body = JSON.stringify({ action, version: 6, params, ...(running.apiKey ? { key: running.apiKey } : {}) });
        let res: Response;
        try {
          res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        } catch (e) {
          throw new ActionError(`the running Deckhand at ${url} did not answer: ${(e as Error).message}`);
        }
        return unwrap<T>(await res.json());
      },
      async close() {},
    };
  }
  const host = await DeckhandHost.start({ dataDir, profile, ankiConnect: false, sync: false });
  return {
    via: 'in-process',
    async call<T>(action: string, params: Record<string, unknown> = {}) {
      return unwrap<T>(await host.dispatcher.dispatch({ action, version: 6, params }, { apiKey: null, allowed: true, origin: '' }));
    },
    close: () => host.stop(),
  };
}
