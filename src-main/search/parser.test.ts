import { describe, expect, it } from 'vitest';

import type { Node, SearchNode } from './ast';
import { parseSearch } from './parser';
import { SearchError, type SearchErrorKind } from './search-error';

const S = (search: SearchNode): Node => ({ type: 'search', search });
const AND: Node = { type: 'and' };
const OR: Node = { type: 'or' };
const text = (t: string) => S({ kind: 'unqualifiedText', text: t });
const field = (f: string, t: string, mode: 'normal' | 'regex' | 'noCombining' = 'normal') =>
  S({ kind: 'singleField', field: f, text: t, mode });

function errorOf(input: string): SearchErrorKind {
  try {
    parseSearch(input);
  } catch (e) {
    expect(e).toBeInstanceOf(SearchError);
    return (e as SearchError).detail;
  }
  throw new Error(`expected a search error for ${JSON.stringify(input)}`);
}

describe('parseSearch: structure', () => {
  it('empty input is the whole collection', () => {
    expect(parseSearch('')).toEqual([S({ kind: 'wholeCollection' })]);
    expect(parseSearch('  ')).toEqual([S({ kind: 'wholeCollection' })]);
    expect(parseSearch('\t\n')).toEqual([S({ kind: 'wholeCollection' })]);
  });

  it('treats all whitespace as spaces', () => {
    for (const input of ['foo\u00a0bar', 'foo\tbar', 'foo\nbar', 'foo\u3000bar', '  foo   bar  ']) {
      expect(parseSearch(input)).toEqual([text('foo'), AND, text('bar')]);
    }
  });

  it('groups, implicit and, or, negation', () => {
    expect(parseSearch('(  t   t2  )')).toEqual([{ type: 'group', nodes: [text('t'), AND, text('t2')] }]);
    expect(parseSearch('hello  -(world and "foo:bar baz") OR test')).toEqual([
      text('hello'),
      AND,
      {
        type: 'not',
        node: { type: 'group', nodes: [text('world'), AND, field('foo', 'bar baz')] },
      },
      OR,
      text('test'),
    ]);
    expect(parseSearch('a AnD b oR c')).toEqual([text('a'), AND, text('b'), OR, text('c')]);
  });

  it('spaces are optional where node boundaries are clear', () => {
    expect(parseSearch('a"b"(c)')).toEqual(parseSearch('a b (c)'));
  });

  it('unquoted parentheses end a term, even after re:', () => {
    expect(parseSearch('re:(a|b)c')).toEqual([
      S({ kind: 'regex', regex: '' }),
      AND,
      { type: 'group', nodes: [text('a|b')] },
      AND,
      text('c'),
    ]);
  });

  it('quoted and/or are text', () => {
    expect(parseSearch('"and"')).toEqual([text('and')]);
    expect(parseSearch('a "or" b')).toEqual([text('a'), AND, text('or'), AND, text('b')]);
  });
});

