import { describe, expect, it } from 'vitest';

import {
  allReferencedClozeFieldNames,
  allReferencedFieldNames,
  fieldIsEmpty,
  type ParsedNode,
  parseTemplate,
  renameAndRemoveFields,
  rendersWithFields,
  rendersWithFieldsForReqs,
  TemplateError,
  templateRequirements,
  templateToString,
} from './parser';

const text = (t: string): ParsedNode => ({ type: 'text', text: t });
const comment = (t: string): ParsedNode => ({ type: 'comment', text: t });
const repl = (key: string, filters: string[] = []): ParsedNode => ({ type: 'replacement', key, filters });
const cond = (key: string, children: ParsedNode[]): ParsedNode => ({ type: 'conditional', key, children });
const neg = (key: string, children: ParsedNode[]): ParsedNode => ({ type: 'negated', key, children });

function parseError(t: string) {
  try {
    parseTemplate(t);
  } catch (e) {
    if (e instanceof TemplateError) return e.info;
    throw e;
  }
  throw new Error('expected a parse error');
}

describe('fieldIsEmpty', () => {
  it.each([
    ['', true],
    [' ', true],
    ['x', false],
    ['<BR>', true],
    ['<div />', true],
    [' <div> <br> </div>\n', true],
    [' <div>x</div>\n', false],
    ['&nbsp;', false],
    ['<p></p>', false],
    ['\u00a0', false],
    ['<br/><br />', true],
  ])('%j → %s', (input, empty) => expect(fieldIsEmpty(input)).toBe(empty));
});

describe('parsing', () => {
  it('round-trips and builds nodes', () => {
    expect(parseTemplate('')).toEqual([]);
    const orig = 'foo {{bar}} {{#baz}} quux {{/baz}}';
    const nodes = parseTemplate(orig);
    expect(nodes).toEqual([text('foo '), repl('bar'), text(' '), cond('baz', [text(' quux ')])]);
    expect(templateToString(nodes)).toBe(orig);
  });

  it('comments are opaque', () => {
    const orig =
      'foo <!--{{bar }} --> {{#baz}} --> <!-- <!-- {{#def}} --> \u0123-->\u0456<!-- 2 --><!----> <!-- quux {{/baz}} <!-- {{nc:abc}}';
    const nodes = parseTemplate(orig);
    expect(nodes).toEqual([
      text('foo '),
      comment('{{bar }} '),
      text(' '),
      cond('baz', [text(' --> '), comment(' <!-- {{#def}} '), text(' \u0123-->\u0456'), comment(' 2 '), comment(''), text(' <!-- quux ')]),
      text(' <!-- '),
      repl('abc', ['nc']),
    ]);
    expect(templateToString(nodes)).toBe(orig);
  });

  it('conditionals must balance', () => {
    expect(parseTemplate('{{^baz}}{{/baz}}')).toEqual([neg('baz', [])]);
    expect(parseError('{{#mis}}{{/matched}}')).toEqual({ kind: 'ConditionalNotOpen', closed: 'matched', currentlyOpen: 'mis' });
    expect(parseError('{{/matched}}')).toEqual({ kind: 'ConditionalNotOpen', closed: 'matched', currentlyOpen: null });
    expect(parseError('{{#mis}}')).toEqual({ kind: 'ConditionalNotClosed', tag: 'mis' });
    expect(parseError('{{#mis}}<!--{{/matched}}-->')).toEqual({ kind: 'ConditionalNotClosed', tag: 'mis' });
    expect(() => parseTemplate('<!--{{#mis}}{{/matched}}-->')).not.toThrow();
    expect(() => parseTemplate('<!--{{foo}}')).not.toThrow();
    expect(() => parseTemplate('{{foo}}-->')).not.toThrow();
    // close keys must match exactly (case included); whitespace after the sigil is ignored
    expect(parseError('{{# A}}{{/ A }}x{{/a}}')).toEqual({ kind: 'ConditionalNotOpen', closed: 'a', currentlyOpen: null });
    expect(parseError('{{#A}}x{{/a}}')).toEqual({ kind: 'ConditionalNotOpen', closed: 'a', currentlyOpen: 'A' });
  });

  it('handle whitespace, braces and stray delimiters', () => {
    expect(parseTemplate('{{ tag }}')).toEqual([repl('tag')]);
    expect(parseTemplate('text }} more')).toEqual([text('text }} more')]);
    expect(parseTemplate('{{{Front}}}')).toEqual([repl('Front'), text('}')]);
    expect(parseTemplate('a {{ b')).toEqual([text('a {{ b')]);
    expect(parseTemplate('{{#}}')).toEqual([repl('#')]);
    expect(parseTemplate('{{a {{b}}')).toEqual([repl('a {{b')]);
  });

  it('filters are applied right to left and round-trip', () => {
    expect(parseTemplate('{{one:two:three}}')).toEqual([repl('three', ['two', 'one'])]);
    expect(parseTemplate('{{foo:}}')).toEqual([repl('', ['foo'])]);
    for (const orig of [
      'foo {{one:two}} {{one:two:three}} {{^baz}} {{/baz}} {{foo:}}',
      'foo {{one:two}} <!--<!--abc {{^def}}-->--> {{one:two:three}} {{^baz}} <!-- {{/baz}} 🙂 --> {{/baz}} {{foo:}}',
    ]) {
      expect(templateToString(parseTemplate(orig))).toBe(orig);
    }
  });

  it('legacy alternative delimiters', () => {
    expect(parseTemplate('\n{{=<% %>=}}\n<%Front%>\n<% #Back %>\n<%/Back%>')).toEqual([
      text('\n'),
      repl('Front'),
      text('\n'),
      cond('Back', [text('\n')]),
    ]);
    expect(parseTemplate('\n{{=<% %>=}}\n{{#foo}}\n<%Front%>\n{{/foo}}\n')).toEqual([
      text('\n{{#foo}}\n'),
      repl('Front'),
      text('\n{{/foo}}\n'),
    ]);
  });
});

