import { describe, expect, it } from 'vitest';

import { parseSearch } from './parser';
import { deckSearchText, joinSearches, normalizeSearch, replaceSearchNode, tagSearchText } from './writer';

describe('normalizeSearch (cases of Anki writer.rs, restated)', () => {
  it.each<[string, string]>([
    // redundant quotes removed
    ['"foo" "b a r"', 'foo "b a r"'],
    ['field:"foo"', 'field:foo'],
    // escape by quoting where possible
    ['\\( \\)', '"(" ")"'],
    ['\\-foo', '"-foo"'],
    ['\\*\\:\\_', '\\*\\:\\_'],
    // redundant escapes removed
    ['deck:\\:', 'deck::'],
    ['\\-', '-'],
    ['-\\-', '--'],
    // implicit ANDs, upper-case ORs
    ['1 and 2 or 3', '1 2 OR 3'],
    ['"f o o"bar', '"f o o" bar'],
    ['"aNd" "oR"', '"aNd" "oR"'],
    // numbers
    ['prop:ease>1.0', 'prop:ease>1'],
    ['prop:ease>=2.50', 'prop:ease>=2.5'],
    // others
    ['', 'deck:*'],
    ['-(a or b) c', '-(a OR b) c'],
    ['tag:re:x', 'tag:re:x'],
    ['front:re\\:x', 'front:re\\:x'],
    ['card:2', 'card:2'],
    ['"card:card 1"', '"card:card 1"'],
    ['rated:0', 'rated:1'],
    ['resched:3', 'resched:3'],
    ['prop:rated=-1:2', 'prop:rated=-1:2'],
    ['"prop:cds:k=a b"', '"prop:cds:k=a b"'],
    ['dupe:1,a\\\\b', 'dupe:1,a\\\\b'],
    ['IS:due', 'is:due'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeSearch(input)).toBe(expected);
  });

  it('normalised searches parse back to the same AST', () => {
    for (const q of ['a "b c" -(d or deck:"x y") tag:t* prop:ivl>3', 'front:"a b" "re:(a|b)"', '"dupe:1,x \\"y\\""']) {
      expect(parseSearch(normalizeSearch(q))).toEqual(parseSearch(q));
    }
  });
});

describe('replaceSearchNode / joinSearches / term helpers', () => {
  const one = (q: string) => parseSearch(q)[0];

  it('replaces terms of the same kind', () => {
    expect(replaceSearchNode(parseSearch('deck:baz bar'), one('deck:foo'))).toBe('deck:foo bar');
    expect(replaceSearchNode(parseSearch('tag:foo Or tag:bar'), one('tag:baz'))).toBe('tag:baz OR tag:baz');
    expect(replaceSearchNode(parseSearch('foo or (-foo tag:baz)'), one('bar'))).toBe('bar OR (-bar tag:baz)');
    expect(replaceSearchNode(parseSearch('is:due'), one('-is:new'))).toBe('is:due');
    expect(replaceSearchNode(parseSearch('added:1'), one('is:due'))).toBe('added:1');
  });

  it('joins searches', () => {
    expect(joinSearches(['deck:a', 'b or c'])).toBe('deck:a (b OR c)');
    expect(joinSearches(['deck:a', 'tag:x'], 'or')).toBe('deck:a OR tag:x');
    expect(joinSearches(['', 'tag:x'])).toBe('tag:x');
    expect(joinSearches([''])).toBe('deck:*');
  });

  it('deck and tag terms', () => {
    expect(deckSearchText('Languages::French')).toBe('deck:Languages::French');
    expect(deckSearchText('My Deck_1*')).toBe('"deck:My Deck\\_1\\*"');
    expect(parseSearch(deckSearchText('a "b"'))).toEqual([{ type: 'search', search: { kind: 'deck', deck: 'a "b"' } }]);
    expect(tagSearchText('lang::de')).toBe('tag:lang::de');
  });
});
