import { describe, expect, it } from 'vitest';

import { compileRustRegex, RustRegexError, translateRustRegex } from './rust-regex';
import { isGlob, stripClozes, toCustomRe, toRe, toSql, toText, withoutCombining } from './wildcards';

const matches = (pattern: string, text: string) => compileRustRegex(pattern).test(text);

describe('Rust regex syntax on RE2', () => {
  it.each<[string, string, boolean]>([
    // Anki's generated patterns
    ['(?i).* animal(::| ).*', ' Animal::mammal ', true],
    ['(?i).* animal(::| ).*', ' animals ', false],
    ['(?i).* ani\\S*(::| ).*', ' animals ', true],
    ['(?i)^default($|\x1f)', 'Default\x1fchild', true],
    ['(?i)^default($|\x1f)', 'Defaults', false],
    ['(?is)^te.*st$', 'TE\nst', true],
    ['(?i)^basic.*$', 'Basic (and reversed card)', true],
    // flags
    ['(?i)(?-i)\\bDog\\b', 'dog', false],
    ['(?i)(?-i)\\bDog\\b', 'a Dog!', true],
    ['(?i)a(?-i)b', 'Ab', true],
    ['(?i)a(?-i)b', 'AB', false],
    ['a(?i:b)c', 'aBc', true],
    ['a(?i:b)c', 'aBC', false],
    ['(?m)^b', 'a\nb', true],
    ['^b', 'a\nb', false],
    ['a.b', 'a\nb', false],
    ['(?s)a.b', 'a\nb', true],
    ['a.b', 'a\rb', true],
    ['(?x) a b # comment', 'ab', true],
    ['(?U)a+', 'aaa', true],
    // Unicode-aware classes and boundaries
    ['(?i)\\bdog\\b', 'hotdog', false],
    ['(?i)\\bdög\\b', 'xdöge', false],
    ['(?i)\\bdög\\b', 'é dög', true],
    ['\\w+', 'ж', true],
    ['^\\d$', '٣', true],
    ['(?-u:\\d)', '٣', false],
    ['\\s', '\u3000', true],
    ['(?i)K', '\u212a', true],
    ['(?i)σ', 'ς', true],
    ['\\<dog\\>', 'a dog b', true],
    ['\\b{start}dog', 'hotdog', false],
    // escapes, classes
    ['\\btest\\%', 'test%', true],
    ['\\x{41}\\u0042\\x43', 'ABC', true],
    ['[[:alpha:]]+\\d', 'ab1', true],
    ['[[:^digit:]]', '5', false],
    ['\\p{Greek}', 'α', true],
    ['\\pL', '1', false],
    ['\\p{Letter}', 'x', true],
    ['\\p{sc=Cyrillic}', 'ж', true],
    ['\\P{L}', 'x', false],
    ['[a-z&&[^aeiou]]', 'e', false],
    ['[a-z&&[^aeiou]]', 'b', true],
    ['[a-z--[b-y]]', 'c', false],
    ['[a-c~~b-d]', 'b', false],
    ['[a-c~~b-d]', 'd', true],
    ['[]a]', ']', true],
    ['[a-]', '-', true],
    ['[\\w&&\\D]', '5', false],
    ['a{2,3}', 'aa', true],
    ['a{2}', 'a', false],
    ['(?P<x>a)b', 'ab', true],
    ['(?<x>a)b', 'ab', true],
    ['', 'anything', true],
    ['^$', '', true],
    ['\\Aab\\z', 'ab', true],
    ['(^)*a', 'a', true],
    ['(?:ab)+c', 'ababc', true],
    ['(?i:a)(?:b)', 'Ab', true],
  ])('%j on %j → %s', (pattern, text, expected) => {
    expect(matches(pattern, text)).toBe(expected);
  });

  it.each(['(', 'a)', '*a', '\\1', '(?<=a)b', '(?=a)', '[a', '\\q', 'a{2,1}', 'a{x}', '(?z)', '(?)', '(?-:a)', '\\p{NoSuchThing}'])(
    'rejects %j',
    (pattern) => {
      expect(() => compileRustRegex(pattern)).toThrow(RustRegexError);
    },
  );
});

