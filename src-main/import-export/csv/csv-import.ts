// CSV/TSV import as Anki does it (import_export/text/csv/{metadata,import}.rs and text/import.rs):
// the file's header lines (`#separator:`, `#html:`, `#tags:`, `#columns:`, `#notetype:`, `#deck:`,
// `#notetype column:`, `#deck column:`, `#tags column:`, `#guid column:`, `#match scope:`,
// `#if matches:`) and a guessed delimiter/HTML flag give the metadata; columns are mapped to
// fields by name (with `#columns:`) or by position; each row becomes a note, matched against
// existing notes by guid or by first field (within the notetype, optionally the deck), and
// added, updated, kept or duplicated per the duplicate setting.
//
// The metadata is read by csv-file-metadata (with csv-header); the rows become notes via
// csv-foreign-notes.

import type { Collection } from '../../collection/collection';
import type { OpResult } from '../../collection/op-changes';
import type { Tx } from '../../collection/tx';
import { setConfigInTx } from '../../config/config-service';
import { addDeckInTx } from '../../decks/decks-service';
import { noteDerivedColumns } from '../../notes/derived';
import type { Note } from '../../notes/note';
import { generateCardsForNote } from '../../cards/new-cards';
import type { Notetype } from '../../notetypes/notetype';
import { PackageStore } from '../../storage/package-store';
import { defaultDeckCommon, defaultNormalDeck } from '../../storage/proto/codecs';
import { unicaseFold } from '../../storage/unicase';
import { canonifyAndRegister } from '../../tags/tags-service';
import { sortUniqueTags, splitTags } from '../../tags/canonical';
import { fieldChecksum } from '../../text/checksum';
import { newGuid } from '../../text/guid';
import { stripHtmlPreservingMediaFilenames } from '../../text/html';
import { normalizeFieldText } from '../../text/normalize';
import { emptyImportLog, type ImportLog, logNote } from '../import-log';
import { type ImportProgressCallback, type ImportStage, ProgressReporter } from '../progress';
import { csvMetadataFromText, defaultsForAdding, getCsvMetadata, readUtf8 } from './csv-file-metadata';
import { type ForeignNote, foreignLogNote, foreignNotes } from './csv-foreign-notes';
import {
  type CsvDeck,
  type CsvMetadata,
  type CsvMetadataRequest,
  type CsvNotetype,
  type Delimiter,
  DELIMITERS,
  DUPE_CODES,
  type MatchScope,
  SCOPE_CODES,
} from './csv-metadata';
import { DEFAULT_NAME_OR_ID, isDefault, type NameOrId, notetypeByNameOrId } from './csv-name-or-id';

export { csvMetadataFromText, defaultsForAdding, DELIMITERS, getCsvMetadata };
export type { CsvDeck, CsvMetadata, CsvMetadataRequest, CsvNotetype, Delimiter, MatchScope };

export interface CsvImportOptions {
  progress?: ImportProgressCallback;
}

class DeckIds {
  readonly ids = new Set<number>();
  readonly names = new Map<string, number>();
  defaultId: number | undefined;

  constructor(tx: Tx, defaultDeck: NameOrId) {
    for (const d of tx.storage.decks.all()) {
      if (d.kind.filtered) continue;
      this.ids.add(d.id);
      this.names.set(unicaseFold(d.name), d.id);
    }
    this.defaultId = this.get(defaultDeck);
    if (this.defaultId === undefined && !isDefault(defaultDeck) && 'name' in defaultDeck) {
      const deck = addDeckInTx(tx, { name: defaultDeck.name, common: defaultDeckCommon(), kind: { normal: defaultNormalDeck() } }, 'suffix');
      this.insert(deck.id, deck.name);
      this.defaultId = deck.id;
    } else if (this.defaultId === undefined && 'id' in defaultDeck) {
      this.defaultId = undefined;
    }
  }

  get(n: NameOrId): number | undefined {
    if (isDefault(n)) return this.defaultId;
    if ('id' in n) return this.ids.has(n.id) ? n.id : this.names.get(unicaseFold(String(n.id)));
    return this.names.get(unicaseFold(n.name));
  }

  insert(id: number, name: string): void {
    this.ids.add(id);
    this.names.set(unicaseFold(name), id);
  }
}

interface Dupe {
  note: Note;
  identical: boolean;
  firstFieldMatch: boolean;
}

