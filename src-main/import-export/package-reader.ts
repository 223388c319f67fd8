// Opening the collection inside a package: the right entry for its version, decompressed to a
// temporary file and opened (schema-11 files are upgraded as they open), then the repairs Anki
// makes before gathering (ids in the future, v1 scheduling).

import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createZstdDecompress } from 'node:zlib';
import { CardQueue, CardType } from '../cards/card';
import { queueFromType } from '../cards/cards-service';
import { Collection } from '../collection/collection';
import { DeckhandError } from '../collection/errors';
import { getConfig } from '../config/config-service';
import { localMinutesWest } from '../scheduler/timing';
import { cardFromRow } from '../storage/card-store';
import { PackageStore } from '../storage/package-store';
import { collectionEntryName, corruptPackage, type PackageMeta, zstdCompressed } from './package-format';
import type { ImportStage, ProgressReporter } from './progress';
import type { ZipReader } from './zip';

/** Streams the package's collection entry (decompressed) into `dest`. */
export async function extractCollection(zip: ZipReader, meta: PackageMeta, dest: string, reporter?: ProgressReporter<ImportStage>): Promise<void> {
  const name = collectionEntryName(meta);
  const entry = zip.entry(name);
  if (!entry) throw corruptPackage(`it holds no collection (${name} is missing)`);
  let done = 0;
  const counted = async function* (src: AsyncIterable<Uint8Array>) {
    for await (const c of src) {
      done += c.length;
      reporter?.report('extracting', done);
      yield c;
    }
  };
  const source = Readable.from(counted(zip.stream(name)));
  try {
    if (zstdCompressed(meta)) await pipeline(source, createZstdDecompress(), createWriteStream(dest));
    else await pipeline(source, createWriteStream(dest));
  } catch (e) {
    if (e instanceof DeckhandError) throw e;
    throw corruptPackage(`the collection cannot be extracted: ${(e as Error).message}`);
  }
}

/** Opens an extracted package collection, turning "not a collection" into a package error. */
export function openPackageCollection(path: string, tmpDir: string): Collection {
  try {
    return Collection.open(path, { backupDir: join(tmpDir, 'upgrade-backup') });
  } catch (e) {
    if (e instanceof DeckhandError && (e.code === 'not-a-collection' || e.code === 'corrupt')) throw corruptPackage(`its collection cannot be read: ${e.message}`);
    throw e;
  }
}

/** Anki's `maybe_fix_invalid_ids`: ids more than a day ahead get fresh ones (and the schema is marked changed). */
export function maybeFixInvalidIds(col: Collection): number {
  const store = new PackageStore(col.db);
  const now = col.clock.nowMs();
  const tomorrow = now + 86_400_000;
  const n = store.invalidIdCount(tomorrow);
  if (n > 0) {
    col.db.transaction(() => {
      store.fixInvalidIds(tomorrow, now);
      store.setSchemaModified(now);
    })();
  }
  return n;
}

/**
 * Anki's `maybe_upgrade_scheduler`: a package on the v1 scheduler with any card outside the new
 * queue is upgraded to v2 (review log eases, relearning card types, filtered-deck cards,
 * `schedVer`, `creationOffset`).
 */
export function maybeUpgradeScheduler(col: Collection): boolean {
  const store = new PackageStore(col.db);
  if (!store.anyCardNotNew()) return false;
  if (getConfig(col, 'schedVer') === 2) return false;
  col.transact(
    'Upgrade Scheduler',
    (tx) => {
      store.upgradeRevlogToV2();
      const decks = new Map(tx.storage.decks.all().map((d) => [d.id, d]));
      for (const row of store.cardsForV2Upgrade()) {
        const card = cardFromRow(row);
        if (card.ctype === CardType.Review && (card.queue === CardQueue.Learn || card.queue === CardQueue.DayLearn)) card.ctype = CardType.Relearn;
        if (card.originalDeckId !== 0) {
          const deck = decks.get(card.deckId);
          const filtered = deck?.kind.filtered;
          if (filtered) {
            if (filtered.delays.length > 0) {
              const home = decks.get(card.originalDeckId);
              const confId = home?.kind.normal ? Number(home.kind.normal.configId) : 1;
              const conf = tx.storage.deckConfigs.get(confId);
              const steps = conf ? (card.ctype === CardType.Review ? conf.config.relearnSteps.length : conf.config.learnSteps.length) : 0;
              card.remainingSteps = Math.min(card.remainingSteps, steps);
            }
            if (filtered.reschedule) {
              if (card.queue === CardQueue.New && card.ctype !== CardType.New) card.queue = queueFromType(card);
            } else {
              if (card.queue === CardQueue.New) card.queue = CardQueue.Review;
              if (card.ctype === CardType.Learn) {
                card.queue = CardQueue.Preview;
                card.ctype = CardType.New;
              }
            }
          }
        }
        tx.putCard(card);
      }
      tx.setConfig('schedVer', 2);
      if (getConfig(tx, 'creationOffset') === null) tx.setConfig('creationOffset', localMinutesWest(tx.storage.col.get().crt));
      tx.markSchemaChanged();
    },
    { keepStamps: true, undoable: false },
  );
  return true;
}
