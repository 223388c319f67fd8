// Sync figures, against a self-hosted server on loopback in the same process:
//  1. the first full download of a 100,000-card collection, against copying the same file locally
//     (`VACUUM INTO`, and a plain file copy) in the same run;
//  2. a normal sync with 1,000 changed cards (sent by one client, received by the other), against
//     a local UPDATE of the same 1,000 rows plus reading them back.
// Run: npx tsx bench/sync.bench.ts
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Collection } from '../src-main/collection/collection';
import { addNotes } from '../src-main/notes/notes-service';
import { login } from '../src-main/sync/sync-client';
import { startSyncServer } from '../src-main/sync/sync-server';
import { syncCollection } from '../src-main/sync/sync-service';
import { benchDir, report } from './support';

const N_CARDS = 100_000;
const N_CHANGED = 1_000;
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median of `runs` timings of `fn`, each after an untimed `setup` (plus one warm-up run). */
async function timeWithSetup(setup: () => void | Promise<void>, fn: () => Promise<void> | void, runs = RUNS): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i <= runs; i++) {
    await setup();
    const s = performance.now();
    await fn();
    if (i > 0) t.push(performance.now() - s);
  }
  return median(t);
}

function removeDb(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) rmSync(p, { force: true });
}

async function main(): Promise<void> {
  const dir = benchDir();
  const server = await startSyncServer({ port: 0, dataDir: join(dir, 'server'), users: ['bench:bench'] });
  const endpoint = server.url;
  const hostKey = await login(endpoint, 'bench', 'bench');
  const opts = { endpoint, hostKey, media: false } as const;

  // A: 100,000 Basic notes (one card each), uploaded once (not timed)
  const A = Collection.create(join(dir, 'a', 'collection.anki2'));
  const nt = A.storage.notetypes.all()[0].id;
  for (let b = 0; b < N_CARDS / 10_000; b++)
    addNotes(
      A,
      Array.from({ length: 10_000 }, (_, k) => ({ notetypeId: nt, deckId: 1, fields: [`front ${b}-${k} <b>bold</b>`, `back ${b}-${k}`], tags: ['bench'] })),
    );
  if (A.storage.cards.count() !== N_CARDS) throw new Error('wrong card count');
  if ((await syncCollection(A, { ...opts, fullSync: 'upload' })).outcome !== 'uploaded') throw new Error('upload failed');
  console.log(`collection: ${N_CARDS} cards, ${(statSync(A.path).size / 2 ** 20).toFixed(1)} MB`);

  // 1. first full download into an empty collection
  let n = 0;
  let target = '';
  let B: Collection | null = null;
  const download = await timeWithSetup(
    () => {
      B?.close();
      target = join(dir, `b${n++}`, 'collection.anki2');
      B = Collection.create(target);
    },
    async () => {
      const r = await syncCollection(B!, { ...opts, fullSync: 'download', inspectRemote: false });
      if (r.outcome !== 'downloaded' || r.collection.storage.cards.count() !== N_CARDS) throw new Error('download failed');
      B = r.collection;
    },
  );
  // A had to sync after each download bumped the server (a download changes its usn/mod)
  await syncCollection(A, opts);
  let k = 0;
  const vacuum = await timeWithSetup(
    () => undefined,
    () => {
      const p = join(dir, `vac-${k++}.anki2`);
      A.db.prepare('VACUUM INTO ?').run(p);
      const c = Collection.open(p);
      if (c.storage.cards.count() !== N_CARDS) throw new Error('copy failed');
      c.close();
      removeDb(p);
    },
  );
  A.db.pragma('wal_checkpoint(TRUNCATE)');
  const copy = await timeWithSetup(
    () => undefined,
    () => {
      const p = join(dir, `copy-${k++}.anki2`);
      copyFileSync(A.path, p);
      removeDb(p);
    },
  );
  report({ name: `first full download, ${N_CARDS} cards`, ms: download, baselineName: 'VACUUM INTO + open', baselineMs: vacuum });
  report({ name: `first full download, ${N_CARDS} cards`, ms: download, baselineName: 'file copy', baselineMs: copy });

  // 2. normal sync of 1,000 changed cards: A sends, B receives
  const Bc = B! as Collection;
  if ((await syncCollection(Bc, opts)).outcome === 'full-sync-required') throw new Error('B is not in step');
  const ids = (A.db.prepare('SELECT id FROM cards ORDER BY id LIMIT ?').pluck().all(N_CHANGED) as number[]).map(Number);
  let round = 0;
  const change = () => {
    round++;
    A.transact('Bench', (tx) => {
      for (const id of ids) {
        const c = tx.storage.cards.get(id)!;
        c.due = 1_000 + round;
        tx.putCard(c);
      }
    });
  };
  const receive: number[] = [];
  const send = await timeWithSetup(async () => {
    await new Promise((r) => setTimeout(r, 3));
    change();
  }, async () => {
    const r = await syncCollection(A, opts);
    if (r.outcome !== 'normal-sync') throw new Error(`A: ${r.outcome}`);
  });
  // B receives each round's change (timed separately)
  for (let i = 0; i <= RUNS; i++) {
    // The protocol calls two sides "in step" when their mod stamps (ms) are equal, so a change
    // in the very millisecond of the previous sync's finish would look like no change at all.
    await new Promise((r) => setTimeout(r, 3));
    change();
    const ra = await syncCollection(A, opts);
    if (ra.outcome !== 'normal-sync') throw new Error(`A: ${ra.outcome}`);
    const s = performance.now();
    const r = await syncCollection(Bc, opts);
    if (i > 0) receive.push(performance.now() - s);
    if (r.outcome !== 'normal-sync') throw new Error(`B: ${r.outcome}`);
  }
  const due = Bc.db.prepare(`SELECT count(*) FROM cards WHERE id IN (${ids.join(',')}) AND due = ?`).pluck().get(1_000 + round) as number;
  if (due !== N_CHANGED) throw new Error(`B has ${due} of the changed cards`);

  const local = await timeWithSetup(
    () => undefined,
    () => {
      const upd = A.db.prepare('UPDATE cards SET due = ?, mod = ?, usn = -1 WHERE id = ?');
      const now = Math.floor(Date.now() / 1000);
      A.db.transaction(() => {
        round++;
        for (const id of ids) upd.run(1_000 + round, now, id);
      })();
      const rows = A.db.prepare(`SELECT * FROM cards WHERE id IN (${ids.join(',')})`).all();
      if (rows.length !== N_CHANGED) throw new Error('wrong row count');
    },
  );
  report({ name: `normal sync, ${N_CHANGED} changed cards sent`, ms: send, baselineName: 'local UPDATE + read', baselineMs: local });
  report({ name: `normal sync, ${N_CHANGED} changed cards received`, ms: median(receive), baselineName: 'local UPDATE + read', baselineMs: local });

  A.close();
  Bc.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
