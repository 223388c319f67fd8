// `deckhand sync` against a real sync server on loopback: login, the first one-way sync offered
// and chosen, normal syncs with counts, a wrong password, a later required full sync (printed,
// nothing changed), --json, through a running `deckhand serve`; and `deckhand sync-server`.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { expectCollectionPasses, tempDir } from '../collection/test-support/check';
import { addField } from '../notetypes/notetypes-service';
import { readSecrets, writeSecrets } from '../profiles/secrets';
import { login } from '../sync/sync-client';
import { startSyncServer, type SyncServer } from '../sync/sync-server';
import { parseArgs } from './args';
import { main } from './main';
import { EXIT_FULL_SYNC_REQUIRED } from './sync';
import { runSyncServer, SYNC_SERVER_OPTIONS } from './sync-server';

const PASSWORD = 'correct-horse-battery';
const BIN = resolve(import.meta.dirname, '../../bin/deckhand.mjs');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
let server: SyncServer;
const profileA = () => ['--data-dir', join(dir, 'a'), '--profile', 'A'];
const profileB = () => ['--data-dir', join(dir, 'b'), '--profile', 'B'];
const colA = () => join(dir, 'a', 'A', 'collection.anki2');
const colB = () => join(dir, 'b', 'B', 'collection.anki2');

function withCollection<T>(path: string, fn: (col: Collection) => T): T {
  const col = Collection.open(path);
  try {
    return fn(col);
  } finally {
    col.close();
  }
}

const snapshot = (path: string) =>
  withCollection(path, (col) =>
    ['SELECT * FROM col', 'SELECT * FROM notes ORDER BY id', 'SELECT * FROM cards ORDER BY id', 'SELECT * FROM notetypes ORDER BY id', 'SELECT * FROM graves'].map((q) => JSON.stringify(col.db.prepare(q).all())).join('\n'),
  );

/** Every file under a folder, as text (to look for a stored password). */
function allText(folder: string): string {
  let s = '';
  for (const f of readdirSync(folder, { recursive: true }) as string[]) {
    const p = join(folder, f);
    if (statSync(p).isFile()) s += readFileSync(p, 'latin1');
  }
  return s;
}

beforeAll(async () => {
  dir = tempDir('deckhand-cli-sync-');
  server = await startSyncServer({ port: 0, dataDir: join(dir, 'server'), users: [`ana:${PASSWORD}`] });
});
afterAll(() => server?.close());

