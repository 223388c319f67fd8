/**
 * What every collection action starts with: the open profile (or AnkiConnect's
 * `collection is not available`), and lookups that fail with AnkiConnect's exact texts.
 */
import type { Collection } from '../../collection/collection';
import type { Deck } from '../../decks/deck';
import { getDeck, getDeckByName } from '../../decks/decks-service';
import type { OpenProfile } from '../../host/open-profile';
import type { Notetype } from '../../notetypes/notetype';
import { findNotetype, getNotetypeByName, notetypeIdByName } from '../../notetypes/notetypes-service';
import type { ActionContext } from './registry';

export const NOT_AVAILABLE = 'collection is not available';

/** The open profile; `collection is not available` when there is none (or it was closed). */
export function session(ctx: ActionContext): OpenProfile {
  const get = ctx.services.session;
  if (!get) throw new Error(NOT_AVAILABLE);
  const s = get();
  if (!s || s.col.isClosed) throw new Error(NOT_AVAILABLE);
  return s;
}

export function collection(ctx: ActionContext): Collection {
  return session(ctx).col;
}

/** `col.models.by_name` (names compare ignoring case) → `model was not found: <name>`. A private copy. */
export function modelByName(col: Collection, name: string): Notetype {
  const nt = getNotetypeByName(col, name);
  if (!nt) throw new Error(`model was not found: ${name}`);
  return nt;
}

/** Like modelByName, but the shared cached notetype: for reading only, never to be modified. */
export function modelByNameForReading(col: Collection, name: string): Readonly<Notetype> {
  const id = notetypeIdByName(col, name);
  const nt = id === undefined ? undefined : col.storage.notetypes.get(id);
  if (!nt) throw new Error(`model was not found: ${name}`);
  return nt;
}

export function modelById(col: Collection, id: number): Notetype {
  const nt = findNotetype(col, id);
  if (!nt) throw new Error(`model was not found: ${id}`);
  return nt;
}

/** `col.decks.by_name` → `deck was not found: <name>`. */
export function deckByName(col: Collection, name: string): Deck {
  const deck = getDeckByName(col, name);
  if (!deck) throw new Error(`deck was not found: ${name}`);
  return deck;
}

/** The deck with an id, or deck 1 when it is gone (Anki's `decks.get(did)` default). */
export function deckOrDefault(col: Collection, id: number): Deck {
  return col.storage.decks.get(id) ?? getDeck(col, 1);
}

/** Runs `fn` for each id in order, caching per id (lists may repeat ids). */
export function memo<K, V>(fn: (k: K) => V): (k: K) => V {
  const cache = new Map<K, V>();
  return (k) => {
    if (cache.has(k)) return cache.get(k)!;
    const v = fn(k);
    cache.set(k, v);
    return v;
  };
}

/** `{name: {value, order}}` of a note's fields (AnkiConnect's notesInfo/cardsInfo shape). */
export function fieldsObject(nt: Notetype, values: readonly string[]): Record<string, { value: string; order: number }> {
  const out: Record<string, { value: string; order: number }> = {};
  for (const f of nt.fields) out[f.name] = { value: values[f.ord] ?? '', order: f.ord };
  return out;
}
