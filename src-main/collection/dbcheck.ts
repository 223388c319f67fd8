// Tools › Check Database, as Anki 26.x runs it (rslib/src/dbcheck.rs, restated): SQLite's quick
// check, then one transaction that repairs
//   cards   — out-of-range or fractional due/odue/ivl/mod/ord (new positions ≥ 1,000,000 folded
//             back below it), the last-review time kept in card data, cards whose note is gone,
//             cards in a missing deck (the deck is recreated as "recovered<id>"), home-deck
//             fields on cards that are not in a filtered deck;
//   notes   — per notetype (a missing notetype is recreated as "db-check-…"): invalid UTF-8,
//             duplicate card ordinals, cards whose template is gone, wrong field counts (extra
//             fields joined into the last one, missing ones added, tagged "db-check"), mtimes in
//             the future, text normalisation, sort field/checksum, tags re-registered (unused tags
//             leave the tag list, expanded state kept), missing cards generated (a note left with
//             none gets its first card);
//   history — review entries with fractional or out-of-range values, and the old "type 0, time
//             0, ease 0" entries (now type 5, rescheduled);
//   decks   — missing parent decks created; the next new-card position recomputed;
//   ids     — note/card/review ids more than a day in the future renumbered;
// then VACUUM, REINDEX, ANALYZE. Like Anki it clears the undo history, and repairs that another
// device could not merge mark the schema modified (the next sync is a full one). The report lists
// Anki's English lines, then "Database rebuilt and optimized." (pylib's `fix_integrity`).

import type { Card } from '../cards/card';
import { generateCardsForNote } from '../cards/new-cards';
import { getConfig, schedulerVersion, setConfigInTx } from '../config/config-service';
import { getOrCreateDeckInTx } from '../decks/decks-service';
import { noteDerivedColumns } from '../notes/derived';
import type { Note } from '../notes/note';
import { isCloze, type Notetype } from '../notetypes/notetype';
import { addNotetypeInTx, updateNotetypeInTx } from '../notetypes/notetypes-service';
import { newField, newTemplate, stockNotetype } from '../notetypes/stock';
import { parseCardData, serializeCardData } from '../scheduler/card-data';
import { timingToday } from '../scheduler/collection-timing';
import { DbCheckStore, type RawNoteRow } from '../storage/dbcheck-store';
import { tagsFromColumn, tagsToColumn } from '../storage/note-store';
import { defaultDeckCommon, defaultNormalDeck } from '../storage/proto/codecs';
import { OriginalStockKind } from '../storage/proto/messages';
import { unicaseFold } from '../storage/unicase';
import { canonifyAndRegister } from '../tags/tags-service';
import { normalizeFieldText } from '../text/normalize';
import type { Collection } from './collection';
import { DeckhandError } from './errors';
import { noChanges, type OpResult } from './op-changes';
import type { Tx } from './tx';

/** What Check Database fixed, by kind (Anki's CheckDatabaseOutput). */
export interface CheckDatabaseCounts {
  cardPropertiesInvalid: number;
  cardPositionTooHigh: number;
  cardsMissingNote: number;
  decksMissing: number;
  revlogPropertiesInvalid: number;
  templatesMissing: number;
  cardOrdsDuplicated: number;
  fieldCountMismatch: number;
  notetypesRecovered: number;
  invalidUtf8: number;
  invalidIds: number;
  cardLastReviewTimeEmpty: number;
}

export interface CheckDatabaseResult {
  /** One English line per kind of problem fixed, in Anki's order. */
  problems: string[];
  /** No problems were found (Anki then shows the report as a tooltip rather than a dialog). */
  ok: boolean;
  /** The text Anki shows: the problems, then "Database rebuilt and optimized." (or the corruption message). */
  report: string;
  counts: CheckDatabaseCounts;
}

export type CheckDatabaseStage = 'Checking collection...' | 'Rebuilding...' | 'Checking cards...' | 'Checking notes...' | 'Checking history...';

export interface CheckDatabaseOptions {
  progress?: (p: { stage: CheckDatabaseStage; done: number; total: number | null }) => void;
}

export const DATABASE_CORRUPT = 'Collection file is corrupt. Please restore from an automatic backup.';
export const DATABASE_REBUILT = 'Database rebuilt and optimized.';

