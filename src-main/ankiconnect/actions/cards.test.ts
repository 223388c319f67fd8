import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setUpTestDeck, startTestHost, type TestHost, type UpstreamSetup } from '../test-support';

let h: TestHost;
let s: UpstreamSetup;
beforeEach(async () => {
  h = await startTestHost();
  s = await setUpTestDeck(h);
});
afterEach(async () => h.close());

const err = async (action: string, params: unknown) => (await h.post(action, params)).error;

describe('cards (upstream tests)', () => {
  it('findCards finds the four cards; no query → []', async () => {
    expect(s.cards).toHaveLength(4);
    expect(await h.call('findCards', {})).toEqual([]);
  });

  it('ease factors', async () => {
    expect(await h.call('setEaseFactors', { cards: s.cards, easeFactors: [4200, 4200, 4200, 4200] })).toEqual([true, true, true, true]);
    expect(await h.call('getEaseFactors', { cards: s.cards })).toEqual([4200, 4200, 4200, 4200]);
    expect(await h.call('setEaseFactors', { cards: [123], easeFactors: [4200] })).toEqual([false]);
    expect(await h.call('getEaseFactors', { cards: [123] })).toEqual([null]);
    expect(await err('setEaseFactors', { cards: s.cards, easeFactors: [2500] })).toBe('list index out of range');
    expect(await h.call('getEaseFactors', { cards: s.cards })).toEqual([4200, 4200, 4200, 4200]);
  });

  it('suspend / unsuspend / suspended / areSuspended', async () => {
    expect(await h.call('areSuspended', { cards: [...s.cards, 123] })).toEqual([false, false, false, false, null]);
    expect(await h.call('suspend', { cards: s.cards })).toBe(true);
    expect(await h.call('suspend', { cards: s.cards })).toBe(false);
    expect(await h.call('areSuspended', { cards: s.cards })).toEqual([true, true, true, true]);
    expect(await h.call('suspended', { card: s.cards[0] })).toBe(true);
    expect(await err('suspend', { cards: [123] })).toBe('Card was not found: 123');
    expect(await err('suspended', { card: 123 })).toBe('Card was not found: 123');
    expect(await h.call('unsuspend', { cards: s.cards })).toBe(null);
    expect(await h.call('areSuspended', { cards: s.cards })).toEqual([false, false, false, false]);
  });

  it('areDue is true for new cards; getIntervals 0 for new cards', async () => {
    expect(await h.call('areDue', { cards: s.cards })).toEqual([true, true, true, true]);
    expect(await h.call('getIntervals', { cards: s.cards })).toEqual([0, 0, 0, 0]);
    expect(await h.call('getIntervals', { cards: s.cards, complete: true })).toEqual([0, 0, 0, 0]);
    expect(await err('getIntervals', { cards: [123] })).toBe('list index out of range');
    expect(await h.call('getIntervals', { cards: [123], complete: true })).toEqual([[]]);
  });

  it('cardsInfo: input order, rendered sides with the note type css, {} for unknown ids', async () => {
    const info = await h.call<Record<string, unknown>[]>('cardsInfo', { cards: [...s.cards, 123] });
    expect(info.slice(0, 4).map((c) => c.cardId)).toEqual(s.cards);
    expect(info[4]).toEqual({});
    const first = info.find((c) => c.cardId === s.note1Cards[0])!;
    expect(first).toMatchObject({
      note: s.note1,
      deckName: 'test_deck',
      modelName: 'test_model',
      css: '* {}',
      type: 0,
      queue: 0,
      factor: 0,
      interval: 0,
      reps: 0,
      lapses: 0,
      left: 0,
      flags: 0,
      fields: { field1: { value: 'note1 field1', order: 0 }, field2: { value: 'note1 field2', order: 1 } },
    });
    expect(first.question).toBe('<style>* {}</style>note1 field1');
    expect(first.answer).toBe('<style>* {}</style>note1 field2');
    expect(first.ord).toBe(first.fieldOrder);
    expect(first.nextReviews).toHaveLength(4);
    expect((first.nextReviews as string[])[0]).toMatch(/^<?\d+m$/);
    expect(await h.call('cardsModTime', { cards: [s.cards[0], 5] })).toEqual([{ cardId: s.cards[0], mod: info[0].mod }, {}]);
  });

  it('answerCards, forgetCards, relearnCards, setDueDate', async () => {
    const answers = s.cards.map((cardId, i) => ({ cardId, ease: [2, 1, 4, 3][i] }));
    expect(await h.call('answerCards', { answers })).toEqual([true, true, true, true]);
    expect(await h.call('answerCards', { answers: [{ cardId: 123, ease: 2 }] })).toEqual([false]);
    expect(await h.call('getNumCardsReviewedToday')).toBe(4);
    expect((await h.call<unknown[]>('cardReviews', { deck: 'test_deck', startID: 0 })).length).toBe(4);
    const ivls = await h.call<number[]>('getIntervals', { cards: s.cards });
    expect(ivls.every((i) => typeof i === 'number' && i !== 0)).toBe(true);
    expect(await h.call('areDue', { cards: s.cards })).toHaveLength(4);
    await h.call('forgetCards', { cards: s.cards });
    const info = await h.call<{ type: number; queue: number }[]>('cardsInfo', { cards: s.cards });
    expect(info.every((c) => c.type === 0 && c.queue === 0)).toBe(true);
    expect(await h.call('setDueDate', { cards: s.cards, days: '1!' })).toBe(true);
    const due = await h.call<{ type: number; queue: number; interval: number }[]>('cardsInfo', { cards: s.cards });
    expect(due.every((c) => c.type === 2 && c.queue === 2 && c.interval === 1)).toBe(true);
    expect(await err('setDueDate', { cards: s.cards, days: 'soon' })).toBeTruthy();
    await h.call('relearnCards', { cards: s.cards });
    const re = await h.call<{ type: number; queue: number }[]>('cardsInfo', { cards: s.cards });
    expect(re.every((c) => c.type === 3 && c.queue === 1)).toBe(true);
  });

  it('setSpecificValueOfCard guards and writes', async () => {
    const card = s.cards[0];
    expect(await h.call('setSpecificValueOfCard', { card, keys: ['flags', 'factor'], newValues: [3, 2300] })).toEqual([true]);
    expect(await h.call<{ flags: number; factor: number }[]>('cardsInfo', { cards: [card] })).toMatchObject([{ flags: 3, factor: 2300 }]);
    expect(await h.call('setSpecificValueOfCard', { card, keys: ['ivl'], newValues: [5] })).toBe(false);
    expect(await h.call('setSpecificValueOfCard', { card, keys: ['flags'], newValues: [1, 2] })).toBe(false);
    expect(await h.call('setSpecificValueOfCard', { card: [card], keys: ['flags'], newValues: [1] })).toBe(false);
    expect(await h.call('setSpecificValueOfCard', { card: 123, keys: ['flags'], newValues: [1] })).toEqual([[false, 'Card was not found: 123']]);
    const bad = await h.call<[[boolean, string]]>('setSpecificValueOfCard', { card, keys: ['due'], newValues: ['soon'] });
    expect(bad[0][0]).toBe(false);
  });
});

