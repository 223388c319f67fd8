// `syncProfile`: syncing an open profile — the login it stores, the endpoint it resolves, the
// collection swap after a full download — for the CLI (`deckhand sync`), AnkiConnect's `sync`
// action, the sync loop and the desktop app. `syncCollection` (sync-service.ts) does the protocol.

import { exclusive, type OpenProfile } from '../host/open-profile';
import { readSecrets, writeSecrets } from '../profiles/secrets';
import { SyncStore } from '../storage/sync-store';
import { login } from './sync-client';
import { type CollectionCounts, type FullSyncRequired, syncCollection, type SyncCollectionOptions, type SyncProgress } from './sync-service';
import { DEFAULT_ENDPOINT, normalizeEndpoint, SyncError } from './wire';

export const LOGIN_HINT = 'run deckhand sync --user … --password …';

/** There is no stored login (or it was refused and removed). `kind` is 'auth'. */
export class NotLoggedInError extends SyncError {
  /** 'none': no login was stored; 'refused': the server refused the stored one (now removed). */
  readonly reason: 'none' | 'refused';

  constructor(message = `not logged in: ${LOGIN_HINT} (or log in from the app's sync settings)`, extra: { status?: number; cause?: unknown } = {}) {
    super('auth', message, extra);
    this.name = 'NotLoggedInError';
    this.reason = extra.cause === undefined ? 'none' : 'refused';
  }
}

export interface SyncProfileOptions {
  /** With `password`: log in first and store the host key (never the password). */
  username?: string;
  password?: string;
  /**
   * Server base URL. With credentials: where to log in (default: the profile's configured
   * self-hosted URL, else AnkiWeb). Without: overrides the stored endpoint for this run.
   */
  endpoint?: string;
  /** The person's choice when a one-way sync is required. */
  fullSync?: 'upload' | 'download';
  /** Sync media too (default: the profile's `sync.syncMedia` setting). */
  media?: boolean;
  /** See SyncCollectionOptions.inspectRemote (default true). */
  inspectRemote?: boolean;
  ioTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
  /** Passed through to syncCollection (tests). */
  collectionOptions?: Partial<Pick<SyncCollectionOptions, 'onRequest' | 'clientVersion' | 'backupDir' | 'mediaPaths'>>;
}

export interface ProfileSyncResult {
  outcome: 'no-changes' | 'normal-sync' | 'full-sync-required' | 'uploaded' | 'downloaded';
  /** The endpoint synced with (after any move). */
  endpoint: string;
  username: string | null;
  /** This call logged in (and stored the new host key). */
  loggedIn: boolean;
  /** The server moved the account here (308); already saved. */
  movedTo?: string;
  serverMessage: string;
  /** Rows of a normal sync: notes, cards, reviews, decks, notetypes, presets, tags; deletions apart. */
  sent: { changes: number; deletions: number };
  received: { changes: number; deletions: number };
  /** With 'full-sync-required': what each direction keeps and replaces. Nothing was changed. */
  fullSync?: FullSyncRequired;
  /** The copy made before a full sync. */
  backupPath?: string;
  /** The collection's counts after a full upload/download. */
  counts?: CollectionCounts;
  /** Media sync: files moved, or its error (the collection sync still stands); null when not run. */
  media: { uploadedFiles: number; downloadedFiles: number; uploadedDeletions: number; downloadedDeletions: number } | { error: string } | null;
  /** A full download replaced `session.col` with a new instance. */
  collectionReplaced: boolean;
}

/** Where the login goes when no endpoint is given: the profile's self-hosted URL, else AnkiWeb. */
export function loginEndpoint(session: OpenProfile, endpoint?: string): string {
  return normalizeEndpoint(endpoint ?? session.settings().sync.endpoint ?? DEFAULT_ENDPOINT);
}

/** The stored login of a profile: host key, the endpoint it belongs to, the account name. */
export function storedLogin(session: OpenProfile): { hostKey: string; endpoint: string; username: string | null } | null {
  const s = readSecrets(session.info.dir);
  if (!s.syncHostKey) return null;
  return { hostKey: s.syncHostKey, endpoint: normalizeEndpoint(s.syncEndpoint ?? session.settings().sync.endpoint ?? DEFAULT_ENDPOINT), username: s.syncUsername ?? null };
}

