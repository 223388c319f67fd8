// Exporting an .apkg as Anki's `export_apkg` does (package/apkg/export.rs): gather the selected
// notes with their cards, decks (with parents), notetypes and optionally revlog and deck configs;
// write them into a fresh minimal collection with the source's creation time and offset; close it
// at schema 18 (latest) or 11 (legacy); zip it with the referenced media.

import { join } from 'node:path';
import { CardType } from '../cards/card';
import { Collection } from '../collection/collection';
import { DeckhandError, notFound } from '../collection/errors';
import { mediaPathsForCollection } from '../media/media-service';
import { noteDerivedColumns } from '../notes/derived';
import { findNotes, searchContextFromDb } from '../search/search-service';
import { PackageStore } from '../storage/package-store';
import { sortUniqueTags } from '../tags/canonical';
import { unicaseFold } from '../storage/unicase';
import { type ExchangeData, gatherData, gatherMediaNames, type NoteSelection, normalizedCardData } from './exchange';
import { downgradeFileToSchema11 } from './legacy-schema';
import { PackageVersion, type PackageMeta } from './package-format';
import { makeTempDir, mediaFolderSources, writePackage } from './package-writer';
import { type ExportProgressCallback, ProgressReporter } from './progress';

/** What to export: a deck with its subdecks, given notes, a search, or every note. */
export type ExportSelection = { deckId: number } | { noteIds: readonly number[] } | { search: string } | { all: true };

export interface ExportApkgOptions {
  /** Review state, revlog, filtered decks, deck limits (Anki's "Include scheduling information"). Default false. */
  withScheduling?: boolean;
  /** The deck options presets of the exported decks. Default false. */
  withDeckConfigs?: boolean;
  /** Referenced media files. Default true. */
  withMedia?: boolean;
  /** "Support older Anki versions": legacy-2 package (schema 11, JSON media map). Default false. */
  legacy?: boolean;
  progress?: ExportProgressCallback;
}

export interface ExportResult {
  notes: number;
  cards: number;
  media: number;
}

/** Note ids for a selection (a deck means cards in it or its subdecks, as their home deck or current deck). */
export function resolveSelection(col: Collection, selection: ExportSelection): NoteSelection {
  if ('all' in selection) return { all: true };
  if ('noteIds' in selection) return { noteIds: selection.noteIds };
  if ('search' in selection) return { noteIds: findNotes(col.db, selection.search, searchContextFromDb(col.db, col.nowSecs())) };
  const deck = col.storage.decks.get(selection.deckId);
  if (!deck) throw notFound(`deck ${selection.deckId}`);
  const ids = [deck.id, ...col.storage.decks.withChildren(deck.name).map((d) => d.id).filter((id) => id !== deck.id)];
  return { noteIds: new PackageStore(col.db).noteIdsWithCardsInDecks(ids) };
}

/**
 * Writes the gathered data into a new collection file at `path` (Anki's `new_minimal` +
 * `insert_data`): the new collection's stock notetypes are removed, rows are inserted with their
 * ids and stamps, the source's `crt` and `creationOffset` copied. Unlike Anki, the stock
 * notetypes' field/template rows are removed too, note tags are registered, `curModel` points
 * at an exported notetype and `nextPos` is past the exported new cards, so the file passes the
 * strict checker.
 */
export function writeExchangeCollection(path: string, data: ExchangeData, source: { crt: number; creationOffset: number | null }, nowMs: number): void {
  const col = Collection.create(path);
  try {
    const store = new PackageStore(col.db);
    col.transact(
      'Export',
      (tx) => {
        store.deleteAllNotetypes();
        tx.storage.notetypes.clearCache();
        for (const deck of data.decks) {
          const clash = tx.storage.decks.byName(deck.name);
          if (clash && clash.id !== deck.id) {
            // only the new collection's own Default deck can be in the way: move it aside
            let name = clash.name;
            while (tx.storage.decks.byName(name) || data.decks.some((d) => unicaseFold(d.name) === unicaseFold(name))) name += '+';
            tx.putDeck({ ...clash, name });
          }
          tx.putDeck(deck);
        }
        for (const nt of data.notetypes) tx.putNotetype(nt, true);
        const notetypes = new Map(data.notetypes.map((nt) => [nt.id, nt]));
        const tags = new Map<string, string>();
        for (const note of data.notes) {
          const nt = notetypes.get(note.notetypeId);
          if (!nt) throw new DeckhandError('corrupt', `note ${note.id} uses a missing note type ${note.notetypeId}`);
          tx.putNote(note, noteDerivedColumns(note, nt), true);
          for (const t of note.tags) if (!tags.has(unicaseFold(t))) tags.set(unicaseFold(t), t);
        }
        for (const t of sortUniqueTags(tags.values())) tx.putTag(t, true, 0);
        for (const card of data.cards) tx.putCard({ ...card, data: normalizedCardData(card.data) }, true);
        for (const r of data.revlog) tx.addRevlog(r);
        for (const dc of data.deckConfigs) tx.putDeckConfig(dc);
        store.setCreationStamp(source.crt);
        if (source.creationOffset === null) tx.removeConfig('creationOffset');
        else tx.setConfig('creationOffset', source.creationOffset);
        tx.setConfig('curModel', data.notetypes[0]?.id ?? null);
        // Anki leaves the new collection's nextPos (1); past the exported positions it is valid
        const top = data.cards.reduce((m, c) => (c.ctype === CardType.New && c.originalDeckId === 0 && c.due < 1_000_000 ? Math.max(m, c.due) : m), 0);
        if (top >= 1) tx.setConfig('nextPos', top + 1);
        tx.storage.col.setMod(nowMs);
      },
      { keepStamps: true, undoable: false },
    );
  } finally {
    col.close();
  }
}

/** Exports an .apkg. Returns how many notes, cards and media files went in. */
export async function exportApkg(col: Collection, outPath: string, selection: ExportSelection, opts: ExportApkgOptions = {}): Promise<ExportResult> {
  const reporter = new ProgressReporter(opts.progress);
  const withScheduling = opts.withScheduling ?? false;
  const meta: PackageMeta = { version: opts.legacy ? PackageVersion.Legacy2 : PackageVersion.Latest };
  reporter.report('gathering', 0, undefined, true);
  const nowMs = col.clock.nowMs();
  const data = gatherData(col, resolveSelection(col, selection), withScheduling, opts.withDeckConfigs ?? false, nowMs);
  if (opts.withMedia ?? true) gatherMediaNames(data, reporter.counter('notes', data.notes.length));
  const tmp = makeTempDir();
  try {
    const colPath = join(tmp.dir, 'collection.anki2');
    reporter.report('file', 0, undefined, true);
    writeExchangeCollection(colPath, data, { crt: col.storage.col.get().crt, creationOffset: data.creationUtcOffset }, nowMs);
    if (opts.legacy) downgradeFileToSchema11(colPath);
    const media = mediaFolderSources(mediaPathsForCollection(col.path).folder, [...data.mediaFilenames].sort());
    const { mediaCount } = await writePackage({ meta, collectionPath: colPath, media, outPath, progress: opts.progress });
    return { notes: data.notes.length, cards: data.cards.length, media: mediaCount };
  } finally {
    tmp.dispose();
  }
}
