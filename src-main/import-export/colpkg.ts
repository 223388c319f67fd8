// Whole-collection packages (.colpkg), as Anki's package/colpkg/{export,import}.rs: export zips
// the collection file (schema 18, or 11 for legacy) with every media file; import *replaces* the
// collection — the package's collection is checked (opened, `scm`/`mod` bumped, integrity_check
// must say "ok"), media restored (latest: skip files whose name and SHA-1 the media DB already
// has; legacy: skip files of the same size), then the file is renamed over the collection.

import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Collection } from '../collection/collection';
import { DeckhandError } from '../collection/errors';
import { type MediaPaths, mediaPathsForCollection, MediaManager } from '../media/media-service';
import { PackageStore } from '../storage/package-store';
import { openDatabase } from '../storage/storage';
import { downgradeFileToSchema11 } from './legacy-schema';
import { corruptPackage, hex, isLegacy, PackageVersion, type PackageMeta, readMediaData, readMediaList, readPackageMeta } from './package-format';
import { extractCollection, openPackageCollection } from './package-reader';
import { makeTempDir, mediaFolderSources, writePackage } from './package-writer';
import { type ExportProgressCallback, type ImportProgressCallback, type ImportStage, ProgressReporter } from './progress';
import { ZipReader } from './zip';

export interface ExportColpkgOptions {
  /** Every file of the media folder. Default true. */
  includeMedia?: boolean;
  /** "Support older Anki versions": schema 11, JSON media map. Default false. */
  legacy?: boolean;
  progress?: ExportProgressCallback;
}

/**
 * A consistent copy of an open collection in `dest` (SQLite online backup), left in WAL mode
 * like Anki's own files.
 */
export async function snapshotCollection(col: Collection, dest: string): Promise<void> {
  col.db.pragma('wal_checkpoint(TRUNCATE)');
  await col.db.backup(dest);
  const db = openDatabase(dest);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/** Exports the whole collection. The collection stays open (Anki closes it; we export a snapshot). */
export async function exportColpkg(col: Collection, outPath: string, opts: ExportColpkgOptions = {}): Promise<{ media: number }> {
  const meta: PackageMeta = { version: opts.legacy ? PackageVersion.Legacy2 : PackageVersion.Latest };
  const tmp = makeTempDir();
  try {
    const copy = join(tmp.dir, 'collection.anki2');
    new ProgressReporter(opts.progress).report('file', 0, undefined, true);
    await snapshotCollection(col, copy);
    if (opts.legacy) downgradeFileToSchema11(copy);
    const media = opts.includeMedia === false ? [] : mediaFolderSources(mediaPathsForCollection(col.path).folder);
    const { mediaCount } = await writePackage({ meta, collectionPath: copy, media, outPath, progress: opts.progress });
    return { media: mediaCount };
  } finally {
    tmp.dispose();
  }
}

export interface ImportColpkgOptions {
  /** Media folder and DB to restore into (default: beside the collection, Anki's layout). */
  media?: MediaPaths;
  progress?: ImportProgressCallback;
}

/** Opens the extracted collection, bumps `scm` and `mod`, and requires integrity_check "ok". */
function checkCollectionAndModSchema(path: string, tmpDir: string): void {
  let col: Collection;
  try {
    col = openPackageCollection(path, tmpDir);
  } catch (e) {
    if (e instanceof DeckhandError && e.code === 'schema-too-new') throw e;
    throw corruptPackage(`its collection cannot be opened: ${(e as Error).message}`);
  }
  try {
    let result: string;
    try {
      new PackageStore(col.db).setModifiedAndSchema(col.clock.nowMs());
      result = col.storage.integrityCheck();
    } catch (e) {
      result = (e as Error).message;
    }
    if (result !== 'ok') throw corruptPackage(`its collection fails the integrity check: ${result.split('\n')[0]}`);
  } finally {
    col.close();
  }
  for (const side of ['-wal', '-shm']) rmSync(path + side, { force: true });
}

/**
 * Replaces the collection at `colPath` (which must not be open) with the package's, restoring
 * its media first. On any error the existing collection is left as it was.
 */
export async function importColpkg(pkgPath: string, colPath: string, opts: ImportColpkgOptions = {}): Promise<{ media: number }> {
  const reporter = new ProgressReporter(opts.progress);
  const zip = ZipReader.open(pkgPath);
  const tmp = makeTempDir();
  mkdirSync(dirname(colPath), { recursive: true });
  const tempCol = join(dirname(colPath), `.${basename(colPath)}.import-${process.pid}-${Date.now()}.tmp`);
  try {
    const meta = readPackageMeta(zip);
    reporter.report('extracting', 0, undefined, true);
    await extractCollection(zip, meta, tempCol, reporter);
    reporter.report('file', 0, undefined, true);
    checkCollectionAndModSchema(tempCol, tmp.dir);
    const restored = restoreMedia(zip, meta, opts.media ?? mediaPathsForCollection(colPath), reporter);
    // a stale WAL beside the old file would be replayed onto the new one
    for (const side of ['-wal', '-shm']) rmSync(colPath + side, { force: true });
    renameSync(tempCol, colPath);
    return { media: restored };
  } finally {
    rmSync(tempCol, { force: true });
    for (const side of ['-wal', '-shm']) rmSync(tempCol + side, { force: true });
    tmp.dispose();
    zip.close();
  }
}

function restoreMedia(zip: ZipReader, meta: PackageMeta, paths: MediaPaths, reporter: ProgressReporter<ImportStage>): number {
  const entries = readMediaList(zip, meta);
  if (!entries.length) return 0;
  mkdirSync(paths.folder, { recursive: true });
  const media = MediaManager.open(paths);
  try {
    let sameAs: (name: string, sha1: Uint8Array | null, size: number) => boolean;
    if (isLegacy(meta)) {
      sameAs = (name, _sha1, size) => {
        try {
          return statSync(join(paths.folder, name)).size === size;
        } catch {
          return false;
        }
      };
    } else {
      reporter.report('mediaCheck', 0, undefined, true);
      media.registerChanges();
      sameAs = (name, sha1) => sha1 !== null && media.entry(name)?.sha1 === hex(sha1);
    }
    const tick = reporter.counter('media', entries.length);
    let restored = 0;
    for (const entry of entries) {
      tick();
      const zipEntry = zip.entry(entry.zipName);
      if (!zipEntry) throw new DeckhandError('corrupt', `media file ${entry.zipName} (${entry.name}) is missing from the package`);
      const size = isLegacy(meta) ? zipEntry.size : entry.size;
      if (sameAs(entry.name, entry.sha1, size)) continue;
      const data = readMediaData(zip, meta, entry);
      const dest = join(paths.folder, entry.name);
      const part = join(paths.folder, `.restore-${process.pid}-${restored}.tmp`);
      try {
        writeFileSync(part, data);
        renameSync(part, dest);
      } catch (e) {
        rmSync(part, { force: true });
        throw new DeckhandError('io', `Failed to restore media file ${entry.name}: ${(e as Error).message}`);
      }
      restored++;
    }
    return restored;
  } finally {
    media.close();
  }
}
