import type { Card } from '../cards/card';
import type { Deck } from '../decks/deck';
import type { DeckConfig } from '../decks/deck-config';
import type { Note } from '../notes/note';
import type { Notetype } from '../notetypes/notetype';
import { cardToRow } from '../storage/card-store';
import { deckConfigToRow, deckToRow } from '../storage/deck-store';
import { encodeConfigValue, GraveKind, type RevlogRow } from '../storage/misc-stores';
import { FIELD_SEPARATOR, tagsToColumn } from '../storage/note-store';
import { notetypeToRows } from '../storage/notetype-store';
import type { Storage } from '../storage/storage';
import { secs } from './clock';
import { noChanges, type OpChanges } from './op-changes';
import { currentImage, type RowImage, TABLE_CHANGE } from './undo';

export interface TxOptions {
  /** Keep the mod/usn the caller set (sync, import) instead of stamping now / -1. */
  keepStamps?: boolean;
}

/**
 * The only way to write: every write goes through these methods inside `Collection.transact`,
 * which stamp mod/usn, journal the before-image for undo and note what changed.
 */
export class Tx {
  readonly changes: OpChanges = noChanges();
  readonly images: RowImage[] = [];
  private readonly seen = new Set<string>();
  private readonly lastIds = new Map<string, number>();
  readonly nowSecs: number;
  schemaChanged = false;
  private readonly memo = new Map<string, unknown>();
  private readonly commitHooks = new Map<string, () => void>();
  private keepDepth = 0;

  constructor(
    readonly storage: Storage,
    readonly nowMs: number,
    readonly opts: TxOptions = {},
  ) {
    this.nowSecs = secs(nowMs);
  }

  private journal(img: RowImage, known?: 'absent'): void {
    const k = `${img.table}:${String(img.key)}`;
    this.changes[TABLE_CHANGE[img.table]] = true;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.images.push(known === 'absent' ? img : currentImage(this.storage, img));
  }

  private stamp<T extends { mtimeSecs: number; usn: number }>(o: T): T {
    if (!this.opts.keepStamps && this.keepDepth === 0) {
      o.mtimeSecs = this.nowSecs;
      o.usn = -1;
    }
    return o;
  }

  /**
   * A fresh millisecond id for a table: now, or one past the largest id in use or handed out in
   * this operation (Anki's rule when the timestamp is taken).
   */
  nextId(table: 'notes' | 'cards' | 'decks' | 'deck_config' | 'notetypes' | 'revlog'): number {
    let last = this.lastIds.get(table);
    if (last === undefined) {
      const s = this.storage;
      last = { notes: s.notes, cards: s.cards, decks: s.decks, deck_config: s.deckConfigs, notetypes: s.notetypes, revlog: s.revlog }[table].maxId();
    }
    const id = Math.max(this.nowMs, last + 1);
    this.lastIds.set(table, id);
    return id;
  }

  putNote(note: Note, derived: { sfld: string; csum: number }, isNew = false): Note {
    this.journal({ table: 'notes', key: note.id, row: null }, isNew ? 'absent' : undefined);
    this.stamp(note);
    this.storage.notes.putRow({
      id: note.id,
      guid: note.guid,
      mid: note.notetypeId,
      mod: note.mtimeSecs,
      usn: note.usn,
      tags: tagsToColumn(note.tags),
      flds: note.fields.join(FIELD_SEPARATOR),
      sfld: derived.sfld,
      csum: derived.csum,
      flags: 0,
      data: '',
    });
    return note;
  }

  removeNote(id: number): void {
    this.journal({ table: 'notes', key: id, row: null });
    this.storage.notes.delete(id);
    this.addGrave(id, GraveKind.Note);
  }

  putCard(card: Card, isNew = false): Card {
    this.journal({ table: 'cards', key: card.id, row: null }, isNew ? 'absent' : undefined);
    this.changes.studyQueues = true;
    this.stamp(card);
    this.storage.cards.putRow(cardToRow(card));
    return card;
  }

  removeCard(id: number): void {
    this.journal({ table: 'cards', key: id, row: null });
    this.changes.studyQueues = true;
    this.storage.cards.delete(id);
    this.addGrave(id, GraveKind.Card);
  }

  putDeck(deck: Deck, isNew = false): Deck {
    this.journal({ table: 'decks', key: deck.id, row: null }, isNew ? 'absent' : undefined);
    this.changes.studyQueues = true;
    this.stamp(deck);
    this.storage.decks.putRow(deckToRow(deck));
    return deck;
  }

