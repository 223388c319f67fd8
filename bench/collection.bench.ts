// Issue 2 figures: adding 10,000 Basic notes in one operation, and loading 100,000 notes' fields,
// each against raw better-sqlite3 statements doing the equivalent rows in the same run.
// Run: npx tsx bench/collection.bench.ts
import { join } from 'node:path';
import { Collection } from '../src-main/collection/collection';
import { addNotes } from '../src-main/notes/notes-service';
import { OriginalStockKind } from '../src-main/storage/proto/messages';
import { fieldChecksum } from '../src-main/text/checksum';
import { benchDir, report, timeMedian } from './support';

const N_ADD = 10_000;
const N_LOAD = 100_000;

function basicId(col: Collection): number {
  return col.storage.notetypes.all().find((n) => n.config.originalStockKind === OriginalStockKind.Basic)!.id;
}

function benchAdd(): void {
  let i = 0;
  const engine = timeMedian(
    () => {
      const col = Collection.create(join(benchDir(), `add-${i++}.anki2`));
      const nt = basicId(col);
      addNotes(
        col,
        Array.from({ length: N_ADD }, (_, k) => ({ notetypeId: nt, deckId: 1, fields: [`front ${k} <b>bold</b>`, `back ${k}`], tags: ['bench'] })),
      );
      col.close();
    },
    3,
  );
  let j = 0;
  const raw = timeMedian(
    () => {
      // The same rows (note + card each, with checksum and sort field) written by hand-made statements.
      const col = Collection.create(join(benchDir(), `raw-${j++}.anki2`));
      const nt = basicId(col);
      const db = col.db;
      const insNote = db.prepare('INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, ?)');
      const insCard = db.prepare("INSERT INTO cards VALUES (?, ?, 1, 0, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '{}')");
      const now = Date.now();
      db.transaction(() => {
        for (let k = 0; k < N_ADD; k++) {
          const front = `front ${k} <b>bold</b>`;
          insNote.run(now + k, `g${k}`, nt, Math.floor(now / 1000), ' bench ', `${front}\x1fback ${k}`, `front ${k} bold`, fieldChecksum(front), '');
          insCard.run(now + k, now + k, Math.floor(now / 1000), k + 1);
        }
      })();
      col.close();
    },
    3,
  );
  report({ name: `add ${N_ADD} Basic notes (one operation)`, ms: engine, baselineName: 'raw inserts', baselineMs: raw, target: '< 1000 ms, < 2x' });
}

function benchLoad(): void {
  const col = Collection.create(join(benchDir(), 'load.anki2'));
  const nt = basicId(col);
  for (let b = 0; b < N_LOAD / 10_000; b++)
    addNotes(
      col,
      Array.from({ length: 10_000 }, (_, k) => ({ notetypeId: nt, deckId: 1, fields: [`front ${b}-${k}`, `back ${k}`] })),
    );
  const ids = col.storage.notes.allIds();
  const engine = timeMedian(() => {
    const notes = col.storage.notes.getMany(ids);
    if (notes.length !== N_LOAD) throw new Error('wrong count');
  });
  // Baseline: the same rows (a note's columns, by id) through one hand-written statement, fields split.
  const rawStmt = col.db.prepare('SELECT id, guid, mid, mod, usn, tags, flds FROM notes WHERE id IN (SELECT value FROM json_each(?))');
  const raw = timeMedian(() => {
    const rows = rawStmt.all(JSON.stringify(ids)) as { flds: string }[];
    const fields = rows.map((r) => r.flds.split('\x1f'));
    if (fields.length !== N_LOAD) throw new Error('wrong count');
  });
  report({ name: `load ${N_LOAD} notes' fields (by id)`, ms: engine, baselineName: 'raw select by id + split', baselineMs: raw, target: '< 2x' });
  col.close();
}

benchAdd();
benchLoad();