describe('parseSearch: escaping', () => {
  it('field modes', () => {
    expect(parseSearch('foo:re:bar')).toEqual([field('foo', 'bar', 'regex')]);
    expect(parseSearch('foo:nc:bar')).toEqual([field('foo', 'bar', 'noCombining')]);
  });

  it('escaping is independent of quotation', () => {
    expect(parseSearch('"field:va\\"lue"')).toEqual([field('field', 'va"lue')]);
    expect(parseSearch('"field:va\\"lue"')).toEqual(parseSearch('field:"va\\"lue"'));
    expect(parseSearch('"field:va\\"lue"')).toEqual(parseSearch('field:va\\"lue'));
  });

  it('the parser unescapes ":()- but keeps \\\\ \\* \\_', () => {
    expect(parseSearch('\\"\\:\\(\\)\\-')).toEqual([text('":()-')]);
    expect(parseSearch('\\\\\\*\\_')).toEqual([text('\\\\\\*\\_')]);
  });

  it('escaping parentheses is optional (only) inside quotes', () => {
    expect(parseSearch('"\\)\\("')).toEqual(parseSearch('")("'));
  });

  it('escaping : is optional after another :', () => {
    expect(parseSearch('field:val:ue')).toEqual(parseSearch('field:val\\:ue'));
    expect(parseSearch('"field:val:ue"')).toEqual(parseSearch('field:val\\:ue'));
    expect(parseSearch('field:"val:ue"')).toEqual(parseSearch('field:val\\:ue'));
    expect(parseSearch('3\\:30')).toEqual([text('3:30')]);
  });

  it('escaping - is optional where it cannot be a negation', () => {
    expect(parseSearch('-')).toEqual(parseSearch('\\-'));
    expect(parseSearch('A-')).toEqual(parseSearch('A\\-'));
    expect(parseSearch('"-A"')).toEqual(parseSearch('\\-A'));
    expect(parseSearch('-A')).not.toEqual(parseSearch('\\-A'));
    expect(parseSearch('-A')).toEqual([{ type: 'not', node: text('A') }]);
  });

  it('raw re: keeps escapes except \\"', () => {
    expect(parseSearch('"re:\\btest\\%"')).toEqual([S({ kind: 'regex', regex: '\\btest\\%' })]);
    expect(parseSearch('re:te\\"st')).toEqual([S({ kind: 'regex', regex: 'te"st' })]);
    expect(parseSearch('tag:re:\\\\')).toEqual([S({ kind: 'tag', tag: '\\\\', mode: 'regex' })]);
  });

  it('keys are case-insensitive; values of is: are not', () => {
    expect(parseSearch('DECK:x')).toEqual([S({ kind: 'deck', deck: 'x' })]);
    expect(parseSearch('Tag:x')).toEqual([S({ kind: 'tag', tag: 'x', mode: 'normal' })]);
  });
});

