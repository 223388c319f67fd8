import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Collection } from '../collection/collection';
import { expectCollectionPasses } from '../collection/test-support/check';
import { setConfigJson } from '../config/config-service';
import { addNote } from '../notes/notes-service';
import { backupDateFromName, backupFileName, listBackups, maybeBackup, obsoleteBackups } from './backup';
import { restoreBackup } from './import-export-service';
import { extractPackageCollection, freshCollection } from './test-support';
import { ZipReader } from './zip';

const open: Collection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) if (!c.isClosed) c.close();
});

const LIMITS = { daily: 12, weekly: 10, monthly: 9, minimum_interval_mins: 30 };
const at = (y: number, m: number, d: number, h = 0, mi = 0, s = 0) => ({ date: new Date(y, m - 1, d, h, mi, s) });

describe('backup names', () => {
  it('backup-YYYY-MM-DD-HH.MM.SS.colpkg in local time, and back', () => {
    const d = new Date(2026, 0, 5, 7, 8, 9);
    expect(backupFileName(d)).toBe('backup-2026-01-05-07.08.09.colpkg');
    expect(backupDateFromName('backup-2026-01-05-07.08.09.colpkg')).toEqual(d);
    expect(backupDateFromName('backup-2026-02-30-07.08.09.colpkg')).toBeNull();
    expect(backupDateFromName('collection.colpkg')).toBeNull();
  });
});

describe("thinning (Anki's BackupFilter)", () => {
  it("Anki's manual case: grace period, then daily, weekly, monthly", () => {
    const backups: [{ date: Date }, boolean][] = [
      [at(2022, 2, 22), false],
      [at(2022, 2, 22), false],
      [at(2022, 2, 21), false],
      [at(2022, 2, 20, 6), true],
      [at(2022, 2, 20, 18), false],
      [at(2022, 2, 10), false],
      [at(2022, 2, 9), false],
      [at(2022, 2, 7), true],
      [at(2022, 2, 6, 1), true],
      [at(2022, 2, 6, 2), false],
      [at(2022, 1, 6), false],
      [at(2022, 1, 5), true],
      [at(2021, 12, 24), false],
      [at(2021, 12, 1), true],
      [at(2021, 11, 1), true],
    ];
    const obsolete = obsoleteBackups(
      backups.map((b) => b[0]),
      new Date(2022, 1, 22),
      { daily: 3, weekly: 2, monthly: 1, minimum_interval_mins: 0 },
    );
    expect(obsolete).toEqual(backups.filter((b) => b[1]).map((b) => b[0]));
  });

  it("Anki's generic case: a year of daily backups with the default limits", () => {
    const today = new Date(2022, 0, 1);
    const backups = Array.from({ length: 365 }, (_, i) => ({ date: new Date(2022, 0, 1 - (i + 1)) }));
    const expected: { date: Date }[] = [];
    let i = 1 + LIMITS.daily;
    // weekly: keep the last day of each week (Sunday)
    for (let w = 0; w < LIMITS.weekly; w++) {
      for (; i < backups.length; i++) {
        if (backups[i].date.getDay() === 0) {
          i++;
          break;
        }
        expected.push(backups[i]);
      }
    }
    // monthly: keep the last day of each month
    for (let m = 0; m < LIMITS.monthly; m++) {
      for (; i < backups.length; i++) {
        const next = new Date(backups[i].date);
        next.setDate(next.getDate() + 1);
        if (next.getMonth() !== backups[i].date.getMonth()) {
          i++;
          break;
        }
        expected.push(backups[i]);
      }
    }
    expected.push(...backups.slice(i));
    expect(obsoleteBackups(backups, today, LIMITS)).toEqual(expected);
  });
});

describe('maybeBackup', () => {
  it('backs up a changed collection once per interval (unless forced), thins, lists and restores', async () => {
    const { col, dir } = freshCollection();
    open.push(col);
    const folder = join(dir, 'backups');
    const basic = col.storage.notetypes.all().find((n) => n.name === 'Basic')!;
    addNote(col, { notetypeId: basic.id, deckId: 1, fields: ['first', ''] });
    const first = await maybeBackup(col, folder, { now: new Date(2026, 5, 1, 10, 0, 0) });
    expect(first).toBe(join(folder, 'backup-2026-06-01-10.00.00.colpkg'));
    // unchanged → nothing, even when forced
    expect(await maybeBackup(col, folder, { force: true, now: new Date(2026, 5, 1, 11, 0, 0) })).toBeNull();
    addNote(col, { notetypeId: basic.id, deckId: 1, fields: ['second', ''] });
    // changed, but a backup was made less than 30 minutes ago
    expect(await maybeBackup(col, folder, { now: new Date(2026, 5, 1, 10, 5, 0) })).toBeNull();
    const second = await maybeBackup(col, folder, { force: true, now: new Date(2026, 5, 1, 10, 6, 0) });
    expect(second).toBe(join(folder, 'backup-2026-06-01-10.06.00.colpkg'));
    expect(listBackups(folder).map((b) => b.name)).toEqual(['backup-2026-06-01-10.06.00.colpkg', 'backup-2026-06-01-10.00.00.colpkg']);

    // a latest-format colpkg without media whose collection passes the checker
    const zip = ZipReader.open(second!);
    expect(zip.entries().map((e) => e.name)).toEqual(['meta', 'collection.anki21b', 'collection.anki2', 'media']);
    zip.close();
    expectCollectionPasses(extractPackageCollection(second!).path);

    // old backups beyond the limits are removed after a backup
    writeFileSync(join(folder, 'backup-2020-01-01-10.00.00.colpkg'), 'old');
    writeFileSync(join(folder, 'backup-2020-01-02-10.00.00.colpkg'), 'old');
    setConfigJson(col, 'backups', { daily: 1, weekly: 0, monthly: 0, minimum_interval_mins: 0 });
    await maybeBackup(col, folder, { now: new Date(2026, 5, 1, 12, 0, 0) });
    // today's are always kept; of the older ones, one daily backup (the newest)
    expect(readdirSync(folder).sort()).toEqual(['backup-2020-01-02-10.00.00.colpkg', 'backup-2026-06-01-10.00.00.colpkg', 'backup-2026-06-01-10.06.00.colpkg', 'backup-2026-06-01-12.00.00.colpkg']);

    // restore the first backup: one note
    const restored = await restoreBackup(col, first!);
    open.push(restored);
    expect(restored.db.prepare('SELECT flds FROM notes').pluck().all()).toEqual(['first\x1f']);
  });
});
