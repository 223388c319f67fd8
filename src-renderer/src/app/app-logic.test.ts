import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { noChanges } from '../../../src-main/collection/op-changes';
import { invalidateFromChanges } from '../api/hooks';
import { actionsFor, keyLikeFrom, keyName } from './keys';
import { parseRoute, routeHash } from './router';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('review keys', () => {
  it('names keys and maps them to Anki’s actions', () => {
    expect(keyName(key(' '))).toBe(' ');
    expect(keyName(key('1', { ctrlKey: true }))).toBe('ctrl+1');
    expect(keyName(key('Z', { metaKey: true }))).toBe('ctrl+z');
    expect(actionsFor(' ')).toEqual(['showAnswer', 'good']);
    expect(actionsFor('3')).toEqual(['good']);
    expect(actionsFor('ctrl+z')).toEqual(['undo']);
    expect(actionsFor('*')).toEqual(['mark']);
    expect(actionsFor('ctrl+7')).toEqual(['flag7']);
  });
  it('lets a keymap override an action’s keys', () => {
    expect(actionsFor('j', { again: ['j'] })).toEqual(['again']);
    expect(actionsFor('1', { again: ['j'] })).toEqual([]);
  });
  it('reads forwarded key events defensively', () => {
    expect(keyLikeFrom({ key: 'a', ctrlKey: 'yes' })).toEqual({ key: 'a', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false });
    expect(keyLikeFrom(null).key).toBe('');
  });
});

describe('routes', () => {
  it('round-trips every route through the hash', () => {
    for (const r of [
      { name: 'decks' },
      { name: 'overview', deckId: 5 },
      { name: 'review', deckId: 1700000000000 },
      { name: 'add' },
      { name: 'edit', noteId: 9 },
      { name: 'browse', query: 'deck:"a b" is:due' },
      { name: 'browse', query: null },
      { name: 'settings' },
      { name: 'stats' },
      { name: 'tools' },
      { name: 'notetypes' },
    ] as const)
      expect(parseRoute(routeHash(r))).toEqual(r);
    expect(parseRoute('#/nonsense')).toEqual({ name: 'decks' });
    expect(parseRoute('#/deck/abc')).toEqual({ name: 'decks' });
  });
});

describe('cache invalidation from OpChanges', () => {
  it('refetches exactly the queries whose channel reads a changed kind', async () => {
    const qc = new QueryClient();
    const keys = [['decks.tree', {}], ['tags.list', {}], ['notes.get', { id: 1 }], ['app.info', {}], ['not-a-channel']];
    for (const k of keys) qc.setQueryData(k, 1);
    await invalidateFromChanges(qc, { ...noChanges(), tags: true });
    const stale = keys.filter((k) => qc.getQueryState(k)?.isInvalidated).map((k) => k[0]);
    expect(stale).toEqual(['tags.list']);
    await invalidateFromChanges(qc, { ...noChanges(), cards: true });
    expect(keys.filter((k) => qc.getQueryState(k)?.isInvalidated).map((k) => k[0])).toEqual(['decks.tree', 'tags.list']);
  });
});
