// Anki's `NameOrId`: a notetype or deck named in the file, by id or by name.

import type { Collection } from '../../collection/collection';
import type { Tx } from '../../collection/tx';
import { normalizeDeckName } from '../../decks/deck-names';
import type { Notetype } from '../../notetypes/notetype';

export type NameOrId = { id: number } | { name: string };
export const DEFAULT_NAME_OR_ID: NameOrId = { name: '' };
export const isDefault = (n: NameOrId) => 'name' in n && n.name === '';

/** Anki's `NameOrId::parse`: an i64 if it parses as one, else a name. */
export function parseNameOrId(s: string): NameOrId {
  if (/^[+-]?\d+$/.test(s)) {
    const n = Number(s);
    if (Number.isSafeInteger(n)) return { id: n };
  }
  return { name: s };
}

export type Reader = Collection | Tx;

export function notetypeByNameOrId(r: Reader, n: NameOrId): Notetype | undefined {
  if ('id' in n) return r.storage.notetypes.get(n.id) ?? byName(r, String(n.id));
  return byName(r, n.name);
}
function byName(r: Reader, name: string): Notetype | undefined {
  const id = r.storage.notetypes.idByName(name);
  return id === undefined ? undefined : r.storage.notetypes.get(id);
}
export function deckIdByNameOrId(r: Reader, n: NameOrId): number | undefined {
  if ('id' in n) return r.storage.decks.get(n.id)?.id ?? r.storage.decks.byName(String(n.id))?.id;
  return r.storage.decks.byName(normalizeDeckName(n.name))?.id;
}
