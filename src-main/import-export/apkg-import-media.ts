// The package's media: which incoming files are new, identical to one already present (reused) or
// different (renamed `stem-<sha1>.ext`), and copying the ones notes use into the media folder.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeckhandError } from '../collection/errors';
import { addHashSuffixToFileStem, sha1Hex } from '../media/filenames';
import { type MediaManager, mtimeMs } from '../media/media-service';
import { hex, type PackageMediaEntry, type PackageMeta, readMediaData, readMediaList, sha1Bytes } from './package-format';
import type { ImportStage, ProgressReporter } from './progress';
import type { ZipReader } from './zip';

interface CheckedEntry {
  used: boolean;
  entry: PackageMediaEntry;
}

/** Anki's `MediaUseMap`: incoming files not already present, keyed by their original name. */
export class MediaUseMap {
  readonly checked = new Map<string, CheckedEntry>();
  readonly unchecked: PackageMediaEntry[] = [];

  use(name: string): PackageMediaEntry | undefined {
    const c = this.checked.get(name);
    if (!c) return undefined;
    c.used = true;
    return c.entry;
  }

  *usedEntries(): Generator<PackageMediaEntry> {
    for (const c of this.checked.values()) if (c.used) yield c.entry;
    yield* this.unchecked;
  }
}

/**
 * The media DB's checksums. Anki looks names up lower-cased (case-insensitive file systems); we
 * try the exact name first, then a case-folded match, so a same-named file that differs only in
 * case is compared rather than overwritten.
 */
class Checksums {
  private readonly exact = new Map<string, string>();
  private readonly folded = new Map<string, string>();

  constructor(entries: Iterable<{ fname: string; sha1: string | null }>) {
    for (const e of entries) {
      if (!e.sha1) continue;
      this.exact.set(e.fname, e.sha1);
      if (!this.folded.has(e.fname.toLowerCase())) this.folded.set(e.fname.toLowerCase(), e.sha1);
    }
  }

  get(name: string): string | undefined {
    return this.exact.get(name) ?? this.folded.get(name.toLowerCase());
  }
}

const isStaticMedia = (name: string) => name.startsWith('_') || name.startsWith('latex-');

export function prepareMedia(zip: ZipReader, meta: PackageMeta, media: MediaManager, reporter: ProgressReporter<ImportStage>): MediaUseMap {
  const map = new MediaUseMap();
  const entries = readMediaList(zip, meta);
  if (!entries.length) return map;
  reporter.report('mediaCheck', 0, undefined, true);
  media.registerChanges();
  const existing = new Checksums(media.db.allEntries());
  const tick = reporter.counter('mediaCheck', entries.length);
  for (const entry of entries) {
    tick();
    if (isStaticMedia(entry.name)) {
      if (existing.get(entry.name) === undefined) map.unchecked.push(entry);
      continue;
    }
    const other = existing.get(entry.name);
    if (other !== undefined) {
      if (!entry.sha1) entry.sha1 = sha1Bytes(readMediaData(zip, meta, entry));
      if (hex(entry.sha1) !== other) {
        const original = entry.name;
        entry.name = addHashSuffixToFileStem(entry.name, hex(entry.sha1));
        map.checked.set(original, { used: false, entry });
      }
    } else {
      map.checked.set(entry.name, { used: false, entry });
    }
  }
  return map;
}

/** Writes the used media into the folder (replacing a file of that name) and registers it. */
export function copyMedia(zip: ZipReader, meta: PackageMeta, media: MediaManager, map: MediaUseMap, reporter: ProgressReporter<ImportStage>): number {
  const used = [...map.usedEntries()];
  if (!used.length) return 0;
  const tick = reporter.counter('media', used.length);
  media.db.transact(() => {
    for (const entry of used) {
      tick();
      const data = readMediaData(zip, meta, entry);
      // the media DB gets the checksum of what was written (Anki trusts the list's for latest packages)
      entry.sha1 = sha1Bytes(data);
      const dest = join(media.folder, entry.name);
      const tmp = join(media.folder, `.${entry.name.length > 60 ? sha1Hex(entry.name) : entry.name}.${process.pid}.tmp`);
      try {
        writeFileSync(tmp, data);
        renameSync(tmp, dest);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw new DeckhandError('io', `Failed to import media file ${entry.name}: ${(e as Error).message}`);
      }
      media.db.setEntry({ fname: entry.name, sha1: hex(entry.sha1), mtime: mtimeMs(dest), dirty: true });
    }
  });
  return used.length;
}