describe('deckhand sync (in-process)', () => {
  it('without a login: a clear message and exit 1', async () => {
    const r = await cli('sync', ...profileA());
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not logged in: run deckhand sync --user … --password …/);
  });

  it('a wrong password: a clear message, exit 1, nothing stored', async () => {
    const r = await cli('sync', '--endpoint', server.url, '--user', 'ana', '--password', 'wrong', ...profileA());
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/username or password is wrong/);
    expect(readSecrets(join(dir, 'a', 'A')).syncHostKey).toBeUndefined();
  });

  it('usage mistakes are exit 2', async () => {
    expect((await cli('sync', '--user', 'ana', ...profileA())).code).toBe(2);
    expect((await cli('sync', '--full', 'sideways', ...profileA())).code).toBe(2);
  });

  it('logs in; the first sync is offered as a one-way upload (nothing changes), then --full upload', async () => {
    expect((await cli('add', '--front', 'der Hund', '--back', 'the dog', ...profileA())).code).toBe(0);
    expect((await cli('add', '--front', 'die Katze', '--back', 'the cat', ...profileA())).code).toBe(0);
    const before = snapshot(colA());
    const r = await cli('sync', '--endpoint', server.url, '--user', 'ana', '--password', PASSWORD, ...profileA());
    expect(r.code).toBe(EXIT_FULL_SYNC_REQUIRED);
    expect(r.out).toMatch(/logged in as ana at http:\/\/127\.0\.0\.1:\d+\//);
    expect(r.out).toMatch(/the server has no collection for this account yet/i);
    expect(r.out).toMatch(/Nothing was changed/);
    expect(r.out).toMatch(/upload +replaces the server's collection \(0 notes, 0 cards, 0 reviews\) with this one \(2 notes, 2 cards, 0 reviews\)/);
    expect(r.out).toMatch(/download not possible/);
    expect(r.out).toContain(`To go ahead: deckhand sync --full upload --data-dir ${join(dir, 'a')} --profile A`);
    expect(snapshot(colA())).toBe(before);
    // the host key and endpoint are kept; the password is not, anywhere in the profile
    const secrets = readSecrets(join(dir, 'a', 'A'));
    expect(secrets).toMatchObject({ syncEndpoint: server.url, syncUsername: 'ana', syncHostKey: expect.any(String) });
    expect(allText(join(dir, 'a'))).not.toContain(PASSWORD);

    const up = await cli('sync', '--full', 'upload', ...profileA());
    expect(up.code).toBe(0);
    expect(up.out).toMatch(/full sync: uploaded this collection to the server \(2 notes, 2 cards, 0 reviews\)/);
    expect(up.out).toMatch(/a copy of the collection from before is in .*backups/);
    expect((await cli('sync', ...profileA())).out).toBe('already in sync: nothing to send or receive');
  });

  it('a second device: the empty collection is offered a download, --full download takes it', async () => {
    const r = await cli('sync', '--endpoint', server.url, '--user', 'ana', '--password', PASSWORD, ...profileB());
    expect(r.code).toBe(EXIT_FULL_SYNC_REQUIRED);
    expect(r.out).toMatch(/This collection is empty/);
    expect(r.out).toMatch(/download replaces this collection \(0 notes, 0 cards, 0 reviews\) with the server's \(2 notes, 2 cards, 0 reviews\)/);
    expect(r.out).toMatch(/upload +not possible/);
    const down = await cli('sync', '--full', 'download', '--json', ...profileB());
    expect(down.code).toBe(0);
    const j = JSON.parse(down.out) as { outcome: string; counts: unknown; collectionReplaced: boolean; via: string };
    expect(j).toMatchObject({ via: 'in-process', outcome: 'downloaded', counts: { notes: 2, cards: 2 }, collectionReplaced: true });
    expect(JSON.parse((await cli('find-notes', 'Hund', '--json', ...profileB())).out)).toHaveLength(1);
  });

  it('normal syncs report what was sent and received', async () => {
    // the download bumped the server, so A has an (empty) normal sync first
    expect((await cli('sync', ...profileA())).code).toBe(0);
    await cli('add', '--front', 'das Pferd', '--back', 'the horse', ...profileA());
    await cli('add', '--front', 'die Maus', '--back', 'the mouse', ...profileA());
    const a = await cli('sync', ...profileA());
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/^synced: [1-9]\d* changes sent, 0 received$/m);
    const b = await cli('sync', '--json', ...profileB());
    const j = JSON.parse(b.out) as { outcome: string; sent: { changes: number }; received: { changes: number } };
    expect(j.outcome).toBe('normal-sync');
    expect(j.received.changes).toBeGreaterThanOrEqual(4); // 2 notes + 2 cards
    expect(JSON.parse((await cli('find-notes', 'Pferd or Maus', '--json', ...profileB())).out)).toHaveLength(2);
  });

  it('a later required full sync: the choice is printed with what each side loses; nothing changes', async () => {
    withCollection(colA(), (col) => addField(col, col.storage.notetypes.all().find((n) => n.name === 'Basic')!.id, 'Extra'));
    const before = snapshot(colA());
    const r = await cli('sync', ...profileA());
    expect(r.code).toBe(EXIT_FULL_SYNC_REQUIRED);
    expect(r.out).toMatch(/A one-way full sync is required/);
    expect(r.out).toMatch(/upload +replaces the server's collection \(4 notes, 4 cards, 0 reviews\) with this one \(4 notes, 4 cards, 0 reviews\): whatever is only on the server/);
    expect(r.out).toMatch(/download replaces this collection .* whatever is only here, and changes made here since the last sync, are lost/);
    expect(r.out).toMatch(/Choose one:\n {2}deckhand sync --full upload .*\n {2}deckhand sync --full download /);
    expect(snapshot(colA())).toBe(before);
    // --json carries the same choice
    const j = JSON.parse((await cli('sync', '--json', ...profileA())).out) as { outcome: string; fullSync: { uploadOk: boolean; downloadOk: boolean } };
    expect(j).toMatchObject({ outcome: 'full-sync-required', fullSync: { uploadOk: true, downloadOk: true } });
    expect(snapshot(colA())).toBe(before);

    expect((await cli('sync', '--full', 'upload', ...profileA())).code).toBe(0);
    const b = await cli('sync', '--full', 'download', ...profileB());
    expect(b.code).toBe(0);
    expect(b.out).toMatch(/replaced this collection with the server's \(4 notes/);
    expect(withCollection(colB(), (col) => col.storage.notetypes.all().find((n) => n.name === 'Basic')!.fields.map((f) => f.name))).toEqual(['Front', 'Back', 'Extra']);
    expectCollectionPasses(colA());
    expectCollectionPasses(colB());
  });

  it('a stored key the server refuses is removed, with a message to log in again', async () => {
    const d = join(dir, 'c');
    await cli('add', '--front', 'x', '--back', 'y', '--data-dir', d, '--profile', 'C');
    writeSecrets(join(d, 'C'), { syncHostKey: 'not-a-valid-key', syncEndpoint: server.url, syncUsername: 'ana' });
    const r = await cli('sync', '--data-dir', d, '--profile', 'C');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/saved login was removed; log in again: run deckhand sync --user … --password …/);
    expect(readSecrets(join(d, 'C')).syncHostKey).toBeUndefined();
    expect((await cli('sync', '--logout', '--data-dir', d, '--profile', 'C')).out).toMatch(/logged out/);
    expect(readSecrets(join(d, 'C'))).toEqual({});
  });
});

function waitFor(output: () => string, re: RegExp, what: string, ms = 20_000): Promise<RegExpExecArray> {
  return new Promise((res, rej) => {
    const t = setTimeout(() => {
      clearInterval(poll);
      rej(new Error(`${what}: ${output()}`));
    }, ms);
    const poll = setInterval(() => {
      const m = re.exec(output());
      if (m) {
        clearInterval(poll);
        clearTimeout(t);
        res(m);
      }
    }, 50);
  });
}

describe('deckhand sync through a running deckhand serve', () => {
  it('goes through the listener; credentials and --full are refused with the reason', async () => {
    const data = join(dir, 'a');
    const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', data, '--profile', 'A', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    try {
      await waitFor(() => output, /AnkiConnect listening on (\S+)/, 'serve did not start');
      const creds = await cli('sync', '--user', 'ana', '--password', PASSWORD, ...profileA());
      expect(creds.code).toBe(1);
      expect(creds.err).toMatch(/running Deckhand \(pid \d+.*never carries passwords/);
      const full = await cli('sync', '--full', 'upload', ...profileA());
      expect(full.code).toBe(1);
      expect(full.err).toMatch(/choose the one-way sync direction in its window or tray/);
      const added = await cli('add', '--front', 'via serve', '--back', 'b', ...profileA());
      expect(added.err).toBe('');
      const r = await cli('sync', ...profileA());
      expect(r.err).toBe('');
      expect(r.out).toMatch(/^synced through the running Deckhand \(pid \d+/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit).toBe(0);
    // B gets the note added while serve held A
    const b = await cli('sync', ...profileB());
    expect(b.out + b.err).toMatch(/synced: 0 changes sent, [1-9]\d* received/);
    expect(JSON.parse((await cli('find-notes', '"via serve"', '--json', ...profileB())).out)).toHaveLength(1);
  });
});

describe('deckhand sync-server', () => {
  it('needs users from SYNC_USER1…', async () => {
    const out: string[] = [];
    await expect(runSyncServer(parseArgs(['--port', '0'], { options: SYNC_SERVER_OPTIONS }), (l) => out.push(l), { env: {} })).rejects.toThrow(/SYNC_USER1=user:pass/);
    const r = await cli('sync-server', '--port', 'abc');
    expect(r.code).toBe(2);
  });

  it('starts on loopback, prints its URL, serves logins, stops in-process', async () => {
    const out: string[] = [];
    let stop!: (s: string) => void;
    const stopped = new Promise<string>((res) => (stop = res));
    const running = runSyncServer(parseArgs(['--port', '0', '--data-dir', join(dir, 'srv1')], { options: SYNC_SERVER_OPTIONS }), (l) => out.push(l), {
      env: { SYNC_USER1: 'bob:pw1', SYNC_USER2: 'eve:pw2' },
      stop: stopped,
    });
    const [, url] = await waitFor(() => out.join('\n'), /Sync server listening on (http:\/\/127\.0\.0\.1:\d+\/)/, 'sync-server did not start');
    expect(out.join('\n')).toMatch(/users: bob, eve/);
    expect(await login(url, 'eve', 'pw2')).toMatch(/^[0-9a-f]{40}$/);
    stop('SIGTERM');
    expect(await running).toBe(0);
    expect(out.at(-1)).toBe('sync server stopped.');
    await expect(login(url, 'eve', 'pw2')).rejects.toMatchObject({ kind: 'network' });
  });

  it('as a process: SIGINT shuts it down cleanly (exit 0)', async () => {
    const child = spawn(process.execPath, [BIN, 'sync-server', '--port', '0', '--data-dir', join(dir, 'srv2')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SYNC_USER1: `ana:${PASSWORD}` },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const [, url] = await waitFor(() => output, /listening on (http:\/\/127\.0\.0\.1:\d+\/)/, 'sync-server did not start');
    // a Deckhand profile can log in and upload to it
    await cli('add', '--front', 'one', '--back', 'eins', '--data-dir', join(dir, 'd'), '--profile', 'D');
    const r = await cli('sync', '--endpoint', url, '--user', 'ana', '--password', PASSWORD, '--full', 'upload', '--data-dir', join(dir, 'd'), '--profile', 'D');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/full sync: uploaded/);
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(output).toMatch(/SIGINT: stopping the sync server…\nsync server stopped\./);
  });
});
