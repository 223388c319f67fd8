// CSV/TSV import as Anki does it (import_export/text/csv/{metadata,import}.rs and text/import.rs):
// the file's header lines (`#separator:`, `#html:`, `#tags:`, `#columns:`, `#notetype:`, `#deck:`,
// `#notetype column:`, `#deck column:`, `#tags column:`, `#guid column:`, `#match scope:`,
// `#if matches:`) and a guessed delimiter/HTML flag give the metadata; columns are mapped to
// fields by name (with `#columns:`) or by position; each row becomes a note, matched against
// existing notes by guid or by first field (within the notetype, optionally the deck), and
// added, updated, kept or duplicated per the duplicate setting.

import { readFileSync } from 'node:fs';
import type { Collection } from '../../collection/collection';
import { DeckhandError } from '../../collection/errors';
import type { OpResult } from '../../collection/op-changes';
import type { Tx } from '../../collection/tx';
import { getConfig, setConfigInTx } from '../../config/config-service';
import { DEFAULT_DECK_ID } from '../../decks/deck';
import { normalizeDeckName } from '../../decks/deck-names';
import { addDeckInTx, getCurrentDeckId } from '../../decks/decks-service';
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
import { escapeHtml, htmlToTextLine, isHtml, stripHtmlPreservingMediaFilenames } from '../../text/html';
import { normalizeFieldText } from '../../text/normalize';
import { type DupeResolution, emptyImportLog, type ImportLog, type ImportLogNote, logNote } from '../import-log';
import { type ImportProgressCallback, type ImportStage, ProgressReporter } from '../progress';
import { linesWithEndings, parseCsv, stripUtf8Bom, withoutTagsLine } from './csv-reader';


/** Anki's `CsvMetadata.Delimiter`, in its enum order (the detection picks the first one present). */
export const DELIMITERS = [
  { name: 'tab', char: '\t' },
  { name: 'pipe', char: '|' },
  { name: 'semicolon', char: ';' },
  { name: 'colon', char: ':' },
  { name: 'comma', char: ',' },
  { name: 'space', char: ' ' },
] as const;
export type Delimiter = (typeof DELIMITERS)[number]['name'];
const charOf = (d: Delimiter) => DELIMITERS.find((x) => x.name === d)!.char;

export type MatchScope = 'notetype' | 'notetypeAndDeck';
const DUPE_CODES: DupeResolution[] = ['update', 'preserve', 'duplicate'];
const SCOPE_CODES: MatchScope[] = ['notetype', 'notetypeAndDeck'];

/** Deck: an existing deck, a column holding names/ids, or the name of a deck to create. */
export type CsvDeck = { deckId: number } | { deckColumn: number } | { deckName: string };
/** Notetype: one for all rows with a field → column map (1-based, 0 = none), or a column naming it. */
export type CsvNotetype = { globalNotetype: { id: number; fieldColumns: number[] } } | { notetypeColumn: number };

/** Anki's `CsvMetadata`. Column numbers are 1-based; 0 means "none". */
export interface CsvMetadata {
  delimiter: Delimiter;
  isHtml: boolean;
  globalTags: string[];
  updatedTags: string[];
  /** Column names from `#columns:`, else empty strings (their count is the column count). */
  columnLabels: string[];
  deck: CsvDeck;
  notetype: CsvNotetype;
  tagsColumn: number;
  guidColumn: number;
  forceDelimiter: boolean;
  forceIsHtml: boolean;
  /** Up to 5 rows as they will be read (HTML stripped for display when isHtml). */
  preview: string[][];
  dupeResolution: DupeResolution;
  matchScope: MatchScope;
}

export interface CsvMetadataRequest {
  delimiter?: Delimiter;
  notetypeId?: number;
  deckId?: number;
  isHtml?: boolean;
}

type NameOrId = { id: number } | { name: string };
const DEFAULT_NAME_OR_ID: NameOrId = { name: '' };
const isDefault = (n: NameOrId) => 'name' in n && n.name === '';

/** Anki's `NameOrId::parse`: an i64 if it parses as one, else a name. */
function parseNameOrId(s: string): NameOrId {
  if (/^[+-]?\d+$/.test(s)) {
    const n = Number(s);
    if (Number.isSafeInteger(n)) return { id: n };
  }
  return { name: s };
}

function readUtf8(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new DeckhandError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not-found' : 'io', `cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DeckhandError('invalid-input', `${path} is not UTF-8 text. Save it as UTF-8 and try again.`);
  }
}

type Reader = Collection | Tx;