describe('decks (upstream tests)', () => {
  it('deckNames, deckNamesAndIds, createDeck, deckNameFromId, getDecks', async () => {
    expect(await h.call('deckNames')).toEqual(['Default', 'test_deck']);
    expect(await h.call('deckNamesAndIds')).toEqual({ Default: 1, test_deck: s.deckId });
    expect(await h.call('createDeck', { deck: 'test_deck' })).toBe(s.deckId);
    const child = await h.call<number>('createDeck', { deck: 'A::B' });
    expect(await h.call('deckNames')).toEqual(['A', 'A::B', 'Default', 'test_deck']);
    expect(await h.call('deckNameFromId', { deckId: child })).toBe('A::B');
    expect(await err('deckNameFromId', { deckId: 9 })).toBe('deck was not found: 9');
    expect(await h.call('getDecks', { cards: [s.cards[0], 42] })).toEqual({ test_deck: [s.cards[0]], Default: [42] });
  });

  it('changeDeck creates the target deck', async () => {
    await h.call('changeDeck', { cards: s.cards, deck: 'bar' });
    expect(await h.call('deckNames')).toContain('bar');
    expect(await h.call('getDecks', { cards: s.cards })).toEqual({ bar: s.cards });
    await h.call('changeDeck', { cards: [], deck: 'bar' });
  });

  it('deleteDecks needs cardsToo; removes the deck and its cards', async () => {
    expect(await err('deleteDecks', { decks: ['test_deck'] })).toBe("Since Anki 2.1.28 it's not possible to delete decks without deleting cards as well");
    expect(await err('deleteDecks', { decks: ['test_deck'], cardsToo: false })).toBeTruthy();
    await h.call('deleteDecks', { decks: ['test_deck', 'nope'], cardsToo: true });
    expect(await h.call('deckNames')).toEqual(['Default']);
    expect(await h.call('findCards', { query: '' })).toEqual([]);
  });

  it('deck options presets', async () => {
    const conf = await h.call<Record<string, unknown>>('getDeckConfig', { deck: 'Default' });
    expect(conf.name).toBe('Default');
    expect(conf.id).toBe(1);
    expect(await h.call('getDeckConfig', { deck: 'nope' })).toBe(false);
    expect(await h.call('saveDeckConfig', { config: { ...conf, new: { ...(conf.new as object), perDay: 33 } } })).toBe(true);
    expect(((await h.call<Record<string, { perDay: number }>>('getDeckConfig', { deck: 'test_deck' })).new).perDay).toBe(33);
    expect(await h.call('saveDeckConfig', { config: { ...conf, id: 999 } })).toBe(false);
    const clone = await h.call<number>('cloneDeckConfigId', { cloneFrom: 1, name: 'test' });
    expect(typeof clone).toBe('number');
    expect(await h.call('cloneDeckConfigId', { name: 'x', cloneFrom: 424242 })).toBe(false);
    expect(await h.call('setDeckConfigId', { decks: ['test_deck'], configId: clone })).toBe(true);
    expect((await h.call<{ name: string }>('getDeckConfig', { deck: 'test_deck' })).name).toBe('test');
    expect(await h.call('setDeckConfigId', { decks: ['nope'], configId: 1 })).toBe(false);
    expect(await h.call('removeDeckConfigId', { configId: clone })).toBe(true);
    expect(await h.call('removeDeckConfigId', { configId: clone })).toBe(false);
    expect(await h.call('removeDeckConfigId', { configId: 1 })).toBe(false);
    expect((await h.call<{ name: string }>('getDeckConfig', { deck: 'test_deck' })).name).toBe('Default');
  });

  it('getDeckStats (unknown names are created, as upstream)', async () => {
    const stats = await h.call<Record<string, Record<string, unknown>>>('getDeckStats', { decks: ['test_deck', 'Fresh'] });
    expect(stats[String(s.deckId)]).toEqual({ deck_id: s.deckId, name: 'test_deck', new_count: 4, learn_count: 0, review_count: 0, total_in_deck: 4 });
    expect(Object.keys(stats)).toHaveLength(2);
    expect(await h.call('deckNames')).toContain('Fresh');
  });
});