describe('parseSearch: terms', () => {
  const cases: Array<[string, SearchNode]> = [
    ['added:3', { kind: 'addedInDays', days: 3 }],
    ['added:0', { kind: 'addedInDays', days: 1 }],
    ['edited:2', { kind: 'editedInDays', days: 2 }],
    ['introduced:0', { kind: 'introducedInDays', days: 1 }],
    ['card:front', { kind: 'cardTemplate', template: { kind: 'name', name: 'front' } }],
    ['card:3', { kind: 'cardTemplate', template: { kind: 'ordinal', ord: 2 } }],
    ['card:0', { kind: 'cardTemplate', template: { kind: 'ordinal', ord: 0 } }],
    ['card:70000', { kind: 'cardTemplate', template: { kind: 'name', name: '70000' } }],
    ['deck:default', { kind: 'deck', deck: 'default' }],
    ['deck:"default one"', { kind: 'deck', deck: 'default one' }],
    ['deck:a::b*', { kind: 'deck', deck: 'a::b*' }],
    ['deck:current', { kind: 'deck', deck: 'current' }],
    ['deck:filtered', { kind: 'deck', deck: 'filtered' }],
    ['preset:default', { kind: 'preset', name: 'default' }],
    ['preset:a\\b', { kind: 'preset', name: 'a\\b' }],
    ['note:basic', { kind: 'notetype', name: 'basic' }],
    ['tag:hard', { kind: 'tag', tag: 'hard', mode: 'normal' }],
    ['tag:nc:héllo', { kind: 'tag', tag: 'héllo', mode: 'noCombining' }],
    ['tag:none', { kind: 'tag', tag: 'none', mode: 'normal' }],
    ['nid:1237123712,2,3', { kind: 'noteIds', ids: '1237123712,2,3' }],
    ['cid:5', { kind: 'cardIds', ids: '5' }],
    ['did:1,2', { kind: 'deckIdsWithoutChildren', ids: '1,2' }],
    ['mid:123', { kind: 'notetypeId', id: '123' }],
    ['mid:-5', { kind: 'notetypeId', id: '-5' }],
    ['is:due', { kind: 'state', state: 'due' }],
    ['is:new', { kind: 'state', state: 'new' }],
    ['is:learn', { kind: 'state', state: 'learn' }],
    ['is:review', { kind: 'state', state: 'review' }],
    ['is:suspended', { kind: 'state', state: 'suspended' }],
    ['is:buried', { kind: 'state', state: 'buried' }],
    ['is:buried-sibling', { kind: 'state', state: 'buried-sibling' }],
    ['is:buried-manually', { kind: 'state', state: 'buried-manually' }],
    ['flag:3', { kind: 'flag', flag: 3 }],
    ['flag:0', { kind: 'flag', flag: 0 }],
    ['rated:3', { kind: 'rated', days: 3, ease: { kind: 'anyAnswerButton' } }],
    ['rated:0', { kind: 'rated', days: 1, ease: { kind: 'anyAnswerButton' } }],
    ['rated:10:2', { kind: 'rated', days: 10, ease: { kind: 'answerButton', button: 2 } }],
    ['resched:4', { kind: 'rated', days: 4, ease: { kind: 'manualReschedule' } }],
    ['"re:(a|b)c"', { kind: 'regex', regex: '(a|b)c' }],
    ['re:a\\(b', { kind: 'regex', regex: 'a\\(b' }],
    ['nc:über', { kind: 'noCombining', text: 'über' }],
    ['sc:abc', { kind: 'stripClozes', text: 'abc' }],
    ['w:dog', { kind: 'wordBoundary', text: 'dog' }],
    ['w:3:30', { kind: 'wordBoundary', text: '3:30' }],
    ['dupe:123,hello', { kind: 'duplicates', notetypeId: '123', text: 'hello' }],
    ['dupe:123,a\\\\b', { kind: 'duplicates', notetypeId: '123', text: 'a\\b' }],
    ['dupe:123,a,b', { kind: 'duplicates', notetypeId: '123', text: 'a,b' }],
    ['has-cd:r', { kind: 'customData', key: 'r' }],
    ['front:*dog*', { kind: 'singleField', field: 'front', text: '*dog*', mode: 'normal' }],
    ['front:', { kind: 'singleField', field: 'front', text: '', mode: 'normal' }],
    ['fr*:x', { kind: 'singleField', field: 'fr*', text: 'x', mode: 'normal' }],
    ['*:re:x', { kind: 'singleField', field: '*', text: 'x', mode: 'regex' }],
    ['"animal front:a dog"', { kind: 'singleField', field: 'animal front', text: 'a dog', mode: 'normal' }],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(parseSearch(input)).toEqual([S(expected)]);
  });

  it('prop:', () => {
    expect(parseSearch('prop:ivl>3')).toEqual([
      S({ kind: 'property', operator: '>', prop: { kind: 'interval', days: 3 } }),
    ]);
    expect(parseSearch('prop:ease<=3.3')).toEqual([
      S({ kind: 'property', operator: '<=', prop: { kind: 'ease', ease: Math.fround(3.3) } }),
    ]);
    expect(parseSearch('prop:due=-1')).toEqual([S({ kind: 'property', operator: '=', prop: { kind: 'due', days: -1 } })]);
    expect(parseSearch('prop:reps!=10')).toEqual([
      S({ kind: 'property', operator: '!=', prop: { kind: 'reps', count: 10 } }),
    ]);
    expect(parseSearch('prop:lapses>=1')).toEqual([
      S({ kind: 'property', operator: '>=', prop: { kind: 'lapses', count: 1 } }),
    ]);
    expect(parseSearch('prop:pos<100')).toEqual([
      S({ kind: 'property', operator: '<', prop: { kind: 'position', pos: 100 } }),
    ]);
    expect(parseSearch('prop:rated=-1:3')).toEqual([
      S({
        kind: 'property',
        operator: '=',
        prop: { kind: 'rated', days: -1, ease: { kind: 'answerButton', button: 3 } },
      }),
    ]);
    expect(parseSearch('prop:resched>-5')).toEqual([
      S({ kind: 'property', operator: '>', prop: { kind: 'rated', days: -5, ease: { kind: 'manualReschedule' } } }),
    ]);
    expect(parseSearch('prop:s>21')).toEqual([S({ kind: 'property', operator: '>', prop: { kind: 'stability', value: 21 } })]);
    expect(parseSearch('prop:d>0.3')).toEqual([
      S({ kind: 'property', operator: '>', prop: { kind: 'difficulty', value: Math.fround(0.3) } }),
    ]);
    expect(parseSearch('prop:r<0.9')).toEqual([
      S({ kind: 'property', operator: '<', prop: { kind: 'retrievability', value: Math.fround(0.9) } }),
    ]);
    expect(parseSearch('prop:cdn:abc<=1')).toEqual([
      S({ kind: 'property', operator: '<=', prop: { kind: 'customDataNumber', key: 'abc', value: 1 } }),
    ]);
    expect(parseSearch('prop:cds:abc=foo')).toEqual([
      S({ kind: 'property', operator: '=', prop: { kind: 'customDataString', key: 'abc', value: 'foo' } }),
    ]);
    expect(parseSearch('"prop:cds:abc=foo bar"')).toEqual([
      S({ kind: 'property', operator: '=', prop: { kind: 'customDataString', key: 'abc', value: 'foo bar' } }),
    ]);
  });
});

