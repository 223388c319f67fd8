// The UI's view of syncing: login (the host key goes to the profile's secrets file, never the
// password), logout, "Sync now" over the profile's stored login, and the status the tray and the
// window show. Pushes `sync-status` events while a sync runs.
//
// Note: the sync itself is `syncWithStoredLogin`, today exported by the AnkiConnect `sync` action
// so both adapters run the same code; it belongs in the sync service and should move there.

import { syncWithStoredLogin } from '../ankiconnect/actions/sync';
import type { OpenProfile } from '../host/open-profile';
import { readSecrets, writeSecrets } from '../profiles/secrets';
import { isSyncing, login, SyncError } from '../sync';
import { localSyncMeta } from '../sync/sync-client';
import type { EventPayload } from './contract';
import type { EventHub } from './invoker';

type SyncStatus = EventPayload<'sync-status'>;

export class SyncStatusTracker {
  private last: { state: SyncStatus['state']; message: string | null } = { state: 'idle', message: null };

  constructor(
    private readonly session: OpenProfile,
    private readonly events?: EventHub,
  ) {}

  status(): SyncStatus {
    const secrets = readSecrets(this.session.info.dir);
    const ls = localSyncMeta(this.session.col).ls;
    const base = { lastSyncMs: ls > 0 ? ls : null, loggedInAs: secrets.syncHostKey ? (secrets.syncUsername ?? this.session.settings().sync.username ?? '') : null };
    if (!secrets.syncHostKey) return { state: 'disabled', message: null, ...base };
    if (isSyncing(this.session.col.path)) return { state: 'syncing', message: 'Syncing…', ...base };
    return { ...this.last, ...base };
  }

  private publish(): SyncStatus {
    const s = this.status();
    this.events?.emit('sync-status', s);
    return s;
  }

  async login(username: string, password: string, endpoint: string | null): Promise<SyncStatus> {
    const ep = endpoint ?? this.session.settings().sync.endpoint ?? undefined;
    const hostKey = await login(ep, username, password);
    writeSecrets(this.session.info.dir, { syncHostKey: hostKey, syncUsername: username, syncEndpoint: ep });
    this.session.updateSettings({ sync: { username, endpoint: endpoint ?? this.session.settings().sync.endpoint } });
    this.last = { state: 'idle', message: `Logged in as ${username}` };
    return this.publish();
  }

  logout(): SyncStatus {
    writeSecrets(this.session.info.dir, { syncHostKey: undefined, syncEndpoint: undefined });
    this.last = { state: 'idle', message: null };
    return this.publish();
  }

  async syncNow(): Promise<SyncStatus> {
    this.events?.emit('sync-status', { ...this.status(), state: 'syncing', message: 'Syncing…' });
    try {
      const r = await syncWithStoredLogin(this.session);
      if (r.outcome === 'not-logged-in') this.last = { state: 'disabled', message: 'Log in to sync.' };
      else if (r.outcome === 'full-sync-required')
        this.last = {
          state: 'full-sync-required',
          message: 'A one-way (full) sync is needed: this collection and the server’s cannot be merged, and choosing which side to keep is not possible from this window yet.',
        };
      else this.last = { state: 'idle', message: r.outcome === 'normal-sync' ? 'Synced.' : 'Already up to date.' };
    } catch (e) {
      const offline = e instanceof SyncError && e.kind === 'network';
      this.last = { state: offline ? 'offline' : 'error', message: e instanceof Error ? e.message : String(e) };
    }
    return this.publish();
  }
}
