// The options of an .apkg import and the state its steps share (what was remapped, added or
// logged so far).

import type { Tx } from '../collection/tx';
import type { Notetype } from '../notetypes/notetype';
import type { PackageStore } from '../storage/package-store';
import type { MediaUseMap } from './apkg-import-media';
import type { ImportLog } from './import-log';
import type { ImportProgressCallback } from './progress';

/** When an incoming note or notetype replaces the one already in the collection. */
export type UpdateCondition = 'ifNewer' | 'always' | 'never';

export interface ImportApkgOptions {
  /** Merge notetypes with the same original id instead of keeping a copy per schema. Default false. */
  mergeNotetypes?: boolean;
  /** Default 'ifNewer'. */
  updateNotes?: UpdateCondition;
  /** Default 'ifNewer'. */
  updateNotetypes?: UpdateCondition;
  /** Keep review state, revlog and filtered decks from the package. Default false. */
  withScheduling?: boolean;
  /** Add the package's deck options presets (when their id is free). Default false. */
  withDeckConfigs?: boolean;
  progress?: ImportProgressCallback;
}

export function shouldUpdate(cond: UpdateCondition, existingMtime: number, incomingMtime: number): boolean {
  switch (cond) {
    case 'ifNewer':
      return existingMtime < incomingMtime;
    case 'always':
      return existingMtime !== incomingMtime;
    case 'never':
      return false;
  }
}

/**
 * Runs `fn` with the transaction keeping the stamps the caller set (incoming `mod`, usn −1)
 * instead of stamping "now". Relies on `Collection.transact` handing its options object to the Tx.
 */
export function keepingStamps<T>(tx: Tx, fn: () => T): T {
  const opts = tx.opts as { keepStamps?: boolean };
  const before = opts.keepStamps;
  opts.keepStamps = true;
  try {
    return fn();
  } finally {
    opts.keepStamps = before;
  }
}

export interface ImportContext {
  tx: Tx;
  store: PackageStore;
  opts: Required<Omit<ImportApkgOptions, 'progress'>>;
  mediaMap: MediaUseMap;
  log: ImportLog;
  normalize: boolean;
  /** Notetypes of the target before anything was imported. */
  targetNotetypes: Notetype[];
  remappedNotetypes: Map<number, number>;
  remappedFields: Map<number, (number | null)[]>;
  remappedTemplates: Map<number, Map<number, number>>;
  mergedNotetypes: Set<number>;
  /** source note id → target note id, for notes added, updated or found as duplicates. */
  noteIdMap: Map<number, number>;
  targetNoteIds: Set<number>;
}
