// The sync loop: with a fake clock and a fake sync for the timing rules (open, interval,
// debounce, no overlap, logged-out, back-off, waiting for the full-sync choice, final sync on
// stop), then against a real server on loopback (a refused key, a cut connection, a download
// swapping the collection).

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectCollectionPasses, tempDir } from '../collection/test-support/check';
import { openProfile, type OpenProfile } from '../host/open-profile';
import { addNote } from '../notes/notes-service';
import { ProfileManager } from '../profiles/profiles-service';
import { readSecrets, writeSecrets } from '../profiles/secrets';
import { login } from './sync-client';
import { startSyncServer, type SyncServer, type SyncServerHooks } from './sync-server';
import { type LoopClock, SyncLoop, type SyncLoopOptions, type SyncStatus } from './sync-loop';
import { type ProfileSyncResult, syncProfile, type SyncProfileOptions } from './sync-session';
import { syncCollection } from './sync-service';
import { SyncError } from './wire';

const MIN = 60_000;

/** A clock whose timers run only when the test advances it. */
class FakeClock implements LoopClock {
  t = 1_700_000_000_000;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers.delete(h as number);
  };
  get pending(): number {
    return this.timers.size;
  }
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const next = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
    await settle();
  }
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function result(outcome: ProfileSyncResult['outcome'] = 'normal-sync', extra: Partial<ProfileSyncResult> = {}): ProfileSyncResult {
  return {
    outcome,
    endpoint: 'http://127.0.0.1:1/',
    username: 'ana',
    loggedIn: false,
    serverMessage: '',
    sent: { changes: 1, deletions: 0 },
    received: { changes: 0, deletions: 0 },
    media: null,
    collectionReplaced: false,
    ...extra,
  };
}

interface Call {
  at: number;
  opts: SyncProfileOptions;
  resolve: (r: ProfileSyncResult) => void;
  reject: (e: unknown) => void;
}

/** A fake sync: each call waits until the test settles it (or `auto` answers at once). */
class FakeSync {
  calls: Call[] = [];
  active = 0;
  maxActive = 0;
  auto: (() => ProfileSyncResult | Error) | null = () => result();
  constructor(private clock: FakeClock) {}
  fn = (_s: OpenProfile, opts: SyncProfileOptions): Promise<ProfileSyncResult> => {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    return new Promise<ProfileSyncResult>((resolve, reject) => {
      const call: Call = { at: this.clock.now(), opts, resolve, reject };
      this.calls.push(call);
      if (this.auto) {
        const r = this.auto();
        if (r instanceof Error) reject(r);
        else resolve(r);
      }
    }).finally(() => this.active--);
  };
}

let dir: string;
let session: OpenProfile;
let clock: FakeClock;
let fake: FakeSync;
let loop: SyncLoop;
let statuses: SyncStatus[];

const basicId = () => session.col.storage.notetypes.all()[0].id;
const edit = (text = 'x') => addNote(session.col, { notetypeId: basicId(), deckId: 1, fields: [text, ''] });

function newLoop(extra: Partial<SyncLoopOptions> = {}): SyncLoop {
  statuses = [];
  loop = new SyncLoop({ session, clock, sync: fake.fn, intervalMs: 10 * MIN, debounceMs: 30_000, onStatus: (s) => statuses.push(s), log: () => undefined, ...extra });
  return loop;
}

beforeEach(() => {
  dir = tempDir('deckhand-loop-');
  session = openProfile(new ProfileManager({ baseDir: dir }), 'P');
  writeSecrets(session.info.dir, { syncHostKey: 'k', syncEndpoint: 'http://127.0.0.1:1/', syncUsername: 'ana' });
  clock = new FakeClock();
  fake = new FakeSync(clock);
});

afterEach(async () => {
  await loop?.stop({ finalSync: false, timeoutMs: 0 });
  session.close();
});