const zeroCounts = (): CheckDatabaseCounts => ({
  cardPropertiesInvalid: 0,
  cardPositionTooHigh: 0,
  cardsMissingNote: 0,
  decksMissing: 0,
  revlogPropertiesInvalid: 0,
  templatesMissing: 0,
  cardOrdsDuplicated: 0,
  fieldCountMismatch: 0,
  notetypesRecovered: 0,
  invalidUtf8: 0,
  invalidIds: 0,
  cardLastReviewTimeEmpty: 0,
});

const plural = (n: number, one: string, other: string) => (n === 1 ? one : other).replace('{}', String(n));

/** The report lines for the counts, in the order and wording of Anki's `to_i18n_strings` (English). */
export function checkDatabaseProblems(c: CheckDatabaseCounts): string[] {
  const out: string[] = [];
  if (c.notetypesRecovered > 0)
    out.push(
      'One or more note types were missing. The notes that used them have been given new note types starting with "db-check", but field names and card design have been lost, so you may be better off restoring from an automatic backup.',
    );
  if (c.cardPositionTooHigh > 0)
    out.push(
      plural(
        c.cardPositionTooHigh,
        'Found {} new card with a due number >= 1,000,000 - consider repositioning it in the Browse screen.',
        'Found {} new cards with a due number >= 1,000,000 - consider repositioning them in the Browse screen.',
      ),
    );
  if (c.cardPropertiesInvalid > 0) out.push(plural(c.cardPropertiesInvalid, 'Fixed {} invalid card property.', 'Fixed {} invalid card properties.'));
  if (c.cardLastReviewTimeEmpty > 0) out.push(plural(c.cardLastReviewTimeEmpty, 'Added last review time to {} card.', 'Added last review time to {} cards.'));
  if (c.cardsMissingNote > 0) out.push(plural(c.cardsMissingNote, 'Deleted {} card with missing note.', 'Deleted {} cards with missing note.'));
  if (c.decksMissing > 0) out.push(plural(c.decksMissing, 'Fixed {} missing deck.', 'Fixed {} missing decks.'));
  if (c.fieldCountMismatch > 0) out.push(plural(c.fieldCountMismatch, 'Fixed {} note with wrong field count.', 'Fixed {} notes with wrong field count.'));
  if (c.cardOrdsDuplicated > 0) out.push(plural(c.cardOrdsDuplicated, 'Deleted {} card with duplicate template.', 'Deleted {} cards with duplicate template.'));
  if (c.templatesMissing > 0) out.push(plural(c.templatesMissing, 'Deleted {} card with missing template.', 'Deleted {} cards with missing template.'));
  if (c.revlogPropertiesInvalid > 0) out.push(plural(c.revlogPropertiesInvalid, 'Fixed {} review entry with invalid properties.', 'Fixed {} review entries with invalid properties.'));
  if (c.invalidUtf8 > 0) out.push(plural(c.invalidUtf8, 'Fixed {} note with invalid utf8 characters.', 'Fixed {} notes with invalid utf8 characters.'));
  if (c.invalidIds > 0) out.push(plural(c.invalidIds, 'Fixed {} object with timestamps in the future.', 'Fixed {} objects with timestamps in the future.'));
  return out;
}

/**
 * Runs Check Database. A damaged file is not touched: the result carries Anki's corruption message
 * (`ok` false). Fails with `busy` while a sync holds the collection.
 */
export function checkDatabase(col: Collection, opts: CheckDatabaseOptions = {}): OpResult<CheckDatabaseResult> {
  const store = DbCheckStore.of(col.db);
  const progress = opts.progress ?? (() => {});
  if (col.db.inTransaction) throw new DeckhandError('busy', 'the collection is busy (a sync is running); try again when it has finished');
  progress({ stage: 'Checking collection...', done: 0, total: null });
  if (store.quickCheckCorrupt()) {
    return { result: { problems: [DATABASE_CORRUPT], ok: false, report: DATABASE_CORRUPT, counts: zeroCounts() }, changes: noChanges() };
  }
  progress({ stage: 'Rebuilding...', done: 0, total: null });
  store.optimize();
  const r = col.transact('Check Database', (tx) => checkDatabaseInTx(tx, store, progress), { undoable: false });
  const problems = checkDatabaseProblems(r.result);
  return { result: { problems, ok: problems.length === 0, report: [...problems, DATABASE_REBUILT].join('\n'), counts: r.result }, changes: r.changes };
}