/**
 * Logs in and stores host key, endpoint and username in the profile's secrets (the username also
 * in its settings, for display). A wrong password is a SyncError 'auth'; nothing is stored then.
 */
export async function loginProfile(
  session: OpenProfile,
  creds: { username: string; password: string; endpoint?: string; ioTimeoutMs?: number; signal?: AbortSignal },
): Promise<{ username: string; endpoint: string }> {
  const username = creds.username.trim();
  if (!username || !creds.password) throw new SyncError('auth', 'Give both a username and a password to log in.');
  const endpoint = loginEndpoint(session, creds.endpoint);
  const hostKey = await login(endpoint, username, creds.password, { ioTimeoutMs: creds.ioTimeoutMs, signal: creds.signal });
  writeSecrets(session.info.dir, { syncHostKey: hostKey, syncEndpoint: endpoint, syncUsername: username });
  try {
    session.updateSettings({ sync: { username } });
  } catch {
    /* display only */
  }
  return { username, endpoint };
}

/** Forgets the stored login (host key, endpoint, username). The collection is untouched. */
export function logout(session: OpenProfile): void {
  writeSecrets(session.info.dir, { syncHostKey: undefined, syncEndpoint: undefined, syncUsername: undefined });
  try {
    session.updateSettings({ sync: { username: null } });
  } catch {
    /* display only */
  }
}

// one run per open profile: the collection instance is read when the turn comes (a download
// before it may have replaced it)
function serialized<T>(session: OpenProfile, fn: () => Promise<T>): Promise<T> {
  // one at a time per profile, and never during a collection replacement (.colpkg import, restore)
  return exclusive(session, fn);
}

/**
 * Syncs an open profile. With `username`/`password` it logs in first (storing the host key);
 * otherwise it uses the stored login, or fails with NotLoggedInError. A stored key the server
 * refuses is removed (the error is a NotLoggedInError too). A server move (308) is saved. A full
 * download swaps `session.col` for the new instance (listeners are told). A required full sync
 * without `fullSync` changes nothing and returns the choice in `fullSync`.
 */
export function syncProfile(session: OpenProfile, opts: SyncProfileOptions = {}): Promise<ProfileSyncResult> {
  return serialized(session, () => runProfileSync(session, opts));
}