/** Tags in canonical form (the case of registered tags), without registering them. */
function canonifyWithoutRegistering(tx: Tx, tags: string[]): string[] {
  return sortUniqueTags(
    tags.flatMap((t) => splitTags(t)).map((t) => {
      const row = tx.storage.tags.getRow(t);
      return row ? row.tag : t;
    }),
  );
}

function equalFieldsAndTags(f: ForeignNote, note: Note): boolean {
  const tagsEqual = f.tags === null || (f.tags.length === note.tags.length && f.tags.every((t, i) => t === note.tags[i]));
  return tagsEqual && f.fields.every((v, i) => v === null || i >= note.fields.length || v === note.fields[i]);
}

/** Anki's `ForeignNote::into_native` for an existing or new note (no scheduling in CSV). */
function applyForeign(note: Note, f: ForeignNote, extraTags: readonly string[]): void {
  if (f.guid !== '') note.guid = f.guid;
  if (f.tags !== null) note.tags = [...f.tags];
  note.tags.push(...extraTags);
  f.fields.forEach((v, i) => {
    if (v !== null && i < note.fields.length) note.fields[i] = v;
  });
}

/** Imports a CSV/TSV file with the given metadata (from {@link getCsvMetadata}, possibly edited). */
export function importCsv(col: Collection, path: string, metadata: CsvMetadata, opts: CsvImportOptions = {}): OpResult<ImportLog> {
  const text = readUtf8(path);
  const notes = foreignNotes(text, metadata);
  const reporter = new ProgressReporter(opts.progress);
  reporter.report('file', 0, undefined, true);
  return col.transact('Import', (tx) => importForeign(tx, notes, metadata, reporter));
}