function checkDatabaseInTx(tx: Tx, store: DbCheckStore, progress: NonNullable<CheckDatabaseOptions['progress']>): CheckDatabaseCounts {
  const out = zeroCounts();
  // everything is re-read after the bulk statements below; nothing cached may survive them
  tx.storage.notetypes.clearCache();

  // cards first, as notes need to read them
  progress({ stage: 'Checking cards...', done: 0, total: null });
  checkCardProperties(tx, store, out);
  checkOrphanedCards(tx, store, out);
  checkMissingDeckIds(tx, store, out);
  checkFilteredCards(tx, store, out);
  checkNotetypes(tx, store, out, progress);

  progress({ stage: 'Checking history...', done: 0, total: null });
  const revlogFixed = store.fixRevlogProperties();
  if (revlogFixed > 0) {
    tx.changes.revlog = true;
    tx.markSchemaChanged();
    out.revlogPropertiesInvalid = revlogFixed;
  }

  out.decksMissing += addMissingDeckNames(tx);
  setConfigInTx(tx, 'nextPos', store.nextNewCardPosition());
  out.invalidIds = fixInvalidIds(tx, store);
  return out;
}

function checkCardProperties(tx: Tx, store: DbCheckStore, out: CheckDatabaseCounts): void {
  const timing = timingToday(tx);
  const fixed = store.fixCardProperties(timing.daysElapsed, tx.nowSecs, -1, schedulerVersion(tx) === 1);
  out.cardPositionTooHigh = fixed.newCardsFixed;
  out.cardPropertiesInvalid += fixed.otherCardsFixed;
  if (fixed.newCardsFixed + fixed.otherCardsFixed > 0) {
    tx.changes.cards = true;
    tx.changes.studyQueues = true;
  }
  // the last review time kept in card data (Anki 25.08+), from the review log
  let lrtFixed = 0;
  tx.keepingStamps(() => {
    for (const c of store.lastReviewCandidates()) {
      const lrt = c.rated !== null && (c.reset === null || c.rated > c.reset) ? Math.trunc(c.rated / 1000) : null;
      const data = parseCardData(c.data);
      if (data.lastReviewTime === lrt) continue;
      const card = store.card(c.id);
      if (!card) continue;
      data.lastReviewTime = lrt;
      card.data = serializeCardData(data);
      tx.putCard(card);
      lrtFixed++;
    }
  });
  out.cardLastReviewTimeEmpty = lrtFixed;
  // a one-way sync avoids conflicts over the rewritten cards
  if (lrtFixed > 0) tx.markSchemaChanged();
}

function checkOrphanedCards(tx: Tx, store: DbCheckStore, out: CheckDatabaseCounts): void {
  const n = store.deleteOrphanedCards();
  if (n > 0) {
    tx.changes.cards = true;
    tx.changes.studyQueues = true;
    tx.markSchemaChanged();
    out.cardsMissingNote = n;
  }
}

function checkMissingDeckIds(tx: Tx, store: DbCheckStore, out: CheckDatabaseCounts): void {
  for (const did of store.missingDeckIds()) {
    tx.putDeck({ id: did, name: `recovered${did}`, mtimeSecs: 0, usn: -1, common: defaultDeckCommon(), kind: { normal: defaultNormalDeck() } }, true);
    out.decksMissing++;
  }
}

