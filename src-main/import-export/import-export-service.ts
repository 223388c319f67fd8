// Import/export entry points for the adapters (AnkiConnect `exportPackage`/`importPackage`, the
// CLI, the desktop app). Each function takes the open collection; whole-collection imports and
// backup restores replace the collection file, so they close it and return the reopened one.

import { copyFileSync, existsSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { Collection, type OpenOptions } from '../collection/collection';
import { DeckhandError } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import { getConfig } from '../config/config-service';
import { getDeckByName } from '../decks/decks-service';
import { mediaPathsForCollection } from '../media/media-service';
import { type ApkgImportResult, type ImportApkgOptions, importApkg, type UpdateCondition } from './apkg-import';
import { type ExportApkgOptions, exportApkg, type ExportResult, type ExportSelection } from './apkg-export';
import { type BackupInfo, listBackups, maybeBackup } from './backup';
import { type ExportColpkgOptions, exportColpkg, importColpkg } from './colpkg';
import { exclusive, type OpenProfile } from '../host/open-profile';
import { makeTempDir } from './package-writer';
import { type CsvImportOptions, type CsvMetadata, type CsvMetadataRequest, getCsvMetadata, importCsv } from './csv/csv-import';
import type { ImportLog } from './import-log';
import type { ImportProgressCallback } from './progress';

export type { ExportSelection, ExportApkgOptions, ExportResult } from './apkg-export';
export type { ImportApkgOptions, UpdateCondition, ApkgImportResult } from './apkg-import';
export type { ExportColpkgOptions } from './colpkg';
export type { CsvMetadata, CsvMetadataRequest, Delimiter, MatchScope, CsvDeck, CsvNotetype } from './csv/csv-import';
export type { ImportLog, ImportLogNote, DupeResolution } from './import-log';
export type { BackupInfo } from './backup';
export type { ImportProgressCallback, ExportProgressCallback, Progress } from './progress';
export { obsoleteBackups, backupFileName, schedulePeriodicBackups } from './backup';

/** What a file is, by its extension, as Anki's import dialog decides. */
export type ImportKind = 'apkg' | 'colpkg' | 'csv';

export function importKindOf(path: string): ImportKind {
  const lower = path.toLowerCase();
  if (lower.endsWith('.colpkg')) return 'colpkg';
  if (lower.endsWith('.apkg') || lower.endsWith('.zip')) return 'apkg';
  if (/\.(csv|tsv|txt)$/.test(lower)) return 'csv';
  throw new DeckhandError('invalid-input', `Deckhand cannot import "${path}": expected an .apkg, .colpkg, .csv, .tsv or .txt file`);
}

// ---------------------------------------------------------------------------------------------
// Export

/** Exports notes as an .apkg (see {@link ExportSelection}). */
export function exportDeckPackage(col: Collection, outPath: string, selection: ExportSelection, opts: ExportApkgOptions = {}): Promise<ExportResult> {
  return exportApkg(col, outPath, selection, opts);
}

/** Exports the whole collection as a .colpkg (the collection stays open). */
export function exportCollectionPackage(col: Collection, outPath: string, opts: ExportColpkgOptions = {}): Promise<{ media: number }> {
  return exportColpkg(col, outPath, opts);
}

// ---------------------------------------------------------------------------------------------
// Import

/** The options Anki's .apkg import screen starts with: the ones last used (config), else defaults. */
export function importPresets(col: Collection): Required<Omit<ImportApkgOptions, 'progress'>> {
  const cond = (key: string): UpdateCondition => {
    const v = col.storage.config.get<unknown>(key);
    return v === 'Always' ? 'always' : v === 'Never' ? 'never' : 'ifNewer';
  };
  return {
    mergeNotetypes: getConfig(col, 'mergeNotetypes'),
    withScheduling: getConfig(col, 'withScheduling'),
    withDeckConfigs: getConfig(col, 'withDeckConfigs'),
    updateNotes: cond('updateNotes'),
    updateNotetypes: cond('updateNotetypes'),
  };
}

/** Imports an .apkg into the open collection (one undoable step). */
export function importDeckPackage(col: Collection, path: string, opts: ImportApkgOptions = {}): Promise<OpResult<ApkgImportResult>> {
  return importApkg(col, path, opts);
}

/**
 * Replaces the collection with a .colpkg: the open collection is closed, the package checked and
 * its media restored, the file swapped in, and the collection reopened (also when the import
 * fails, in which case the old collection is unchanged). Returns the reopened collection.
 */
export async function importCollectionPackage(col: Collection, path: string, opts: { progress?: ImportProgressCallback; open?: OpenOptions } = {}): Promise<Collection> {
  const colPath = col.path;
  const clock = col.clock;
  col.close();
  let failure: unknown;
  try {
    await importColpkg(path, colPath, { media: mediaPathsForCollection(colPath), progress: opts.progress });
  } catch (e) {
    failure = e;
  }
  const reopened = Collection.open(colPath, { clock, ...opts.open });
  if (failure) {
    reopened.close();
    throw failure;
  }
  return reopened;
}

export function csvMetadata(col: Collection, path: string, req: CsvMetadataRequest = {}): CsvMetadata {
  return getCsvMetadata(col, path, req);
}

/** Imports a CSV/TSV file; metadata defaults to what the file's header and contents imply. */
export function importTextFile(col: Collection, path: string, metadata?: CsvMetadata, opts: CsvImportOptions = {}): OpResult<ImportLog> {
  return importCsv(col, path, metadata ?? getCsvMetadata(col, path), opts);
}

// ---------------------------------------------------------------------------------------------
// Backups (the profile's `backups/` folder)

export function createBackup(col: Collection, backupFolder: string, opts: { force?: boolean } = {}): Promise<string | null> {
  return maybeBackup(col, backupFolder, opts);
}

export function backups(backupFolder: string): BackupInfo[] {
  return listBackups(backupFolder);
}

/** Restores a backup (a .colpkg): like a whole-collection import. Returns the reopened collection. */
export function restoreBackup(col: Collection, backupPath: string, opts: { progress?: ImportProgressCallback } = {}): Promise<Collection> {
  return importCollectionPackage(col, backupPath, opts);
}

// ---------------------------------------------------------------------------------------------
// Replacing an open profile's collection

export interface ReplaceOptions {
  progress?: ImportProgressCallback;
  /** Back up the current collection first (default true; skipped when nothing changed since the last backup). */
  backup?: boolean;
}

/**
 * Replaces an open profile's collection with a .colpkg (an import of a whole collection, or a
 * backup restore): never during a sync; the current collection is backed up first (the package
 * is copied aside before, so thinning cannot remove a backup being restored); then the profile's
 * collection becomes the reopened one — `session.col` is the new instance and its listeners are
 * told, also when the import failed (the old collection, unchanged, reopened).
 */
export function replaceProfileCollection(session: OpenProfile, packagePath: string, opts: ReplaceOptions = {}): Promise<{ backupPath: string | null }> {
  return exclusive(session, async () => {
    const path = resolve(packagePath);
    if (!existsSync(path)) throw new DeckhandError('not-found', `no such file: ${path}`);
    const tmp = makeTempDir('deckhand-replace-');
    try {
      const source = join(tmp.dir, basename(path));
      copyFileSync(path, source);
      const col = session.col;
      const backupPath = opts.backup === false ? null : await maybeBackup(col, session.info.backupsDir, { force: true });
      const colPath = col.path;
      const clock = col.clock;
      col.close();
      let failure: unknown;
      try {
        await importColpkg(source, colPath, { media: mediaPathsForCollection(colPath), progress: opts.progress });
      } catch (e) {
        failure = e;
      }
      session.replaceCollection(Collection.open(colPath, { clock, backupDir: session.info.backupsDir }));
      if (failure) throw failure;
      return { backupPath };
    } finally {
      tmp.dispose();
    }
  });
}

/** Restores one of the profile's backups (see `replaceProfileCollection`). */
export function restoreProfileBackup(session: OpenProfile, backupPath: string, opts: ReplaceOptions = {}): Promise<{ backupPath: string | null }> {
  return replaceProfileCollection(session, backupPath, opts);
}

// ---------------------------------------------------------------------------------------------
// AnkiConnect

/**
 * AnkiConnect `exportPackage`: the deck (with subdecks) and its media as an .apkg every Anki
 * reads (legacy format, as upstream's legacy exporter); `includeSched` keeps review state,
 * revlog and the decks' presets. `false` when no deck has that name.
 */
export async function ankiConnectExportPackage(col: Collection, params: { deck: string; path: string; includeSched?: boolean }): Promise<boolean> {
  const deck = getDeckByName(col, params.deck);
  if (!deck) return false;
  const sched = params.includeSched ?? false;
  await exportApkg(col, resolve(params.path), { deckId: deck.id }, { withScheduling: sched, withDeckConfigs: sched, withMedia: true, legacy: true });
  return true;
}

/**
 * AnkiConnect `importPackage`: a relative path is taken from the media folder (as AnkiConnect
 * documents); the scheduling and presets the package carries are kept, as upstream's importer
 * does. Returns true.
 */
export async function ankiConnectImportPackage(col: Collection, params: { path: string }): Promise<boolean> {
  const path = isAbsolute(params.path) ? params.path : join(mediaPathsForCollection(col.path).folder, params.path);
  await importApkg(col, path, { withScheduling: true, withDeckConfigs: true });
  return true;
}