function importForeign(tx: Tx, notes: ForeignNote[], m: CsvMetadata, reporter: ProgressReporter<ImportStage>): ImportLog {
  setConfigInTx(tx, 'csvDuplicateResolution', DUPE_CODES.indexOf(m.dupeResolution));
  setConfigInTx(tx, 'matchScope', SCOPE_CODES.indexOf(m.matchScope));
  const store = new PackageStore(tx.storage.db);
  const normalize = tx.storage.config.get<boolean>('normalize_note_text') !== false;
  const defaultDeck: NameOrId = 'deckId' in m.deck ? { id: m.deck.deckId } : 'deckName' in m.deck ? { name: m.deck.deckName } : DEFAULT_NAME_OR_ID;
  const defaultNotetype: NameOrId = 'globalNotetype' in m.notetype ? { id: m.notetype.globalNotetype.id } : DEFAULT_NAME_OR_ID;
  const notetypes = new Map<string, Notetype | undefined>();
  notetypes.set('', notetypeByNameOrId(tx, defaultNotetype));
  const deckIds = new DeckIds(tx, defaultDeck);
  const checksums = m.matchScope === 'notetype' ? store.notesByTypeAndChecksum() : store.notesByTypeChecksumAndDeck();
  const guids = store.notesByGuid();
  const log = emptyImportLog();
  log.dupeResolution = m.dupeResolution;
  log.foundNotes = notes.length;
  const tick = reporter.counter('notes', notes.length);

  const notetypeFor = (n: NameOrId): Notetype | undefined => {
    const key = isDefault(n) ? '' : JSON.stringify(n);
    if (!notetypes.has(key)) notetypes.set(key, notetypeByNameOrId(tx, n));
    return notetypes.get(key);
  };
  const deckFor = (n: NameOrId): number | undefined => {
    const found = deckIds.get(n);
    if (found !== undefined) return found;
    if (!('name' in n)) return undefined;
    const deck = addDeckInTx(tx, { name: n.name, common: defaultDeckCommon(), kind: { normal: defaultNormalDeck() } }, 'suffix');
    deckIds.insert(deck.id, deck.name);
    if (n.name === '') deckIds.defaultId = deck.id;
    return deck.id;
  };
  const saveNote = (note: Note, nt: Notetype, isNew: boolean) => {
    note.fields = note.fields.map((f) => normalizeFieldText(f, normalize));
    note.tags = canonifyAndRegister(tx, note.tags);
    tx.putNote(note, noteDerivedColumns(note, nt), isNew);
  };
  const addCards = (note: Note, nt: Notetype, deckId: number) => generateCardsForNote(tx, note, nt, tx.storage.cards.ofNote(note.id), { deckId, isNewNote: true });
  const addNote = (f: ForeignNote, nt: Notetype, deckId: number, dupes: Dupe[]) => {
    const note: Note = { id: tx.nextId('notes'), guid: newGuid(), notetypeId: nt.id, mtimeSecs: 0, usn: -1, tags: [], fields: nt.fields.map(() => '') };
    applyForeign(note, f, m.globalTags);
    saveNote(note, nt, true);
    addCards(note, nt, deckId);
    (dupes.length ? log.firstFieldMatch : log.new).push(logNote(note.fields, note.id));
  };

  for (const f of notes) {
    tick();
    if (f.fields[0] === '') {
      log.emptyFirstField.push(foreignLogNote(f));
      continue;
    }
    const nt = notetypeFor(f.notetype);
    if (!nt) {
      log.missingNotetype.push(foreignLogNote(f));
      continue;
    }
    const deckId = deckFor(f.deck);
    if (deckId === undefined) {
      log.missingDeck.push(foreignLogNote(f));
      continue;
    }
    // prepare: normalise fields, canonical tags
    f.fields = f.fields.map((v) => (v === null ? null : normalizeFieldText(v, normalize)));
    if (f.tags) f.tags = canonifyWithoutRegistering(tx, f.tags);
    // duplicates: by guid when given, else by first field within the notetype (and deck)
    let dupes: Dupe[] = [];
    if (f.guid === '') {
      const first = f.fields[0];
      if (first !== null && first !== undefined) {
        const stripped = stripHtmlPreservingMediaFilenames(first);
        const key = m.matchScope === 'notetype' ? `${nt.id}:${fieldChecksum(first)}` : `${nt.id}:${fieldChecksum(first)}:${deckId}`;
        for (const nid of checksums.get(key) ?? []) {
          const note = tx.storage.notes.get(nid);
          if (note && stripHtmlPreservingMediaFilenames(note.fields[0] ?? '') === stripped) dupes.push({ note, identical: equalFieldsAndTags(f, note), firstFieldMatch: true });
        }
      }
    } else {
      const nid = guids.get(f.guid);
      const note = nid === undefined ? undefined : tx.storage.notes.get(nid);
      if (note) dupes = [{ note, identical: equalFieldsAndTags(f, note), firstFieldMatch: false }];
    }

    if (!dupes.length) addNote(f, nt, deckId, dupes);
    else if (m.dupeResolution === 'duplicate') {
      if (dupes[0].note.guid === f.guid) log.duplicate.push(logNote(dupes[0].note.fields, dupes[0].note.id));
      else if (f.fields[0] === null || f.fields[0] === '') log.emptyFirstField.push(foreignLogNote(f));
      else addNote(f, nt, deckId, dupes);
    } else if (m.dupeResolution === 'preserve') {
      log.firstFieldMatch.push(logNote(dupes[0].note.fields, dupes[0].note.id));
    } else {
      // update: the best outcome over all duplicates is logged
      let best: { rank: number; kind: 'conflicting' | 'identical' | 'update'; dupe: Dupe } | null = null;
      const consider = (rank: number, kind: 'conflicting' | 'identical' | 'update', dupe: Dupe) => {
        if (!best || best.rank < rank) best = { rank, kind, dupe };
      };
      for (const dupe of dupes) {
        if (dupe.note.notetypeId !== nt.id) {
          consider(1, 'conflicting', dupe);
          continue;
        }
        const note = structuredClone(dupe.note);
        applyForeign(note, f, [...m.globalTags, ...m.updatedTags]);
        if (dupe.identical) consider(2, 'identical', dupe);
        else {
          note.mtimeSecs = 0;
          saveNote(note, nt, false);
          consider(3, 'update', dupe);
        }
        addCards(note, nt, deckId);
      }
      const b = best as { kind: 'conflicting' | 'identical' | 'update'; dupe: Dupe } | null;
      if (b) {
        const entry = logNote(b.dupe.note.fields, b.dupe.note.id);
        if (b.kind === 'conflicting') log.conflicting.push(entry);
        else if (b.kind === 'identical') log.duplicate.push(entry);
        else if (b.dupe.firstFieldMatch) log.firstFieldMatch.push(entry);
        else log.updated.push(entry);
      }
    }
  }
  return log;
}

