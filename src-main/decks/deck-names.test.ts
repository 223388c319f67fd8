import { describe, expect, it } from 'vitest';
import { deckSearch, immediateParentName, normalizeDeckName, normalizeDeckNameComponent, reparentDeckName, reparentedDeckName } from './deck-names';

describe('deck name normalisation (Anki from_human_name)', () => {
  it('matches the cases in Anki', () => {
    expect(normalizeDeckName('foo')).toBe('foo');
    expect(normalizeDeckName('foo::bar')).toBe('foo::bar');
    expect(normalizeDeckName('foo::::baz')).toBe('foo::blank::baz');
    // control characters (including U+001F and newlines) vanish
    expect(normalizeDeckName('fo\x1fo::ba\nr')).toBe('foo::bar');
    expect(normalizeDeckName('foo:::bar')).toBe('foo::bar');
    expect(normalizeDeckName('foo:::bar:baz: ')).toBe('foo::bar:baz');
  });

  it('trims Unicode whitespace and colons, NFC-normalises, and names empty levels "blank"', () => {
    expect(normalizeDeckName('  Spanish :: Verbs: ')).toBe('Spanish::Verbs');
    expect(normalizeDeckName('Spanish::Verbs:: ')).toBe('Spanish::Verbs::blank');
    expect(normalizeDeckName('\u3000日本語\u00a0::\u2003文法')).toBe('日本語::文法');
    expect(normalizeDeckName('Cafe\u0301')).toBe('Café');
    expect(normalizeDeckName('')).toBe('blank');
    expect(normalizeDeckName('::')).toBe('blank::blank');
    expect(normalizeDeckName('a\x7f')).toBe('a');
    // U+0085 is whitespace to Rust; U+FEFF is not (it is to JS's \s)
    expect(normalizeDeckNameComponent('\u0085x\u0085')).toBe('x');
    expect(normalizeDeckNameComponent('\ufeffx')).toBe('\ufeffx');
    // case is kept
    expect(normalizeDeckName('Straße::ΣΊΣΥΦΟΣ::İstanbul')).toBe('Straße::ΣΊΣΥΦΟΣ::İstanbul');
  });

  it('derives parents and moved names', () => {
    expect(immediateParentName('a')).toBeNull();
    expect(immediateParentName('a::b::c')).toBe('a::b');
    expect(reparentDeckName('a::b::c', 'a', 'x::y')).toBe('x::y::b::c');
    expect(reparentedDeckName('drag', 'drop')).toBe('drop::drag');
    expect(reparentedDeckName('drag', null)).toBe('drag');
    expect(reparentedDeckName('drag::child', null)).toBe('child');
    expect(reparentedDeckName('drag::child', 'drop::deck')).toBe('drop::deck::child');
    expect(reparentedDeckName('drag::child', 'drag')).toBe('drag::child');
    expect(reparentedDeckName('drag::child::grandchild', 'drag')).toBe('drag::grandchild');
    expect(reparentedDeckName('foo::bar', 'foo::bar')).toBeNull();
    expect(reparentedDeckName('a', 'ab')).toBe('ab::a');
  });

  it('writes deck searches as Anki does', () => {
    expect(deckSearch('Spanish')).toBe('deck:Spanish');
    expect(deckSearch('My Deck::a_b*')).toBe('"deck:My Deck::a\\_b\\*"');
    expect(deckSearch('x"y')).toBe('deck:x\\"y');
  });
});
