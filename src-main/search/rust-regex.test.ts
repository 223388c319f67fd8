import { describe, expect, it } from 'vitest';

import { compileRustRegex, RustRegexError } from './rust-regex';
import { isGlob, stripClozes, toCustomRe, toRe, toSql, toText, withoutCombining } from './wildcards';

const matches = (pattern: string, text: string) => compileRustRegex(pattern).test(text);

describe('Rust regex translation', () => {
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
  ])('%j on %j → %s', (pattern, text, expected) => {
    expect(matches(pattern, text)).toBe(expected);
  });

  it.each(['(', 'a)', '*a', '\\1', '(?<=a)b', '(?=a)', '[a', '\\q', 'a{2,1}', 'a{x}', '(?z)', '\\p{NoSuchThing}'])(
    'rejects %j',
    (pattern) => {
      expect(() => compileRustRegex(pattern)).toThrow(RustRegexError);
    },
  );
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