/** Cards with a home deck whose current deck is not filtered go back to being ordinary cards. */
function checkFilteredCards(tx: Tx, store: DbCheckStore, out: CheckDatabaseCounts): void {
  const filtered = new Map<number, boolean>();
  const isFiltered = (did: number) => {
    if (!filtered.has(did)) {
      const deck = tx.storage.decks.get(did);
      filtered.set(did, deck ? !!deck.kind.filtered : true);
    }
    return filtered.get(did)!;
  };
  let wrong = 0;
  tx.keepingStamps(() => {
    for (const { id, did } of store.filteredCards()) {
      if (isFiltered(did)) continue;
      const card = store.card(id);
      if (!card) continue;
      card.originalDeckId = 0;
      card.originalDue = 0;
      tx.putCard(card);
      wrong++;
    }
  });
  if (wrong > 0) {
    tx.markSchemaChanged();
    out.cardPropertiesInvalid += wrong;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lossy = new TextDecoder('utf-8');

/** A note read with its raw bytes; invalid UTF-8 is replaced (as Rust's `from_utf8_lossy`). */
function decodeNote(raw: RawNoteRow): { note: Note; invalidUtf8: boolean; flds: string; tags: string } {
  let invalid = false;
  const text = (b: Buffer) => {
    try {
      return utf8.decode(b);
    } catch {
      invalid = true;
      return utf8Lossy.decode(b);
    }
  };
  const flds = text(raw.flds);
  const tags = text(raw.tags);
  return {
    note: { id: raw.id, guid: raw.guid, notetypeId: raw.mid, mtimeSecs: raw.mod, usn: raw.usn, tags: tagsFromColumn(tags), fields: flds.split('\x1f') },
    invalidUtf8: invalid,
    flds,
    tags,
  };
}

/** Anki's `fix_field_count`: pad with empty fields, or join the extra ones into the last with "; ". */
export function fixFieldCount(fields: string[], want: number): string[] {
  const out = [...fields];
  while (out.length < want) out.push('');
  while (out.length > want && out.length > 1) {
    const last = out.pop()!;
    out[out.length - 1] += `; ${last}`;
  }
  return out;
}

function checkNotetypes(tx: Tx, store: DbCheckStore, out: CheckDatabaseCounts, progress: NonNullable<CheckDatabaseOptions['progress']>): void {
  const groups = new Map<number, number[]>();
  for (const { mid, id } of store.noteIdsByNotetype()) {
    const g = groups.get(mid);
    if (g) g.push(id);
    else groups.set(mid, [id]);
  }
  const normalize = getConfig(tx, 'normalize_note_text');
  const stampMs = tx.nowMs;
  const stampSecs = tx.nowSecs;
  const total = [...groups.values()].reduce((s, g) => s + g.length, 0);
  let done = 0;

  // tags are re-registered from the notes; only their expanded state is carried over
  const expanded = store.expandedTags();
  store.clearAllTags();
  tx.changes.tags = true;

  progress({ stage: 'Checking notes...', done: 0, total });
  for (const [mid, nids] of groups) {
    let nt = tx.storage.notetypes.get(mid);
    if (!nt) {
      const first = store.rawNote(nids[0]);
      out.notetypesRecovered++;
      nt = recoverNotetype(tx, store, stampMs, first ? decodeNote(first).note.fields.length : 1, mid);
    }
    nt = addMissingFieldTags(tx, nt);
    const lastDeck = tx.storage.config.get<unknown>(`_nt_${nt.id}_lastDeck`);
    for (const nid of nids) {
      if (++done % 1000 === 0) progress({ stage: 'Checking notes...', done, total });
      const raw = store.rawNote(nid);
      if (!raw) continue;
      const decoded = decodeNote(raw);
      if (decoded.invalidUtf8) out.invalidUtf8++;
      const note = decoded.note;

      const cards = store.existingCardsOfNote(nid);
      out.cardOrdsDuplicated += removeDuplicateCardOrdinals(tx, store, cards);
      out.templatesMissing += removeCardsWithoutTemplate(tx, store, nt, cards);

      let fields = note.fields;
      if (fields.length !== nt.fields.length) {
        fields = fixFieldCount(fields, nt.fields.length);
        note.tags.push('db-check');
        out.fieldCountMismatch++;
      }
      if (note.mtimeSecs > stampSecs) note.mtimeSecs = stampSecs;
      // the notetype id changes when the notes were given a recovered notetype
      note.notetypeId = nt.id;
      // Anki's update_note_inner_generating_cards without marking the note modified
      note.tags = canonifyAndRegister(tx, note.tags);
      note.fields = fields.map((f) => normalizeFieldText(f, normalize));
      const derived = noteDerivedColumns(note, nt);
      const unchanged =
        !decoded.invalidUtf8 &&
        raw.mid === note.notetypeId &&
        raw.mod === note.mtimeSecs &&
        decoded.flds === note.fields.join('\x1f') &&
        decoded.tags === tagsToColumn(note.tags) &&
        String(raw.sfld ?? '') === derived.sfld &&
        raw.csum === derived.csum;
      if (!unchanged) {
        const written = note;
        tx.keepingStamps(() => tx.putNote(written, derived));
      }
      const remaining = tx.storage.cards.ofNote(nid);
      const homeDecks = new Set(remaining.map((c: Card) => c.originalDeckId || c.deckId));
      const deckId = homeDecks.size === 1 ? [...homeDecks][0] : typeof lastDeck === 'number' ? lastDeck : undefined;
      // a note left without cards gets its first one, as Anki's card generation ensures
      generateCardsForNote(tx, note, nt, remaining, { deckId, isNewNote: true });
    }
  }
  progress({ stage: 'Checking notes...', done: total, total });

  // registering the notes' tags collapsed them; restore what was expanded
  store.restoreExpandedTags(expanded);

  // a collection whose note types were all deleted gets Basic back
  if (tx.storage.notetypes.names().length === 0) addNotetypeInTx(tx, stockNotetype('basic'), { skipChecks: true });

  if (out.cardOrdsDuplicated > 0 || out.fieldCountMismatch > 0 || out.templatesMissing > 0 || out.notetypesRecovered > 0) tx.markSchemaChanged();
}

type ExistingCard = ReturnType<DbCheckStore['existingCardsOfNote']>[number];

function removeDuplicateCardOrdinals(tx: Tx, store: DbCheckStore, cards: ExistingCard[]): number {
  const seen = new Set<number>();
  let removed = 0;
  for (const c of cards) {
    if (seen.has(c.ord)) {
      store.deleteCard(c.id);
      tx.changes.cards = true;
      removed++;
    } else seen.add(c.ord);
  }
  return removed;
}

function removeCardsWithoutTemplate(tx: Tx, store: DbCheckStore, nt: Notetype, cards: ExistingCard[]): number {
  if (isCloze(nt)) return 0; // any ordinal is a valid cloze number
  let removed = 0;
  for (const c of cards) {
    if (c.ord >= nt.templates.length) {
      store.deleteCard(c.id);
      tx.changes.cards = true;
      removed++;
    }
  }
  return removed;
}

/** A Basic-based notetype for notes whose notetype is gone ("db-check-<ms>-<field count>"). */
function recoverNotetype(tx: Tx, store: DbCheckStore, stampMs: number, fieldCount: number, previousId: number): Notetype {
  const extraCards = store.highestCardOrdinalOfNotetype(previousId);
  const nt = stockNotetype('basic');
  for (let n = 3; nt.fields.length < fieldCount; n++) nt.fields.push(newField(String(n)));
  nt.name = `db-check-${stampMs}-${fieldCount}`;
  const { qFormat, aFormat } = nt.templates[0].config;
  for (let n = 0; n < extraCards; n++) nt.templates.push(newTemplate(`Card ${n + 2}`, qFormat, aFormat));
  return addNotetypeInTx(tx, nt, { skipChecks: true });
}

/** Image Occlusion notetypes get their field tags and deletion guards back (Anki's `add_missing_field_tags`). */
function addMissingFieldTags(tx: Tx, nt: Notetype): Notetype {
  if (nt.config.originalStockKind !== OriginalStockKind.ImageOcclusion || nt.fields.length < 5) return nt;
  const COMMENTS = 4;
  let changed = false;
  const next = structuredClone(nt);
  for (let i = 0; i < 5; i++) {
    const conf = next.fields[i].config;
    if (conf.preventDeletion) continue;
    // (Anki rewrites the notetype every time for Comments, whose guard stays off; only real changes here)
    const guard = i !== COMMENTS;
    if (conf.preventDeletion !== guard || conf.tag !== i) {
      conf.preventDeletion = guard;
      conf.tag = i;
      changed = true;
    }
  }
  return changed ? updateNotetypeInTx(tx, next, undefined, { skipChecks: true }) : nt;
}

/** Creates the missing parents of nested decks; counts each missing immediate parent. */
function addMissingDeckNames(tx: Tx): number {
  const seen = new Set<string>();
  let missing = 0;
  for (const { name } of tx.storage.decks.allNames()) {
    seen.add(unicaseFold(name));
    const i = name.lastIndexOf('::');
    if (i < 0) continue;
    const parent = name.slice(0, i);
    if (!seen.has(unicaseFold(parent))) {
      getOrCreateDeckInTx(tx, parent);
      seen.add(unicaseFold(parent));
      missing++;
    }
  }
  return missing;
}

function fixInvalidIds(tx: Tx, store: DbCheckStore): number {
  const now = tx.nowMs;
  const tomorrow = now + 86_400_000;
  const n = store.invalidIds(tomorrow);
  if (n > 0) {
    store.fixInvalidIds(tomorrow, now);
    Object.assign(tx.changes, { notes: true, cards: true, revlog: true, studyQueues: true });
    tx.markSchemaChanged();
  }
  return n;
}
