// Importing an .apkg with Anki's rules (package/apkg/import/{mod,media,notes,decks,cards}.rs):
// the package's collection is opened and gathered like an export (so scheduling is stripped
// unless `withScheduling`), then in one undoable operation: media prepared (existing identical
// files reused, different ones renamed `stem-<sha1>.ext`), notetypes matched by id (updated,
// duplicated on a schema change, or merged), notes matched by guid (added, updated per the update
// condition, or logged as duplicate/conflicting), decks matched by name, deck configs added if
// their id is free, cards added where the note lacks that ordinal (due dates shifted to the
// target's day), revlog for added cards, and the media that is used copied into the folder.
//
// The steps are in apkg-import-{media,notetypes,notes,decks,cards}; their shared state in
// apkg-import-context.

import { join } from 'node:path';
import type { Collection } from '../collection/collection';
import { DeckhandError } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { TxOptions } from '../collection/tx';
import { schedulerVersion, setConfigInTx } from '../config/config-service';
import { MediaManager } from '../media/media-service';
import { PackageStore } from '../storage/package-store';
import { importCardsAndRevlog } from './apkg-import-cards';
import { type ImportContext, type ImportApkgOptions, shouldUpdate, type UpdateCondition } from './apkg-import-context';
import { importDecksAndConfigs } from './apkg-import-decks';
import { copyMedia, prepareMedia } from './apkg-import-media';
import { importNotes } from './apkg-import-notes';
import { importNotetypes } from './apkg-import-notetypes';
import { type ExchangeData, gatherData } from './exchange';
import { emptyImportLog, type ImportLog } from './import-log';
import { type PackageMeta, readPackageMeta } from './package-format';
import { extractCollection, maybeFixInvalidIds, maybeUpgradeScheduler, openPackageCollection } from './package-reader';
import { makeTempDir } from './package-writer';
import { type ImportStage, ProgressReporter } from './progress';
import { ZipReader } from './zip';

export { type ImportApkgOptions, shouldUpdate, type UpdateCondition };

/** Serde names of Anki's `ImportAnkiPackageUpdateCondition`, as stored in the config. */
const CONDITION_CONFIG: Record<UpdateCondition, string> = { ifNewer: 'IfNewer', always: 'Always', never: 'Never' };

// ---------------------------------------------------------------------------------------------
// Reading the package

export interface OpenedPackage {
  zip: ZipReader;
  meta: PackageMeta;
  data: ExchangeData;
}

/** Opens the package and gathers its contents as Anki's `gather_from_archive` does. */
export async function readApkg(path: string, withScheduling: boolean, withDeckConfigs: boolean, reporter: ProgressReporter<ImportStage>, nowMs: number): Promise<OpenedPackage> {
  const zip = ZipReader.open(path);
  const tmp = makeTempDir();
  try {
    const meta = readPackageMeta(zip);
    const colPath = join(tmp.dir, 'package.anki2');
    reporter.report('extracting', 0, undefined, true);
    await extractCollection(zip, meta, colPath, reporter);
    const pkg = openPackageCollection(colPath, tmp.dir);
    try {
      maybeFixInvalidIds(pkg);
      maybeUpgradeScheduler(pkg);
      reporter.report('gathering', 0, undefined, true);
      const data = gatherData(pkg, { all: true }, withScheduling, withDeckConfigs, nowMs);
      return { zip, meta, data };
    } finally {
      pkg.close();
    }
  } catch (e) {
    zip.close();
    throw e;
  } finally {
    tmp.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// The import

export interface ApkgImportResult {
  log: ImportLog;
  media: number;
}

/** Imports an .apkg into an open collection (one undoable "Import" step). */
export async function importApkg(col: Collection, path: string, options: ImportApkgOptions = {}): Promise<OpResult<ApkgImportResult>> {
  const opts = {
    mergeNotetypes: options.mergeNotetypes ?? false,
    updateNotes: options.updateNotes ?? 'ifNewer',
    updateNotetypes: options.updateNotetypes ?? 'ifNewer',
    withScheduling: options.withScheduling ?? false,
    withDeckConfigs: options.withDeckConfigs ?? false,
  } as const;
  const reporter = new ProgressReporter(options.progress);
  if (schedulerVersion(col) === 1)
    throw new DeckhandError('invalid-input', 'This collection still uses the v1 scheduler. Please upgrade to the v3 scheduler (Preferences ▸ Scheduling) before importing.');
  const pkg = await readApkg(path, opts.withScheduling, opts.withDeckConfigs, reporter, col.clock.nowMs());
  const media = MediaManager.forCollection(col.path);
  try {
    const txOpts: TxOptions = {};
    let copied = 0;
    const r = col.transact(
      'Import',
      (tx) => {
        setConfigInTx(tx, 'mergeNotetypes', opts.mergeNotetypes);
        setConfigInTx(tx, 'withScheduling', opts.withScheduling);
        setConfigInTx(tx, 'withDeckConfigs', opts.withDeckConfigs);
        setConfigInTx(tx, 'updateNotes', CONDITION_CONFIG[opts.updateNotes]);
        setConfigInTx(tx, 'updateNotetypes', CONDITION_CONFIG[opts.updateNotetypes]);
        const store = new PackageStore(tx.storage.db);
        const ctx: ImportContext = {
          tx,
          store,
          opts,
          mediaMap: prepareMedia(pkg.zip, pkg.meta, media, reporter),
          log: emptyImportLog(),
          normalize: tx.storage.config.get<boolean>('normalize_note_text') !== false,
          targetNotetypes: tx.storage.notetypes.all().map((nt) => structuredClone(nt)),
          remappedNotetypes: new Map(),
          remappedFields: new Map(),
          remappedTemplates: new Map(),
          mergedNotetypes: new Set(),
          noteIdMap: new Map(),
          targetNoteIds: store.allNoteIds(),
        };
        const notetypeOfSourceNote = new Map(pkg.data.notes.map((n) => [n.id, n.notetypeId]));
        importNotetypes(ctx, pkg.data.notetypes);
        importNotes(ctx, pkg.data.notes, reporter);
        const deckMap = importDecksAndConfigs(ctx, pkg.data);
        importCardsAndRevlog(ctx, pkg.data, deckMap, notetypeOfSourceNote);
        copied = copyMedia(pkg.zip, pkg.meta, media, ctx.mediaMap, reporter);
        return ctx.log;
      },
      txOpts,
    );
    return { result: { log: r.result, media: copied }, changes: r.changes };
  } finally {
    media.close();
    pkg.zip.close();
  }
}