  removeDeck(id: number): void {
    this.journal({ table: 'decks', key: id, row: null });
    this.changes.studyQueues = true;
    this.storage.decks.delete(id);
    this.addGrave(id, GraveKind.Deck);
  }

  putDeckConfig(conf: DeckConfig, isNew = false): DeckConfig {
    this.journal({ table: 'deck_config', key: conf.id, row: null }, isNew ? 'absent' : undefined);
    this.changes.studyQueues = true;
    this.stamp(conf);
    this.storage.deckConfigs.putRow(deckConfigToRow(conf));
    return conf;
  }

  /** Deck-config deletions are not in graves: like Anki, they force a full sync instead. */
  removeDeckConfig(id: number): void {
    this.journal({ table: 'deck_config', key: id, row: null });
    this.storage.deckConfigs.delete(id);
    this.markSchemaChanged();
  }

  putNotetype(nt: Notetype, isNew = false): Notetype {
    this.journal({ table: 'notetypes', key: nt.id, row: null }, isNew ? 'absent' : undefined);
    this.stamp(nt);
    if (!this.opts.keepStamps) for (const t of nt.templates) this.stamp(t);
    this.storage.notetypes.putRows(notetypeToRows(nt));
    return nt;
  }

  /** Notetype deletions are not in graves: like Anki, they force a full sync instead. */
  removeNotetype(id: number): void {
    this.journal({ table: 'notetypes', key: id, row: null });
    this.storage.notetypes.delete(id);
    this.markSchemaChanged();
  }

  setConfig(key: string, value: unknown): void {
    this.journal({ table: 'config', key, row: null });
    if (key === 'rollover' || key === 'creationOffset' || key === 'localOffset') this.changes.studyQueues = true;
    this.storage.config.putRow({ KEY: key, usn: this.opts.keepStamps ? 0 : -1, mtime_secs: this.nowSecs, val: encodeConfigValue(value) });
  }

  removeConfig(key: string): void {
    this.journal({ table: 'config', key, row: null });
    this.storage.config.delete(key);
  }

  putTag(tag: string, collapsed: boolean, usn = -1): void {
    this.journal({ table: 'tags', key: tag, row: null });
    this.storage.tags.putRow({ tag, usn: this.opts.keepStamps ? usn : -1, collapsed: collapsed ? 1 : 0, config: null });
  }

  removeTag(tag: string): void {
    this.journal({ table: 'tags', key: tag, row: null });
    this.storage.tags.delete(tag);
  }

  addRevlog(row: RevlogRow): void {
    this.journal({ table: 'revlog', key: row.id, row: null }, 'absent');
    this.storage.revlog.putRow(row);
  }

  removeRevlog(id: number): void {
    this.journal({ table: 'revlog', key: id, row: null });
    this.storage.revlog.delete(id);
  }

  addGrave(oid: number, kind: GraveKind, usn = -1): void {
    this.journal({ table: 'graves', key: [oid, kind], row: null });
    this.storage.graves.putRow({ oid, type: kind, usn });
  }

  removeGrave(oid: number, kind: GraveKind): void {
    this.journal({ table: 'graves', key: [oid, kind], row: null });
    this.storage.graves.delete(oid, kind);
  }

  /**
   * A value computed once per operation (e.g. a deck's insert order while adding 10,000 notes).
   * Only for values the operation itself does not change, or keeps up to date.
   */
  memoize<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  /** Runs `fn` once just before the transaction commits (the last registration per key wins). */
  beforeCommit(key: string, fn: () => void): void {
    this.commitHooks.set(key, fn);
  }

  /** Called by `Collection.transact` before committing. */
  runCommitHooks(): void {
    for (const fn of this.commitHooks.values()) fn();
    this.commitHooks.clear();
  }

  /**
   * Runs `fn` with the mod/usn of the notes, cards, decks… it writes kept as the caller set them
   * (Anki's storage-level writes that do not mark an object modified, e.g. Check Database's).
   */
  keepingStamps<T>(fn: () => T): T {
    this.keepDepth++;
    try {
      return fn();
    } finally {
      this.keepDepth--;
    }
  }

  /** Bumps `col.scm`: the next sync must be a one-way full sync (Anki does the same). */
  markSchemaChanged(): void {
    this.schemaChanged = true;
  }
}
