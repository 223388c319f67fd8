import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { setUpTestDeck, startTestHost, type TestHost, type UpstreamSetup } from '../test-support';

let h: TestHost;
let s: UpstreamSetup;
beforeEach(async () => {
  h = await startTestHost();
  s = await setUpTestDeck(h);
});
afterEach(async () => h.close());

it('upstream: export test_deck, delete it, import → it is back', async () => {
  const path = join(h.dir, 'test_deck.apkg');
  expect(await h.call('exportPackage', { deck: 'test_deck', path, includeSched: true })).toBe(true);
  expect(existsSync(path)).toBe(true);
  expect(await h.call('exportPackage', { deck: 'nope', path })).toBe(false);
  await h.call('deleteDecks', { decks: ['test_deck'], cardsToo: true });
  expect(await h.call('deckNames')).not.toContain('test_deck');
  expect(await h.call('importPackage', { path })).toBe(true);
  expect(await h.call('deckNames')).toContain('test_deck');
  expect(new Set(await h.call<number[]>('findNotes', { query: 'deck:test_deck' }))).toEqual(new Set([s.note1, s.note2]));
  expect((await h.post('importPackage', { path: 'missing.apkg' })).error).toBeTruthy();
});