describe('parseSearch: errors', () => {
  const kinds: Array<[string, SearchErrorKind]> = [
    ['foo and', { kind: 'MisplacedAnd' }],
    ['and foo', { kind: 'MisplacedAnd' }],
    ['and', { kind: 'MisplacedAnd' }],
    ['a and and b', { kind: 'MisplacedAnd' }],
    ['foo or', { kind: 'MisplacedOr' }],
    ['or foo', { kind: 'MisplacedOr' }],
    ['or', { kind: 'MisplacedOr' }],
    ['()', { kind: 'EmptyGroup' }],
    ['( )', { kind: 'EmptyGroup' }],
    ['(foo () bar)', { kind: 'EmptyGroup' }],
    [')', { kind: 'UnopenedGroup' }],
    ['foo ) bar', { kind: 'UnopenedGroup' }],
    ['(foo) bar)', { kind: 'UnopenedGroup' }],
    ['(', { kind: 'UnclosedGroup' }],
    ['foo ( bar', { kind: 'UnclosedGroup' }],
    ['(foo (bar)', { kind: 'UnclosedGroup' }],
    ['""', { kind: 'EmptyQuote' }],
    ['foo:""', { kind: 'EmptyQuote' }],
    [' " ', { kind: 'UnclosedQuote' }],
    ['" foo', { kind: 'UnclosedQuote' }],
    ['"\\', { kind: 'UnclosedQuote' }],
    ['foo:"bar', { kind: 'UnclosedQuote' }],
    ['foo:"bar\\', { kind: 'UnclosedQuote' }],
    [':', { kind: 'MissingKey' }],
    [':foo', { kind: 'MissingKey' }],
    [':"foo"', { kind: 'MissingKey' }],
    ['\\', { kind: 'UnknownEscape', provided: '\\' }],
    ['\\%', { kind: 'UnknownEscape', provided: '\\%' }],
    ['foo\\', { kind: 'UnknownEscape', provided: '\\' }],
    ['\\foo', { kind: 'UnknownEscape', provided: '\\f' }],
    ['\\ ', { kind: 'UnknownEscape', provided: '\\' }],
    ['"\\ "', { kind: 'UnknownEscape', provided: '\\ ' }],
    ['is:foo', { kind: 'InvalidState', provided: 'foo' }],
    ['is:DUE', { kind: 'InvalidState', provided: 'DUE' }],
    ['is:New', { kind: 'InvalidState', provided: 'New' }],
    ['is:', { kind: 'InvalidState', provided: '' }],
    ['"is:learn "', { kind: 'InvalidState', provided: 'learn ' }],
    ['"flag: "', { kind: 'InvalidFlag' }],
    ['flag:-0', { kind: 'InvalidFlag' }],
    ['flag:', { kind: 'InvalidFlag' }],
    ['flag:8', { kind: 'InvalidFlag' }],
    ['flag:1.1', { kind: 'InvalidFlag' }],
    ['prop:', { kind: 'InvalidPropProperty', provided: '' }],
    ['prop:=1', { kind: 'InvalidPropProperty', provided: '=1' }],
    ['prop:DUE<5', { kind: 'InvalidPropProperty', provided: 'DUE<5' }],
    ['prop:cdn=5', { kind: 'InvalidPropProperty', provided: 'cdn=5' }],
    ['prop:cdn:=5', { kind: 'InvalidPropProperty', provided: 'cdn:=5' }],
    ['prop:cds=s', { kind: 'InvalidPropProperty', provided: 'cds=s' }],
    ['prop:cds:=s', { kind: 'InvalidPropProperty', provided: 'cds:=s' }],
    ['prop:lapses', { kind: 'InvalidPropOperator', provided: 'lapses' }],
    ['prop:pos~1', { kind: 'InvalidPropOperator', provided: 'pos' }],
    ['prop:reps10', { kind: 'InvalidPropOperator', provided: 'reps' }],
  ];
  it.each(kinds)('%s', (input, kind) => {
    expect(errorOf(input)).toEqual(kind);
  });

  it('id lists accept only digits and commas', () => {
    for (const term of ['nid:1_2,3', 'nid:1,2,x', 'nid:,2,3', 'nid:1,2,', 'cid:1_2,3', 'cid:1,2,x', 'cid:,2,3', 'cid:1,2,', 'did:x']) {
      expect(errorOf(term).kind).toBe('Other');
    }
  });

  it('positive whole numbers', () => {
    for (const term of ['added', 'edited', 'rated', 'resched', 'introduced']) {
      for (const val of ['1.1', '-1', '', 'foo']) {
        expect(errorOf(`${term}:${val}`).kind).toBe('InvalidPositiveWholeNumber');
      }
    }
    expect(errorOf('added:foo')).toEqual({ kind: 'InvalidPositiveWholeNumber', context: 'added:', provided: 'foo' });
  });

  it('answer buttons', () => {
    for (const term of ['rated:1:', 'rated:2:-1', 'rated:3:1.1', 'rated:0:foo', 'rated:1:5', 'rated:1:0']) {
      expect(errorOf(term).kind).toBe('InvalidAnswerButton');
    }
    expect(errorOf('rated:1:5')).toEqual({ kind: 'InvalidAnswerButton', context: '1:5', provided: '5' });
  });

  it('dupe:', () => {
    for (const term of ['dupe:', 'dupe:1.1', 'dupe:foo']) {
      expect(errorOf(term).kind).toBe('InvalidWholeNumber');
    }
    expect(errorOf('dupe:123')).toEqual({ kind: 'Other', info: "invalid 'dupe:' search" });
  });

  it('prop: numbers', () => {
    for (const term of ['ivl', 'reps', 'lapses', 'pos']) {
      for (const val of ['>', '=0.5', '!=-1', '<foo']) {
        expect(errorOf(`prop:${term}${val}`).kind).toBe('InvalidPositiveWholeNumber');
      }
    }
    expect(errorOf('prop:due>').kind).toBe('InvalidWholeNumber');
    expect(errorOf('prop:due=0.5')).toEqual({ kind: 'InvalidWholeNumber', context: 'due=0.5', provided: '0.5' });
    expect(errorOf('prop:ease>').kind).toBe('InvalidNumber');
    expect(errorOf('prop:ease!=one').kind).toBe('InvalidNumber');
    expect(errorOf('prop:ease<1,3').kind).toBe('InvalidNumber');
    expect(errorOf('prop:rated>1').kind).toBe('InvalidNegativeWholeNumber');
    expect(errorOf('prop:resched=2').kind).toBe('InvalidNegativeWholeNumber');
    expect(errorOf('mid:x')).toEqual({ kind: 'InvalidWholeNumber', context: 'mid:', provided: 'x' });
  });

  it('errors carry a readable message', () => {
    try {
      parseSearch('(a');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SearchError);
      expect((e as SearchError).code).toBe('search');
      expect((e as Error).message).toMatch(/^Invalid search: unbalanced parentheses/);
    }
    expect(() => parseSearch('prop:foo>1')).toThrow(/invalid property "foo>1"/);
    expect(() => parseSearch('is:nope')).toThrow(/"is:"/);
  });
});