function notetypeByNameOrId(r: Reader, n: NameOrId): Notetype | undefined {
  if ('id' in n) return r.storage.notetypes.get(n.id) ?? byName(r, String(n.id));
  return byName(r, n.name);
}
function byName(r: Reader, name: string): Notetype | undefined {
  const id = r.storage.notetypes.idByName(name);
  return id === undefined ? undefined : r.storage.notetypes.get(id);
}
function deckIdByNameOrId(r: Reader, n: NameOrId): number | undefined {
  if ('id' in n) return r.storage.decks.get(n.id)?.id ?? r.storage.decks.byName(String(n.id))?.id;
  return r.storage.decks.byName(normalizeDeckName(n.name))?.id;
}

/** Anki's `collect_tags`: split on whitespace. */
const collectTags = (s: string) => s.split(/[\p{White_Space}]+/u).filter((t) => t !== '');

const stripLineEnding = (line: string) => (line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') ? line.slice(0, -1) : line);

/** Cuts a header value at the first non-alphanumeric character after its first (so `#separator:,,,` is `,`). */
function trimmedValue(value: string): string {
  const chars = [...value];
  if (chars.length < 2) return value;
  const rest = chars.slice(1);
  const j = rest.findIndex((c) => !/^[A-Za-z0-9]$/.test(c));
  return j < 0 ? value : chars.slice(0, 1 + j).join('');
}

function delimiterFromValue(value: string): Delimiter | undefined {
  const normed = value.toLowerCase();
  return DELIMITERS.find((d) => normed.trim() === d.name || normed === d.char)?.name;
}

/** Defaults from the collection's config, as Anki's `CsvMetadata::from_config`. */
function metadataFromConfig(r: Reader): CsvMetadata {
  return {
    delimiter: 'tab',
    isHtml: false,
    globalTags: [],
    updatedTags: [],
    columnLabels: [],
    deck: { deckId: 0 },
    notetype: { notetypeColumn: 0 },
    tagsColumn: 0,
    guidColumn: 0,
    forceDelimiter: false,
    forceIsHtml: false,
    preview: [],
    dupeResolution: DUPE_CODES[getConfig(r, 'csvDuplicateResolution')] ?? 'update',
    matchScope: SCOPE_CODES[getConfig(r, 'matchScope')] ?? 'notetype',
  };
}

interface ParsedHeader {
  meta: CsvMetadata;
  hasDeck: boolean;
  hasNotetype: boolean;
  /** Bytes of header lines at the start of the file. */
  metaBytes: number;
}

function parseMetaValue(r: Reader, key: string, value: string, h: ParsedHeader): void {
  const m = h.meta;
  const tv = trimmedValue(value);
  switch (key.trim().toLowerCase()) {
    case 'separator': {
      const d = delimiterFromValue(tv);
      if (d) {
        m.delimiter = d;
        m.forceDelimiter = true;
      }
      break;
    }
    case 'html': {
      const v = tv.toLowerCase();
      if (v === 'true' || v === 'false') {
        m.isHtml = v === 'true';
        m.forceIsHtml = true;
      }
      break;
    }
    case 'tags':
      m.globalTags = collectTags(value);
      break;
    case 'columns': {
      const rec = parseCsv(value, { delimiter: charOf(m.delimiter), comment: null, limit: 1 })[0];
      m.columnLabels = rec ?? [''];
      break;
    }
    case 'notetype': {
      const nt = notetypeByNameOrId(r, parseNameOrId(value));
      if (nt) {
        m.notetype = { globalNotetype: { id: nt.id, fieldColumns: [] } };
        h.hasNotetype = true;
      }
      break;
    }
    case 'deck': {
      const did = deckIdByNameOrId(r, parseNameOrId(value));
      if (did !== undefined) {
        m.deck = { deckId: did };
        h.hasDeck = true;
      } else if (value !== '') {
        m.deck = { deckName: value };
        h.hasDeck = true;
      }
      break;
    }
    case 'notetype column':
    case 'deck column':
    case 'tags column':
    case 'guid column': {
      const t = tv.trim();
      if (!/^\+?\d+$/.test(t) || Number(t) > 0xffffffff) break;
      const n = Number(t);
      const k = key.trim().toLowerCase();
      if (k === 'notetype column') {
        m.notetype = { notetypeColumn: n };
        h.hasNotetype = true;
      } else if (k === 'deck column') {
        m.deck = { deckColumn: n };
        h.hasDeck = true;
      } else if (k === 'tags column') m.tagsColumn = n;
      else m.guidColumn = n;
      break;
    }
    case 'match scope':
      if (value === 'notetype') m.matchScope = 'notetype';
      else if (value === 'notetype + deck') m.matchScope = 'notetypeAndDeck';
      break;
    case 'if matches':
      if (value === 'update current') m.dupeResolution = 'update';
      else if (value === 'keep current') m.dupeResolution = 'preserve';
      else if (value === 'keep both') m.dupeResolution = 'duplicate';
      break;
  }
}

/** A `#key:value` line (true, and applied), or false when the line is data. */
function parseLine(r: Reader, line: string, h: ParsedHeader): boolean {
  if (!line.startsWith('#')) return false;
  const l = line.slice(1);
  const colon = l.indexOf(':');
  if (colon >= 0) parseMetaValue(r, l.slice(0, colon), stripLineEnding(l.slice(colon + 1)), h);
  return true;
}

function parseHeader(r: Reader, text: string): ParsedHeader {
  const h: ParsedHeader = { meta: metadataFromConfig(r), hasDeck: false, hasNotetype: false, metaBytes: 0 };
  const lines = linesWithEndings(text);
  let i = 0;
  const first = lines[0] ?? '';
  const firstNoBom = stripUtf8Bom(first);
  let isMeta: boolean;
  if (firstNoBom.startsWith('tags:')) {
    h.meta.globalTags = collectTags(firstNoBom.slice('tags:'.length));
    isMeta = true;
  } else isMeta = parseLine(r, firstNoBom, h);
  if (isMeta) {
    h.metaBytes += Buffer.byteLength(first);
    for (i = 1; i < lines.length && parseLine(r, lines[i], h); i++) h.metaBytes += Buffer.byteLength(lines[i]);
  }
  return h;
}

function detectDelimiter(text: string, metaBytes: number): Delimiter {
  const buf = Buffer.from(text, 'utf8').subarray(metaBytes, metaBytes + 8 * 1024);
  for (const d of DELIMITERS) if (buf.includes(d.char.charCodeAt(0))) return d.name;
  return 'space';
}

/** Anki's `defaults_for_adding`: the deck and notetype the Add screen would start with. */
export function defaultsForAdding(r: Reader): { deckId: number; notetypeId: number } {
  const currentNotetype = (): number => {
    const cur = r.storage.config.get<unknown>('curModel');
    if (typeof cur === 'number' && r.storage.notetypes.get(cur)) return cur;
    const first = r.storage.notetypes.namesInIdOrder()[0];
    if (!first) throw new DeckhandError('invalid-input', 'collection has no notetypes');
    return first.id;
  };
  const currentDeck = (): number => {
    const d = r.storage.decks.get(getCurrentDeckId(r));
    return d && !d.kind.filtered ? d.id : DEFAULT_DECK_ID;
  };
  if (getConfig(r, 'addToCur')) {
    const deckId = currentDeck();
    const last = r.storage.config.get<unknown>(`_deck_${deckId}_lastNotetype`);
    const notetypeId = typeof last === 'number' && r.storage.notetypes.get(last) ? last : currentNotetype();
    return { deckId, notetypeId };
  }
  const notetypeId = currentNotetype();
  const last = r.storage.config.get<unknown>(`_nt_${notetypeId}_lastDeck`);
  const deck = typeof last === 'number' ? r.storage.decks.get(last) : undefined;
  return { deckId: deck && !deck.kind.filtered ? deck.id : currentDeck(), notetypeId };
}

function metaColumns(m: CsvMetadata): Set<number> {
  const out = new Set<number>();
  if ('deckColumn' in m.deck) out.add(m.deck.deckColumn);
  if ('notetypeColumn' in m.notetype) out.add(m.notetype.notetypeColumn);
  if (m.tagsColumn > 0) out.add(m.tagsColumn);
  if (m.guidColumn > 0) out.add(m.guidColumn);
  return out;
}

/** Metadata from text already read (see {@link getCsvMetadata}). */
export function csvMetadataFromText(r: Reader, text: string, req: CsvMetadataRequest = {}): CsvMetadata {
  const h = parseHeader(r, text);
  const m = h.meta;
  if (req.delimiter) m.delimiter = req.delimiter;
  else if (!m.forceDelimiter) m.delimiter = detectDelimiter(text, h.metaBytes);
  const records = parseCsv(withoutTagsLine(text), { delimiter: charOf(m.delimiter), limit: 5 });
  if (req.isHtml !== undefined) m.isHtml = req.isHtml;
  else if (!m.forceIsHtml) m.isHtml = records.some((rec) => rec.some((f) => isHtml(f)));
  let minLen = 1;
  m.preview = records.map((rec, idx) => {
    const padded = [...rec];
    while (padded.length < minLen) padded.push('');
    const row = padded.map((f) => [...(m.isHtml ? htmlToTextLine(f, true) : f)].slice(0, 80).join(''));
    if (idx === 0) minLen = row.length;
    return row;
  });
  if (m.columnLabels.length === 0) m.columnLabels = new Array<string>(m.preview[0]?.length ?? 0).fill('');
  const defaults = (req.notetypeId === undefined || req.deckId === undefined) && (!h.hasNotetype || !h.hasDeck) ? defaultsForAdding(r) : undefined;
  if (!h.hasNotetype || req.notetypeId !== undefined) m.notetype = { globalNotetype: { id: req.notetypeId ?? defaults!.notetypeId, fieldColumns: [] } };
  if (!h.hasDeck || req.deckId !== undefined) m.deck = { deckId: req.deckId ?? defaults!.deckId };
  if ('globalNotetype' in m.notetype) {
    const global = m.notetype.globalNotetype;
    const nt = r.storage.notetypes.get(global.id);
    if (!nt) throw new DeckhandError('not-found', `note type ${global.id} not found`);
    const meta = metaColumns(m);
    const cols = new Array<number>(nt.fields.length).fill(0);
    cols[0] = 1;
    const columnLen = m.columnLabels.length;
    if (m.columnLabels.every((l) => l === '')) {
      let f = 0;
      for (let index = 1; index <= columnLen && f < cols.length; index++) if (!meta.has(index)) cols[f++] = index;
    } else {
      const byLabel = new Map<string, number>();
      m.columnLabels.forEach((l, i) => {
        if (!meta.has(i + 1)) byLabel.set(l, i + 1);
      });
      nt.fields.forEach((field, i) => {
        const c = byLabel.get(field.name);
        if (c !== undefined) cols[i] = c;
      });
    }
    if (cols[0] === 0) {
      let first = 0;
      for (let i = 1; i <= columnLen; i++)
        if (!meta.has(i)) {
          first = i;
          break;
        }
      if (!first) throw new DeckhandError('invalid-input', 'The file must contain at least one column that can be mapped to a note field.');
      cols[0] = first;
    }
    global.fieldColumns = cols;
    if (m.tagsColumn === 0) {
      const maxField = Math.max(0, ...cols);
      for (let idx = maxField + 1; idx <= m.columnLabels.length; idx++)
        if (!meta.has(idx)) {
          m.tagsColumn = idx;
          break;
        }
    }
  }
  return m;
}

/** Reads a CSV/TSV file's metadata as Anki's import screen starts with it. Throws for an empty file. */
export function getCsvMetadata(col: Collection, path: string, req: CsvMetadataRequest = {}): CsvMetadata {
  const m = csvMetadataFromText(col, readUtf8(path), req);
  if (m.preview.length === 0) throw new DeckhandError('invalid-input', 'The file is empty.');
  return m;
}

// ---------------------------------------------------------------------------------------------
// Rows → foreign notes

interface ForeignNote {
  guid: string;
  /** null: the column is not mapped / absent in this row (the field is left alone). */
  fields: (string | null)[];
  /** null: no tags column. */
  tags: string[] | null;
  notetype: NameOrId;
  deck: NameOrId;
}

function foreignNotes(text: string, m: CsvMetadata): ForeignNote[] {
  const records = parseCsv(withoutTagsLine(text), { delimiter: charOf(m.delimiter) });
  const meta = metaColumns(m);
  const fieldColumns = 'globalNotetype' in m.notetype ? m.notetype.globalNotetype.fieldColumns : [];
  const stringify = m.isHtml ? (s: string) => s : (s: string) => escapeHtml(s).replaceAll('\n', '<br>');
  const col = (rec: string[], i: number): string | undefined => (i > 0 ? rec[i - 1] : undefined);
  const deckColumn = 'deckColumn' in m.deck ? m.deck.deckColumn : 0;
  const notetypeColumn = 'notetypeColumn' in m.notetype ? m.notetype.notetypeColumn : 0;
  return records.map((rec) => {
    let fields: (string | null)[];
    if (fieldColumns.length) fields = fieldColumns.map((c) => (c > 0 && col(rec, c) !== undefined ? stringify(col(rec, c)!) : null));
    else {
      fields = [];
      for (let i = 1; i <= rec.length; i++) if (!meta.has(i)) fields.push(stringify(rec[i - 1]));
    }
    const tagText = m.tagsColumn > 0 ? col(rec, m.tagsColumn) : undefined;
    return {
      guid: m.guidColumn > 0 ? (col(rec, m.guidColumn) ?? '') : '',
      fields,
      tags: tagText === undefined ? null : collectTags(tagText),
      notetype: notetypeColumn > 0 ? parseNameOrId(col(rec, notetypeColumn) ?? '') : DEFAULT_NAME_OR_ID,
      deck: deckColumn > 0 ? parseNameOrId(col(rec, deckColumn) ?? '') : DEFAULT_NAME_OR_ID,
    };
  });
}

const foreignLogNote = (n: ForeignNote): ImportLogNote => ({ fields: n.fields.map((f) => f ?? '') });

// ---------------------------------------------------------------------------------------------
// Import

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

