// Test fixtures for the scheduler services: a collection on a controllable clock, notes in decks,
// and direct card edits.

import { join } from 'node:path';
import { type Card } from '../../cards/card';
import type { Clock } from '../../collection/clock';
import { Collection } from '../../collection/collection';
import { tempDir } from '../../collection/test-support/check';
import { addDeckConfig, getDeckConfig, setDeckConfigForDecks, updateDeckConfig } from '../../decks/deck-config-service';
import { addDeck, updateDeck } from '../../decks/decks-service';
import { addNotes } from '../../notes/notes-service';
import { type DeckConfigConfig, type NormalDeck, OriginalStockKind } from '../../storage/proto/messages';

export class FakeClock implements Clock {
  constructor(public ms: number) {}
  nowMs(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  advanceSecs(s: number): void {
    this.ms += s * 1000;
  }
}

/** A local-time moment: `daysAgo` days before now, at `hour`:`minute` local time. */
export function localMoment(daysAgo: number, hour = 10, minute = 0): number {
  const d = new Date();
  d.setDate(d.getDate() - daysAgo);
  d.setHours(hour, minute, 0, 0);
  return d.getTime();
}

export interface Fixture {
  col: Collection;
  path: string;
  clock: FakeClock;
}

const open: Collection[] = [];

/** A new collection whose clock starts `daysAgo` days ago at 10:00 local time. */
export function freshCollection(daysAgo = 30, hour = 10): Fixture {
  const path = join(tempDir('deckhand-sched-'), 'collection.anki2');
  const clock = new FakeClock(localMoment(daysAgo, hour));
  const col = Collection.create(path, { clock });
  open.push(col);
  return { col, path, clock };
}

export function closeAll(): void {
  for (const c of open.splice(0)) if (!c.isClosed) c.close();
}

export function notetypeId(col: Collection, kind: OriginalStockKind): number {
  return col.storage.notetypes.all().find((n) => n.config.originalStockKind === kind)!.id;
}

/** Adds `n` notes (Basic, or Basic and reversed with `reversed`) to a deck; returns card ids per note. */
export function addCards(col: Collection, deckId: number, n: number, opts: { reversed?: boolean; prefix?: string; tags?: string[] } = {}): number[][] {
  const nt = notetypeId(col, opts.reversed ? OriginalStockKind.BasicAndReversed : OriginalStockKind.Basic);
  const prefix = opts.prefix ?? `d${deckId}`;
  const r = addNotes(
    col,
    Array.from({ length: n }, (_, i) => ({ notetypeId: nt, deckId, fields: [`${prefix} front ${i}`, `back ${i}`], tags: opts.tags })),
  );
  return r.result.map((a) => a.cardIds);
}

export function deck(col: Collection, name: string): number {
  return addDeck(col, name, { onDuplicate: 'existing' }).result.id;
}

/** Rewrites cards directly (stamped like any edit). */
export function editCards(col: Collection, ids: readonly number[], change: (c: Card) => void): void {
  col.transact('Edit (test)', (tx) => {
    for (const c of tx.storage.cards.getMany(ids)) {
      change(c);
      tx.putCard(c);
    }
  });
}

export function card(col: Collection, id: number): Card {
  return col.storage.cards.get(id)!;
}

/** Changes preset 1 (Default). */
export function updateDefaultPreset(col: Collection, change: (c: DeckConfigConfig) => void): void {
  const conf = getDeckConfig(col, 1);
  change(conf.config);
  updateDeckConfig(col, conf);
}

/** Gives a deck a new preset (a copy of the defaults with `change` applied); returns its id. */
export function presetFor(col: Collection, deckId: number, change: (c: DeckConfigConfig) => void): number {
  const conf = addDeckConfig(col, `preset for ${deckId}`).result;
  change(conf.config);
  updateDeckConfig(col, conf);
  setDeckConfigForDecks(col, conf.id, [deckId]);
  return conf.id;
}

/** Changes a normal deck's own settings (limits, description…). */
export function updateNormalDeck(col: Collection, deckId: number, change: (n: NormalDeck) => void): void {
  const d = col.storage.decks.get(deckId)!;
  change(d.kind.normal!);
  updateDeck(col, d);
}
