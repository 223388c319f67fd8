import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { DeckhandError } from '../collection/errors';
import { expectCollectionPasses, tempDir } from '../collection/test-support/check';
import { defaultDeckConfigConfig } from '../storage/proto/codecs';
import {
  addDeckConfig,
  deckConfigForDeck,
  deckConfigUseCounts,
  decksUsingConfig,
  getDeckConfig,
  getDeckConfigOrDefault,
  listDeckConfigs,
  removeDeckConfig,
  setDeckConfigForDecks,
  updateDeckConfig,
  validateDeckConfigConfig,
} from './deck-config-service';
import { addDeck, addFilteredDeck, getDeck, getDeckByName } from './decks-service';

const open: { col: Collection; path: string }[] = [];
function fresh(): { col: Collection; path: string } {
  const path = join(tempDir('deckhand-dconf-'), 'collection.anki2');
  const entry = { col: Collection.create(path), path };
  open.push(entry);
  return entry;
}
function closeAndCheck(e: { col: Collection; path: string }): void {
  e.col.close();
  expectCollectionPasses(e.path);
}
afterEach(() => {
  for (const e of open.splice(0)) e.col.close();
});
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as DeckhandError).code;
  }
  return undefined;
};
const configIdOf = (col: Collection, deckId: number) => Number(getDeck(col, deckId).kind.normal!.configId);