describe('statistics (upstream tests)', () => {
  it('reviews of a fresh deck, then inserted ones', async () => {
    expect(await h.call('cardReviews', { deck: 'test_deck', startID: 0 })).toEqual([]);
    expect(await h.call('getLatestReviewID', { deck: 'test_deck' })).toBe(0);
    await h.call('insertReviews', {
      reviews: [
        [456, s.cards[0], -1, 3, 4, -60, 2500, 6157, 0],
        [789, s.cards[1], -1, 1, -60, -60, 0, 4846, 0],
      ],
    });
    expect(await h.call('cardReviews', { deck: 'test_deck', startID: 0 })).toHaveLength(2);
    expect(await h.call('getLatestReviewID', { deck: 'test_deck' })).toBe(789);
    expect(await h.call('getReviewsOfCards', { cards: [s.cards[0], String(s.cards[1])] })).toEqual({
      [s.cards[0]]: [{ id: 456, usn: -1, ease: 3, ivl: 4, lastIvl: -60, factor: 2500, time: 6157, type: 0 }],
      [s.cards[1]]: [],
    });
    expect(await err('insertReviews', { reviews: [[456, s.cards[0], -1, 3, 4, -60, 2500, 6157, 0]] })).toBe('UNIQUE constraint failed: revlog.id');
    expect(await h.call('insertReviews', { reviews: [] })).toBe(null);
    expect(typeof (await h.call('getNumCardsReviewedToday'))).toBe('number');
    const html = await h.call<string>('getCollectionStatsHTML');
    expect(html).toContain('<h1>Whole collection</h1>');
    expect(html).toContain('4 cards, 2 notes.');
    expect(await h.call<string>('getCollectionStatsHTML', { wholeCollection: false })).toContain('<h1>Default</h1>');
    const byDay = await h.call<[string, number][]>('getNumCardsReviewedByDay');
    // day boundary = the 04:00 rollover, local time: both rows (ms 456 and 789 of 1970) fall on the previous day
    const d = new Date(456 - 4 * 3600 * 1000);
    const local = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    expect(byDay).toEqual([[local, 2]]);
  });
});