describe('emptiness', () => {
  it('renders_with_fields', () => {
    const fields = new Set(['1', '3']);
    expect(rendersWithFields(parseTemplate('{{2}}{{1}}'), fields)).toBe(true);
    expect(rendersWithFields(parseTemplate('{{2}}'), fields)).toBe(false);
    expect(rendersWithFields(parseTemplate('{{2}}{{4}}'), fields)).toBe(false);
    expect(rendersWithFields(parseTemplate('{{#3}}{{^2}}{{1}}{{/2}}{{/3}}'), fields)).toBe(true);
    const t = parseTemplate('{{^1}}{{3}}{{/1}}');
    expect(rendersWithFields(t, fields)).toBe(false);
    expect(rendersWithFieldsForReqs(t, fields)).toBe(true);
    expect(rendersWithFields(parseTemplate('Where is {{Country}}?'), new Set())).toBe(false);
  });
});

describe('requirements', () => {
  const fieldOrds = new Map([
    ['a', 0],
    ['b', 1],
    ['c', 2],
  ]);
  it.each([
    ['{{a}}{{b}}', { kind: 'any', ords: [0, 1] }],
    ['{{#a}}{{b}}{{/a}}', { kind: 'all', ords: [0, 1] }],
    ['{{z}}', { kind: 'none' }],
    ['{{^a}}{{b}}{{/a}}', { kind: 'any', ords: [1] }],
    ['{{^a}}{{#b}}{{c}}{{/b}}{{/a}}', { kind: 'all', ords: [1, 2] }],
    ['{{#a}}{{#b}}{{a}}{{/b}}{{/a}}', { kind: 'all', ords: [0, 1] }],
    ['\n{{^a}}\n    {{b}}\n{{/a}}\n\n{{#a}}\n    {{a}}\n    {{b}}\n{{/a}}\n', { kind: 'any', ords: [0, 1] }],
    ['\n<!--{{^a}}-->\n    {{b}}\n<!--{{/a}}-->\n{{#c}}\n    <!--{{a}}-->\n    {{b}}\n    <!--{{c}}-->\n{{/c}}\n', { kind: 'any', ords: [1] }],
  ])('%j', (tmpl, expected) => {
    expect(templateRequirements(parseTemplate(tmpl), fieldOrds)).toEqual(expected);
  });
});

describe('field references', () => {
  it('finds and renames', () => {
    const nodes = parseTemplate('{{#A}}{{B}}{{/A}}{{cloze:C}}{{#c2}}x{{/c2}}{{^D}}{{/D}}');
    expect([...allReferencedFieldNames(nodes)].sort()).toEqual(['A', 'B', 'C', 'D']);
    expect([...allReferencedClozeFieldNames(nodes)]).toEqual(['C']);
    const renamed = renameAndRemoveFields(
      nodes,
      new Map<string, string | null>([
        ['A', null],
        ['B', 'Bee'],
        ['D', 'Dee'],
      ]),
    );
    expect(templateToString(renamed)).toBe('{{Bee}}{{cloze:C}}{{#c2}}x{{/c2}}{{^Dee}}{{/Dee}}');
  });
});