describe('sync loop timing (fake clock)', () => {
  it('syncs on open, then every interval; reports status changes', async () => {
    newLoop().start();
    await settle();
    expect(fake.calls).toHaveLength(1);
    expect(loop.status).toMatchObject({ state: 'idle', message: 'synced: 1 change sent, 0 received', automatic: true, nextSyncAtMs: clock.t + 10 * MIN, username: 'ana' });
    expect(statuses.map((s) => s.state)).toContain('syncing');
    await clock.advance(10 * MIN - 1);
    expect(fake.calls).toHaveLength(1);
    await clock.advance(1);
    expect(fake.calls).toHaveLength(2);
    await clock.advance(10 * MIN);
    expect(fake.calls).toHaveLength(3);
  });

  it('the profile setting sync.intervalMinutes sets the interval', async () => {
    session.updateSettings({ sync: { intervalMinutes: 3 } });
    loop = new SyncLoop({ session, clock, sync: fake.fn });
    loop.start();
    await settle();
    expect(fake.calls).toHaveLength(1);
    await clock.advance(3 * MIN);
    expect(fake.calls).toHaveLength(2);
  });

  it('debounces changes: one sync 30 s after the last one; its own changes do not count', async () => {
    newLoop().start();
    await settle();
    expect(fake.calls).toHaveLength(1);
    edit('a');
    await clock.advance(10_000);
    edit('b');
    await clock.advance(10_000);
    edit('c');
    await clock.advance(29_999);
    expect(fake.calls).toHaveLength(1);
    await clock.advance(1);
    expect(fake.calls).toHaveLength(2);
    // the periodic timer restarts after that sync
    expect(loop.status.nextSyncAtMs).toBe(clock.t + 10 * MIN);
    // sync's own op does not trigger one
    session.col.transact('Sync', (tx) => tx.setConfig('deckhandTest', 1), { keepStamps: true, undoable: false });
    await clock.advance(60_000);
    expect(fake.calls).toHaveLength(2);
  });

  it('never overlaps: requests during a run are folded into one follow-up run', async () => {
    fake.auto = null;
    newLoop().start();
    await settle();
    expect(fake.calls).toHaveLength(1);
    const a = loop.syncNow();
    const b = loop.syncNow();
    edit();
    await clock.advance(30_000); // the debounce fires while the first run is still going
    expect(fake.calls).toHaveLength(1);
    expect(loop.status.state).toBe('syncing');
    fake.calls[0].resolve(result());
    await settle();
    expect(fake.calls).toHaveLength(2);
    fake.calls[1].resolve(result('no-changes'));
    const [sa, sb] = await Promise.all([a, b]);
    expect(sa.state).toBe('idle');
    expect(sb.message).toBe('already in sync: nothing to send or receive');
    expect(fake.calls).toHaveLength(2);
    expect(fake.maxActive).toBe(1);
  });

  it('a refused login stops it in logged-out with the message; nothing more until a login', async () => {
    fake.auto = () => new SyncError('auth', 'Sync login failed: the username or password is wrong, or the saved login has expired.');
    newLoop().start();
    await settle();
    expect(loop.status).toMatchObject({ state: 'logged-out', message: expect.stringMatching(/username or password is wrong/), nextSyncAtMs: null });
    edit();
    await clock.advance(60 * MIN);
    expect(fake.calls).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  it('starts logged-out without a stored login, and does not try', async () => {
    writeSecrets(session.info.dir, { syncHostKey: undefined });
    newLoop().start();
    await clock.advance(60 * MIN);
    expect(fake.calls).toHaveLength(0);
    expect(loop.status).toMatchObject({ state: 'logged-out', message: 'not logged in' });
  });

  it('backs off on network/server errors (30 s, 60 s, 120 s …), then returns to the interval', async () => {
    let failures = 3;
    fake.auto = () => (failures-- > 0 ? new SyncError(failures === 1 ? 'server-error' : 'network', 'Cannot connect to the sync server') : result());
    newLoop().start();
    await settle();
    const t0 = clock.t;
    expect(loop.status).toMatchObject({ state: 'error', kind: 'network', retryAtMs: t0 + 30_000, nextSyncAtMs: t0 + 30_000 });
    // changes do not cut the back-off short
    edit();
    await clock.advance(30_000);
    expect(fake.calls.map((c) => c.at - t0)).toEqual([0, 30_000]);
    expect(loop.status).toMatchObject({ state: 'error', kind: 'server-error', retryAtMs: clock.t + 60_000 });
    await clock.advance(60_000);
    await clock.advance(120_000);
    expect(fake.calls.map((c) => c.at - t0)).toEqual([0, 30_000, 90_000, 210_000]);
    expect(loop.status).toMatchObject({ state: 'idle', nextSyncAtMs: clock.t + 10 * MIN });
  });

  it('a required full sync waits for the choice; the choice runs it', async () => {
    const details = { uploadOk: true, downloadOk: true, local: { notes: 1, cards: 1, revlog: 0 }, remote: { notes: 2, cards: 2, revlog: 0 }, remoteEmpty: false, message: 'A one-way sync is required.' };
    fake.auto = () => result('full-sync-required', { fullSync: details });
    newLoop().start();
    await settle();
    expect(loop.status).toMatchObject({ state: 'full-sync-required', details, nextSyncAtMs: null });
    edit();
    await clock.advance(60 * MIN);
    expect(fake.calls).toHaveLength(1);
    fake.auto = () => result('uploaded');
    const s = await loop.chooseFullSync('upload');
    expect(fake.calls.at(-1)!.opts.fullSync).toBe('upload');
    expect(s).toMatchObject({ state: 'idle', message: expect.stringMatching(/uploaded/) });
    await expect(loop.chooseFullSync('sideways' as 'upload')).rejects.toThrow(/upload or download/);
  });

  it('stop runs a final sync; one that hangs is cancelled after the timeout', async () => {
    newLoop().start();
    await settle();
    edit();
    await loop.stop({ timeoutMs: 5_000 });
    expect(fake.calls).toHaveLength(2);
    expect(loop.status.automatic).toBe(false);
    await loop.syncNow(); // stopped: nothing happens
    expect(fake.calls).toHaveLength(2);

    // a final sync that does not finish: aborted through its signal when the time is up
    fake = new FakeSync(clock);
    fake.auto = null;
    newLoop().start();
    await settle();
    fake.calls[0].resolve(result());
    await settle();
    const stopping = loop.stop({ timeoutMs: 5_000 });
    await settle();
    expect(fake.calls).toHaveLength(2);
    const signal = fake.calls[1].opts.signal!;
    signal.addEventListener('abort', () => fake.calls[1].reject(new SyncError('cancelled', 'The sync was cancelled.')));
    await clock.advance(4_999);
    expect(signal.aborted).toBe(false);
    await clock.advance(1);
    await stopping;
    expect(signal.aborted).toBe(true);
    expect(loop.status).toMatchObject({ state: 'idle', message: expect.stringMatching(/cancelled/) });
  });

  it('no final sync when automatic syncing was off, or a full-sync choice is pending', async () => {
    newLoop();
    await loop.syncNow();
    await loop.stop();
    expect(fake.calls).toHaveLength(1);

    fake = new FakeSync(clock);
    fake.auto = () => result('full-sync-required', { fullSync: { uploadOk: true, downloadOk: true, local: { notes: 1, cards: 1, revlog: 0 }, remote: null, remoteEmpty: false, message: 'choose' } });
    newLoop().start();
    await settle();
    expect(loop.status.state).toBe('full-sync-required');
    await loop.stop();
    expect(fake.calls).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------

describe('sync loop against a real server (loopback)', () => {
  let server: SyncServer;
  let hooks: SyncServerHooks = {};
  let hostKey: string;

  beforeEach(async () => {
    server = await startSyncServer({ port: 0, dataDir: join(dir, 'server'), users: ['ana:pw'], hooks: { beforeReply: (i) => hooks.beforeReply?.(i) } });
    hostKey = await login(server.url, 'ana', 'pw');
    hooks = {};
  });
  afterEach(() => server.close());

  it('a key the server refuses (403): logged-out, the key removed', async () => {
    writeSecrets(session.info.dir, { syncHostKey: 'bad', syncEndpoint: server.url });
    loop = new SyncLoop({ session, log: () => undefined });
    const s = await loop.syncNow();
    expect(s).toMatchObject({ state: 'logged-out', message: expect.stringMatching(/username or password is wrong.*log in again/) });
    expect(readSecrets(session.info.dir).syncHostKey).toBeUndefined();
    // logging in again brings it back
    const after = await loop.login({ username: 'ana', password: 'pw', endpoint: server.url }, false);
    expect(after).toMatchObject({ state: 'idle', username: 'ana' }); // both empty: nothing to do
    expect(readSecrets(session.info.dir).syncHostKey).toBe(hostKey);
    // a wrong password on a new login rejects and leaves the status (and the stored key) alone
    await expect(loop.login({ username: 'ana', password: 'nope', endpoint: server.url })).rejects.toMatchObject({ kind: 'auth' });
    expect(loop.status.state).toBe('idle');
    expect(readSecrets(session.info.dir).syncHostKey).toBe(hostKey);
  });

  it('a cut connection backs off and the retry goes through', async () => {
    writeSecrets(session.info.dir, { syncHostKey: hostKey, syncEndpoint: server.url });
    edit('first');
    await syncCollection(session.col, { endpoint: server.url, hostKey, fullSync: 'upload', media: false });
    edit('second');
    let cuts = 2;
    hooks = { beforeReply: (i) => (i.method === 'applyChanges' && cuts-- > 0 ? 'destroy' : undefined) };
    const seen: string[] = [];
    loop = new SyncLoop({ session, backoffInitialMs: 40, intervalMs: 60 * MIN, syncOptions: { media: false }, onStatus: (s) => seen.push(s.state === 'error' ? `error:${s.kind}` : s.state), log: () => undefined });
    loop.start();
    await expect.poll(() => loop.status.state, { timeout: 10_000 }).toBe('idle');
    const transitions = seen.filter((s, i) => s !== seen[i - 1]);
    expect(transitions).toEqual(['idle', 'syncing', 'error:network', 'syncing', 'error:network', 'syncing', 'idle']);
    expect(loop.status.message).toMatch(/^synced: [1-9]\d* changes sent/);
    await loop.stop();
    session.col.close();
    expectCollectionPasses(session.col.path);
  });

  it('a server move (308 on meta) is saved as the endpoint', async () => {
    const old = createServer((req, res) => {
      res.writeHead(308, { location: server.url });
      res.end();
    });
    await new Promise<void>((r) => old.listen(0, '127.0.0.1', r));
    const oldUrl = `http://127.0.0.1:${(old.address() as AddressInfo).port}/`;
    try {
      writeSecrets(session.info.dir, { syncHostKey: hostKey, syncEndpoint: oldUrl });
      const r = await syncProfile(session, { media: false });
      expect(r).toMatchObject({ outcome: 'no-changes', movedTo: server.url, endpoint: server.url });
      expect(readSecrets(session.info.dir).syncEndpoint).toBe(server.url);
    } finally {
      old.close();
    }
  });

  it('a chosen download swaps the session collection; change listeners follow it', async () => {
    // the server gets a collection from elsewhere
    const other = openProfile(new ProfileManager({ baseDir: join(dir, 'other') }), 'O');
    addNote(other.col, { notetypeId: other.col.storage.notetypes.all()[0].id, deckId: 1, fields: ['from elsewhere', ''] });
    await syncCollection(other.col, { endpoint: server.url, hostKey, fullSync: 'upload', media: false });
    other.close();

    writeSecrets(session.info.dir, { syncHostKey: hostKey, syncEndpoint: server.url });
    edit('only here');
    const changes: string[] = [];
    session.onChange((op) => changes.push(op));
    const replaced: boolean[] = [];
    session.onCollectionReplaced((col, prev) => replaced.push(prev.isClosed && !col.isClosed));
    loop = new SyncLoop({ session, syncOptions: { media: false }, debounceMs: 20, log: () => undefined });
    const first = await loop.syncNow();
    expect(first.state).toBe('full-sync-required');
    if (first.state !== 'full-sync-required') return;
    expect(first.details.remote).toMatchObject({ notes: 1 });
    const old = session.col;
    const s = await loop.chooseFullSync('download');
    expect(s).toMatchObject({ state: 'idle', lastResult: { outcome: 'downloaded', collectionReplaced: true } });
    expect(old.isClosed).toBe(true);
    expect(session.col).not.toBe(old);
    expect(replaced).toEqual([true]);
    expect(changes).toEqual(['Sync']);
    expect(session.col.storage.notes.count()).toBe(1);
    edit('after the swap');
    expect(changes).toEqual(['Sync', 'Add Note']);
    expect((await loop.syncNow()).lastResult?.outcome).toBe('normal-sync');
    session.col.close();
    expectCollectionPasses(session.col.path);
  });
});