describe('deck options presets', () => {
  it('lists, adds (defaults or a clone), assigns with subdecks, and counts uses', () => {
    const e = fresh();
    const { col } = e;
    expect(listDeckConfigs(col).map((c) => [c.id, c.name, c.useCount])).toEqual([[1, 'Default', 1]]);
    const fresh1 = addDeckConfig(col, '  Languages ').result;
    expect(fresh1.name).toBe('Languages');
    expect(fresh1.config).toEqual(defaultDeckConfigConfig());
    expect(fresh1.id).toBeGreaterThan(1_600_000_000_000);
    const edited = { ...fresh1, config: { ...fresh1.config, newPerDay: 5, learnSteps: [2, 20, 1440] } };
    updateDeckConfig(col, edited);
    const clone = addDeckConfig(col, 'Languages (copy)', fresh1.id).result;
    expect(clone.config.newPerDay).toBe(5);
    expect(clone.config.learnSteps).toEqual([2, 20, 1440]);
    expect(code(() => addDeckConfig(col, ' '))).toBe('invalid-input');
    expect(code(() => addDeckConfig(col, 'x', 999))).toBe('not-found');

    const es = addDeck(col, 'Español::Verbos').result;
    const parent = getDeckByName(col, 'Español')!;
    const f = addFilteredDeck(col, { name: 'F' }).result;
    expect(setDeckConfigForDecks(col, fresh1.id, [parent.id]).result).toBe(1);
    expect(configIdOf(col, es.id)).toBe(1);
    expect(setDeckConfigForDecks(col, fresh1.id, [parent.id], { includeChildren: true }).result).toBe(1);
    expect(configIdOf(col, es.id)).toBe(fresh1.id);
    expect(code(() => setDeckConfigForDecks(col, fresh1.id, [f.id]))).toBe('invalid-input');
    expect(code(() => setDeckConfigForDecks(col, 12345, [parent.id]))).toBe('not-found');
    expect(deckConfigUseCounts(col).get(fresh1.id)).toBe(2);
    expect(decksUsingConfig(col, fresh1.id).sort()).toEqual([parent.id, es.id].sort());
    expect(listDeckConfigs(col).map((c) => c.useCount)).toEqual([1, 2, 0]);
    expect(deckConfigForDeck(col, es.id).name).toBe('Languages');
    expect(code(() => deckConfigForDeck(col, f.id))).toBe('invalid-input');
    closeAndCheck(e);
  });

  it('validates on save: clamps ranges, keeps float32, refuses bad steps/enums/FSRS parameters', () => {
    const base = defaultDeckConfigConfig();
    const v = validateDeckConfigConfig({ ...base, newPerDay: 20_000, reviewsPerDay: 0, initialEase: 1.0, desiredRetention: 0.999, maximumReviewInterval: 0, hardMultiplier: 1.25 });
    expect([v.newPerDay, v.reviewsPerDay, v.maximumReviewInterval]).toEqual([9999, 0, 1]);
    expect(v.initialEase).toBe(Math.fround(1.31));
    expect(v.desiredRetention).toBe(Math.fround(0.99));
    expect(v.hardMultiplier).toBe(Math.fround(1.25));
    expect(() => validateDeckConfigConfig({ ...base, newPerDay: 2.5 })).toThrow(/whole number/);
    expect(() => validateDeckConfigConfig({ ...base, easyMultiplier: Number.NaN })).toThrow(/easyMultiplier/);
    expect(() => validateDeckConfigConfig({ ...base, learnSteps: [1, 0] })).toThrow(/steps/);
    expect(() => validateDeckConfigConfig({ ...base, reviewOrder: 13 })).toThrow(/reviewOrder/);
    expect(() => validateDeckConfigConfig({ ...base, fsrsParams6: [1, 2, 3] })).toThrow(/FSRS/);
    expect(validateDeckConfigConfig({ ...base, fsrsParams6: Array(21).fill(0.5) }).fsrsParams6).toHaveLength(21);
    // empty FSRS 6 parameters clear the older sets, as Anki does on save
    const cleared = validateDeckConfigConfig({ ...base, fsrsParams5: Array(19).fill(1), fsrsParams4: Array(17).fill(1) });
    expect([cleared.fsrsParams4, cleared.fsrsParams5]).toEqual([[], []]);
  });

  it('saves only real changes, and values survive a reopen', () => {
    const e = fresh();
    const { col } = e;
    const c = getDeckConfig(col, 1);
    expect(updateDeckConfig(col, c).changes.deckConfigs).toBe(false);
    const r = updateDeckConfig(col, { ...c, name: 'Standard', config: { ...c.config, newPerDay: 15, buryNew: true, desiredRetention: 0.85 } });
    expect(r.changes.deckConfigs).toBe(true);
    col.close();
    const again = Collection.open(e.path);
    open.push({ col: again, path: e.path });
    const stored = getDeckConfig(again, 1);
    expect([stored.name, stored.config.newPerDay, stored.config.buryNew, stored.config.desiredRetention]).toEqual(['Standard', 15, true, Math.fround(0.85)]);
    expect(stored.usn).toBe(-1);
    closeAndCheck({ col: again, path: e.path });
  });

  it('removes presets (never 1): decks fall back to preset 1 and the schema is marked changed', () => {
    const e = fresh();
    const { col } = e;
    const p = addDeckConfig(col, 'Temp').result;
    const d = addDeck(col, 'Uses Temp').result;
    setDeckConfigForDecks(col, p.id, [d.id]);
    const scm = col.storage.col.get().scm;
    expect(code(() => removeDeckConfig(col, 1))).toBe('invalid-input');
    expect(code(() => removeDeckConfig(col, 777))).toBe('not-found');
    const r = removeDeckConfig(col, p.id);
    expect(r.result).toBe(1);
    expect(configIdOf(col, d.id)).toBe(1);
    expect(col.storage.deckConfigs.get(p.id)).toBeUndefined();
    expect(col.storage.col.get().scm).toBeGreaterThanOrEqual(scm);
    expect(col.storage.col.get().scm).toBe(col.storage.col.get().mod);
    // no grave for deck configs (Anki forces a full sync instead)
    expect(col.storage.graves.getRow(p.id, 2)).toBeUndefined();
    // undo restores preset and assignment
    col.undo();
    expect(getDeckConfig(col, p.id).name).toBe('Temp');
    expect(configIdOf(col, d.id)).toBe(p.id);
    closeAndCheck(e);
  });

  it('falls back to preset 1, then to the built-in defaults; clamps invalid stored values on read', () => {
    const e = fresh();
    const { col } = e;
    const d = addDeck(col, 'Orphan').result;
    col.transact('dangling', (tx) => {
      const deck = tx.storage.decks.get(d.id)!;
      deck.kind.normal!.configId = 424242n;
      tx.putDeck(deck);
      const one = tx.storage.deckConfigs.get(1)!;
      one.config.newPerDay = 50_000;
      one.config.initialEase = Number.NaN;
      tx.putDeckConfig(one);
    });
    const c = deckConfigForDeck(col, d.id);
    expect(c.id).toBe(1);
    expect(c.config.newPerDay).toBe(20);
    expect(c.config.initialEase).toBe(Math.fround(2.5));
    col.transact('no default', (tx) => tx.removeDeckConfig(1));
    const builtIn = getDeckConfigOrDefault(col, 424242);
    expect([builtIn.id, builtIn.name]).toEqual([0, '']);
    expect(builtIn.config).toEqual(defaultDeckConfigConfig());
    col.undo();
    col.undo();
    closeAndCheck(e);
  });
});