// What Anki users write in `re:` searches, with the result Rust's regex crate gives.
describe('Rust semantics of common syntax', () => {
  it.each<[string, string, boolean]>([
    // \b is a Unicode word boundary
    ['(?i)\\bдом\\b', 'мой Дом.', true],
    ['(?i)\\bдом\\b', 'домик', false],
    ['\\bcafé\\b', 'un café noir', true],
    ['\\bcafé\\b', 'cafés', false],
    ['\\bnaïve', 'naïveté', true],
    ['ïve\\b', 'naïveté', false],
    ['\\Bvet', 'naïveté', true],
    ['\\b', 'é', true],
    ['\\b', ' - ', false],
    ['\\B', 'c😀Σ', false], // never inside a character (or a surrogate pair)
    ['\\b東京\\b', '東京タワー', false], // kana and kanji are all word characters
    ['\\b東京\\b', '「東京」', true],
    ['\\bx\\u{301}\\b', 'x\u0301y', false], // combining marks are word characters
    ['\\<go\\>', 'to go!', true],
    ['\\<go\\>', 'ago', false],
    ['\\b{end}o', 'ago', false],
    ['(?-u:\\b)é', ' é', false], // ASCII boundary: é is not an ASCII word character
    // \d, \s, \w and classes are Unicode
    ['^\\d+$', '١٢٣', true],
    ['^\\d+$', '12a', false],
    ['\\s', '\u00a0', true],
    ['^\\w+$', 'Straße_1', true],
    ['^\\W$', '½', true],
    ['\\p{Han}', 'かな漢字', true],
    ['\\p{Han}', 'かな', false],
    ['^\\p{Hiragana}+$', 'ひらがな', true],
    ['\\p{Lu}', 'é', false],
    ['(?i)\\p{Lu}', 'é', true], // Rust case-folds classes under (?i)
    ['(?i)[^é]', 'É', false],
    // (?i) is Unicode simple case folding
    ['(?i)straße', 'STRAẞE', true],
    ['(?i)straße', 'STRASSE', false],
    ['(?i)ǆ', 'ǅ', true],
    ['(?i)ΣΊΣΥΦΟΣ', 'σίσυφος', true],
    // (?s), (?m), anchors
    ['a.b', 'a\nb', false],
    ['(?s)a.b', 'a\nb', true],
    ['^b', 'a\nb', false],
    ['(?m)^b$', 'a\nb\nc', true],
    ['a$', 'a\n', false],
    ['(?m)a$', 'a\n', true],
    ['\\Aa', 'ba', false],
    ['a\\z', 'ab', false],
    // non-greedy, alternation, repetition
    ['<b>.*?</b>', 'x <b>bold</b> y', true],
    ['(?U)<b>.*</b>', '<b>x</b>', true],
    ['^(?:cat|dog)s?$', 'dogs', true],
    ['^(?:cat|dog)s?$', 'cow', false],
    ['^a{2,3}$', 'aaaa', false],
    ['^(?:ab){2}$', 'abab', true],
  ])('%j on %j → %s', (pattern, text, expected) => {
    expect(compileRustRegex(pattern).test(text)).toBe(expected);
  });

  it('word boundaries compile to plain RE2 (no look-around, so re2js keeps its DFA)', () => {
    for (const p of ['(?i)\\bdog\\b', '\\b\\w+\\b', '(?:\\b\\w+\\b\\s*){3}', '\\<x\\>', 'a\\b{end-half}']) {
      expect(translateRustRegex(p)).not.toMatch(/\(\?<[=!]|\(\?[=!]/);
    }
    expect(translateRustRegex('(?i)pian[o]')).toBe('(?i)pian[o]');
  });

  it('Rust syntax RE2 cannot hold is an error, not a wrong answer', () => {
    expect(() => compileRustRegex('a{1001}')).toThrow(RustRegexError);
    expect(() => compileRustRegex('(?-u:\\<)a')).toThrow(RustRegexError);
  });
});

describe('linear time', () => {
  const timed = (pattern: string, text: string) => {
    const re = compileRustRegex(pattern);
    const start = performance.now();
    const result = re.test(text);
    return { result, ms: performance.now() - start };
  };

  it.each<[string, string, boolean]>([
    ['(a+)+b', 'a'.repeat(50_000), false],
    // the literal is there (so the prefilter lets the text through) but the pattern fails
    ['(a+)+b', `${'a'.repeat(50_000)}!b`, false],
    ['(?i)(a+)+b', `${'a'.repeat(50_000)}!B`, false],
    ['(x+x+)+y', 'x'.repeat(50_000), false],
    ['(x+x+)+y', `${'x'.repeat(50_000)}!y`, false],
    ['(a|aa)+$', `${'a'.repeat(50_000)}!`, false],
    ['^(\\w+\\s?)*$', `${'word '.repeat(10_000)}!`, false],
    ['(.*a){20}', 'a'.repeat(50_000), true],
    ['\\b(?:a|aa)+\\b\\B', `${'a'.repeat(50_000)}!`, false],
    ['(?i)(?:\\bx+x+\\b)+y', 'x'.repeat(50_000), false],
  ])('%j on a 50k-character text', (pattern, text, expected) => {
    const { result, ms } = timed(pattern, text);
    expect(result).toBe(expected);
    expect(ms).toBeLessThan(500);
  });
});

describe('wildcard conversions', () => {
  it('toRe / toCustomRe', () => {
    expect(toRe('[te\\*st]')).toBe('\\[te\\*st\\]');
    expect(toCustomRe('f_o*', '\\d')).toBe('f\\do\\d*');
    expect(toRe('a\\_b\\\\c')).toBe('a_b\\\\c');
    expect(toCustomRe('o*n\\*et%w%oth_re\\_e', '\\S')).toBe('o\\S*n\\*et%w%oth\\Sre_e');
  });
  it('toSql', () => {
    expect(toSql('%f_o*')).toBe('\\%f_o%');
    expect(toSql('te\\*s\\_t')).toBe('te*s\\_t');
    expect(toSql('a\\\\b')).toBe('a\\\\b');
  });
  it('toText / isGlob', () => {
    expect(toText('\\*\\_*_')).toBe('*_*_');
    expect(isGlob('\\\\\\\\_')).toBe(true);
    expect(isGlob('\\\\\\_')).toBe(false);
    expect(isGlob('a*')).toBe(true);
    expect(isGlob('a\\*')).toBe(false);
  });
  it('withoutCombining / stripClozes', () => {
    expect(withoutCombining('frânçais')).toBe('francais');
    expect(withoutCombining('Øre Straße')).toBe('Ore Strase');
    expect(withoutCombining('test')).toBe('test');
    expect(stripClozes('The {{c1::moon::🌛}} {{c2::orbits::this hint has "::" in it}} the {{c3::🌏}}.')).toBe(
      'The moon orbits the 🌏.',
    );
  });
});