async function runProfileSync(session: OpenProfile, opts: SyncProfileOptions): Promise<ProfileSyncResult> {
  let loggedIn = false;
  if (opts.username !== undefined || opts.password !== undefined) {
    if (!opts.username || !opts.password) throw new SyncError('auth', 'Give both --user and --password to log in.');
    await loginProfile(session, { username: opts.username, password: opts.password, endpoint: opts.endpoint, ioTimeoutMs: opts.ioTimeoutMs, signal: opts.signal });
    loggedIn = true;
  }
  const stored = storedLogin(session);
  if (!stored) throw new NotLoggedInError();
  const endpoint = !loggedIn && opts.endpoint ? normalizeEndpoint(opts.endpoint) : stored.endpoint;
  const settings = session.settings().sync;
  const col = session.col;
  const sent = { changes: 0, deletions: 0 };
  const received = { changes: 0, deletions: 0 };
  let r;
  try {
    r = await syncCollection(col, {
      endpoint,
      hostKey: stored.hostKey,
      fullSync: opts.fullSync,
      media: opts.media ?? settings.syncMedia,
      inspectRemote: opts.inspectRemote,
      ioTimeoutMs: opts.ioTimeoutMs,
      signal: opts.signal,
      ...opts.collectionOptions,
      onProgress: (p) => {
        if (p.stage === 'syncing' || p.stage === 'finalizing') {
          sent.changes = p.localUpdate;
          sent.deletions = p.localRemove;
          received.changes = p.remoteUpdate;
          received.deletions = p.remoteRemove;
        }
        opts.onProgress?.(p);
      },
    });
  } catch (e) {
    if (e instanceof SyncError && e.kind === 'auth' && !loggedIn) {
      // as Anki: a refused key is forgotten, so the person is asked to log in again
      writeSecrets(session.info.dir, { syncHostKey: undefined });
      throw new NotLoggedInError(`${e.message.replace(/\s*Log in to .*$/, '')} The saved login was removed; log in again: ${LOGIN_HINT}`, { status: e.status, cause: e });
    }
    throw e;
  }
  if (r.newEndpoint) writeSecrets(session.info.dir, { syncEndpoint: r.newEndpoint });
  const replaced = r.collection !== col;
  if (replaced) session.replaceCollection(r.collection);
  const result: ProfileSyncResult = {
    outcome: r.outcome,
    endpoint: r.newEndpoint ?? endpoint,
    username: stored.username,
    loggedIn,
    ...(r.newEndpoint ? { movedTo: r.newEndpoint } : {}),
    serverMessage: r.serverMessage,
    sent,
    received,
    ...(r.fullSync ? { fullSync: r.fullSync } : {}),
    ...(r.backupPath ? { backupPath: r.backupPath } : {}),
    media: null,
    collectionReplaced: replaced,
  };
  if (r.outcome === 'uploaded' || r.outcome === 'downloaded') {
    const st = new SyncStore(session.col.db);
    result.counts = { notes: st.tableCount('notes'), cards: st.tableCount('cards'), revlog: st.tableCount('revlog') };
  }
  if (r.media) {
    result.media =
      'error' in r.media
        ? { error: r.media.error.message }
        : { uploadedFiles: r.media.uploadedFiles, downloadedFiles: r.media.downloadedFiles, uploadedDeletions: r.media.uploadedDeletions, downloadedDeletions: r.media.downloadedDeletions };
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// words for people (CLI, tray, UI)

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const countsText = (c: CollectionCounts | null) => (c ? `${plural(c.notes, 'note')}, ${plural(c.cards, 'card')}, ${plural(c.revlog, 'review')}` : 'its notes and cards (not inspected)');

/** What each one-way direction keeps and loses, one line each (impossible directions said so). */
export function describeFullSyncChoice(f: FullSyncRequired): { upload: string; download: string } {
  return {
    upload: f.uploadOk
      ? `upload   replaces the server's collection (${countsText(f.remote)}) with this one (${countsText(f.local)}): whatever is only on the server, and changes made on other devices since the last sync, are lost.`
      : `upload   not possible: this collection is empty and the server's is not.`,
    download: f.downloadOk
      ? `download replaces this collection (${countsText(f.local)}) with the server's (${countsText(f.remote)}): whatever is only here, and changes made here since the last sync, are lost (a backup copy is made first).`
      : `download not possible: the server's collection is empty and this one is not.`,
  };
}

/** A short summary of a sync, e.g. "synced: 3 changes sent, 2 received". */
export function summarizeSync(r: ProfileSyncResult): string {
  switch (r.outcome) {
    case 'no-changes':
      return 'already in sync: nothing to send or receive';
    case 'normal-sync': {
      const del = (d: number) => (d ? ` (+${plural(d, 'deletion')})` : '');
      return `synced: ${plural(r.sent.changes, 'change')} sent${del(r.sent.deletions)}, ${r.received.changes} received${del(r.received.deletions)}`;
    }
    case 'uploaded':
      return `full sync: uploaded this collection to the server${r.counts ? ` (${countsText(r.counts)})` : ''}`;
    case 'downloaded':
      return `full sync: replaced this collection with the server's${r.counts ? ` (${countsText(r.counts)})` : ''}`;
    case 'full-sync-required':
      return 'a one-way full sync is required: choose upload or download';
  }
}

/** The media part in words, or null when media sync did not run / changed nothing. */
export function summarizeMedia(r: ProfileSyncResult): string | null {
  if (!r.media) return null;
  if ('error' in r.media) return `media sync failed (the collection sync still stands): ${r.media.error}`;
  const m = r.media;
  const up = m.uploadedFiles + m.uploadedDeletions;
  const down = m.downloadedFiles + m.downloadedDeletions;
  if (!up && !down) return null;
  return `media: ${plural(m.uploadedFiles, 'file')} sent${m.uploadedDeletions ? `, ${plural(m.uploadedDeletions, 'deletion')}` : ''}; ${plural(m.downloadedFiles, 'file')} received${m.downloadedDeletions ? `, ${plural(m.downloadedDeletions, 'deletion')}` : ''}`;
}
