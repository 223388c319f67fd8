import type { CardRow } from '../storage/card-store';
import type { DeckConfigRow, DeckRow } from '../storage/deck-store';
import type { ConfigRow, GraveRow, RevlogRow, TagRow } from '../storage/misc-stores';
import type { NoteRow } from '../storage/note-store';
import type { NotetypeRows } from '../storage/notetype-store';
import type { Storage } from '../storage/storage';
import type { ChangeKind } from './op-changes';

/**
 * Undo works on row images: the first write to a row inside an operation records the row as it
 * was (or its absence). Undoing restores those images and records the current ones, which makes
 * redo the very same operation in the other direction.
 */
export type RowImage =
  | { table: 'notes'; key: number; row: NoteRow | null }
  | { table: 'cards'; key: number; row: CardRow | null }
  | { table: 'decks'; key: number; row: DeckRow | null }
  | { table: 'deck_config'; key: number; row: DeckConfigRow | null }
  | { table: 'notetypes'; key: number; row: NotetypeRows | null }
  | { table: 'config'; key: string; row: ConfigRow | null }
  | { table: 'tags'; key: string; row: TagRow | null }
  | { table: 'graves'; key: [number, number]; row: GraveRow | null }
  | { table: 'revlog'; key: number; row: RevlogRow | null };

export type TableName = RowImage['table'];

export const TABLE_CHANGE: Record<TableName, ChangeKind> = {
  notes: 'notes',
  cards: 'cards',
  decks: 'decks',
  deck_config: 'deckConfigs',
  notetypes: 'notetypes',
  config: 'config',
  tags: 'tags',
  graves: 'notes',
  revlog: 'revlog',
};

export interface UndoStep {
  op: string;
  images: RowImage[];
}

export function currentImage(storage: Storage, img: RowImage): RowImage {
  switch (img.table) {
    case 'notes':
      return { ...img, row: storage.notes.getRow(img.key) ?? null };
    case 'cards':
      return { ...img, row: storage.cards.getRow(img.key) ?? null };
    case 'decks':
      return { ...img, row: storage.decks.getRow(img.key) ?? null };
    case 'deck_config':
      return { ...img, row: storage.deckConfigs.getRow(img.key) ?? null };
    case 'notetypes':
      return { ...img, row: storage.notetypes.getRows(img.key) ?? null };
    case 'config':
      return { ...img, row: storage.config.getRow(img.key) ?? null };
    case 'tags':
      return { ...img, row: storage.tags.getRow(img.key) ?? null };
    case 'graves':
      return { ...img, row: storage.graves.getRow(img.key[0], img.key[1]) ?? null };
    case 'revlog':
      return { ...img, row: storage.revlog.getRow(img.key) ?? null };
  }
}

/** Writes an image back. Restored rows are marked unsynced so the next sync sends them. */
export function restoreImage(storage: Storage, img: RowImage, nowSecs: number): void {
  switch (img.table) {
    case 'notes':
      return img.row ? storage.notes.putRow({ ...img.row, usn: -1, mod: nowSecs }) : storage.notes.delete(img.key);
    case 'cards':
      return img.row ? storage.cards.putRow({ ...img.row, usn: -1, mod: nowSecs }) : storage.cards.delete(img.key);
    case 'decks':
      return img.row ? storage.decks.putRow({ ...img.row, usn: -1, mtime_secs: nowSecs }) : storage.decks.delete(img.key);
    case 'deck_config':
      return img.row ? storage.deckConfigs.putRow({ ...img.row, usn: -1, mtime_secs: nowSecs }) : storage.deckConfigs.delete(img.key);
    case 'notetypes':
      return img.row ? storage.notetypes.putRows({ ...img.row, notetype: { ...img.row.notetype, usn: -1, mtime_secs: nowSecs } }) : storage.notetypes.delete(img.key);
    case 'config':
      return img.row ? storage.config.putRow({ ...img.row, usn: -1, mtime_secs: nowSecs }) : storage.config.delete(img.key);
    case 'tags':
      return img.row ? storage.tags.putRow({ ...img.row, usn: -1 }) : storage.tags.delete(img.key);
    case 'graves':
      return img.row ? storage.graves.putRow(img.row) : storage.graves.delete(img.key[0], img.key[1]);
    case 'revlog':
      return img.row ? storage.revlog.putRow(img.row) : storage.revlog.delete(img.key);
  }
}
