import { describe, expect, it } from 'vitest';

import { encodeAttribute, stripHtml } from '../text/html';
import {
  clozeNumbersInFields,
  clozeNumbersInText,
  containsCloze,
  expandClozesToRevealLatex,
  extractClozeForTyping,
  imageClozeData,
  parseImageCloze,
  parseImageOcclusions,
  revealClozeText,
  revealClozeTextOnly,
  stripClozes,
  stripHtmlInsideMathjax,
} from './cloze';
import { containsLatex } from './latex';

const nums = (s: string) => [...clozeNumbersInText(s)].sort((a, b) => a - b);

describe('cloze numbers', () => {
  it.each([
    ['test', []],
    ['{{c2::te}}{{c1::s}}t{{', [1, 2]],
    ['{{c0::te}}s{{c2::t}}s', [2]],
    ['öaöaöööaö', []],
    ['{{c2::te{{c1::s}}}}t{{', [1, 2]],
    ['{{c1,2,3::multi}}', [1, 2, 3]],
    ['{{c1,1,2::test}}', [1, 2]],
    ['{{c0,1,2::test}}', [1, 2]],
    ['{{c1,,3::test}}', [1, 3]],
    ['{{c1,2::outer {{c3::inner}}}}', [1, 2, 3]],
    ['{{c1::outer {{c1::inner}}}}', [1]],
    ['foo {{c1::bar', []], // unclosed: dropped with its contents
    ['{{c1::a {{c2::b}}', []], // the outer is unclosed, so the inner goes too
    ['{{c65536::x}}{{c007::y}}', [7]],
    ['{{c::x}}', []],
  ])('%j → %j', (text, expected) => expect(nums(text)).toEqual(expected));

  it('across fields', () => {
    expect([...clozeNumbersInFields(['{{c1::a}}', 'x {{c3::b}}', ''])].sort()).toEqual([1, 3]);
  });

  it('containsCloze looks at top-level clozes with a non-zero number', () => {
    expect(containsCloze('{{c1::a}}')).toBe(true);
    expect(containsCloze('{{c0::a}}')).toBe(false);
    expect(containsCloze('plain')).toBe(false);
  });
});

describe('reveal', () => {
  it('spec examples', () => {
    const t = '{{c1::Canberra::city}} is the capital of {{c2::Australia}}.';
    expect(revealClozeText(t, 1, true)).toBe(
      '<span class="cloze" data-cloze="Canberra" data-ordinal="1">[city]</span> is the capital of <span class="cloze-inactive" data-ordinal="2">Australia</span>.',
    );
    expect(revealClozeText(t, 1, false)).toBe(
      '<span class="cloze" data-ordinal="1">Canberra</span> is the capital of <span class="cloze-inactive" data-ordinal="2">Australia</span>.',
    );
    expect(revealClozeText(t, 2, true)).toBe(
      '<span class="cloze-inactive" data-ordinal="1">Canberra</span> is the capital of <span class="cloze" data-cloze="Australia" data-ordinal="2">[...]</span>.',
    );
    expect(revealClozeText(t, 3, true)).toBe('');
  });

  it('nested, plain text', () => {
    const cases: [string, number, boolean, string][] = [
      ['foo {{c1::bar {{c2::baz}}}}', 1, true, 'foo [...]'],
      ['foo {{c1::bar {{c2::baz}}}}', 1, false, 'foo bar baz'],
      ['foo {{c1::bar {{c2::baz}}::qux}}', 2, true, 'foo bar [...]'],
      ['foo {{c1::bar {{c2::baz}}::qux}}', 2, false, 'foo bar baz'],
      ['foo {{c1::bar {{c2::baz}}::qux}}', 1, true, 'foo [qux]'],
      ['foo {{c1::bar {{c2::baz}}::qux}}', 1, false, 'foo bar baz'],
    ];
    for (const [t, ord, q, out] of cases) expect(stripHtml(revealClozeText(t, ord, q))).toBe(out);
  });

  it('nested, HTML', () => {
    expect(revealClozeText('foo {{c1::bar {{c2::baz}}}}', 1, true)).toBe(
      `foo <span class="cloze" data-cloze="${encodeAttribute('bar <span class="cloze-inactive" data-ordinal="2">baz</span>')}" data-ordinal="1">[...]</span>`,
    );
    // the spec's literal form of the same
    expect(revealClozeText('foo {{c1::bar {{c2::baz}}}}', 1, true)).toBe(
      'foo <span class="cloze" data-cloze="bar&#x20;&lt;span&#x20;class&#x3D;&quot;cloze&#x2D;inactive&quot;&#x20;data&#x2D;ordinal&#x3D;&quot;2&quot;&gt;baz&lt;&#x2F;span&gt;" data-ordinal="1">[...]</span>',
    );
    expect(revealClozeText('foo {{c1::bar {{c2::baz}}}}', 1, false)).toBe(
      'foo <span class="cloze" data-ordinal="1">bar <span class="cloze-inactive" data-ordinal="2">baz</span></span>',
    );
    expect(revealClozeText('foo {{c1::bar {{c2::baz}}::qux}}', 2, true)).toBe(
      'foo <span class="cloze-inactive" data-ordinal="1">bar <span class="cloze" data-cloze="baz" data-ordinal="2">[...]</span></span>',
    );
    expect(revealClozeText('foo {{c1::bar {{c2::baz}}::qux}}', 2, false)).toBe(
      'foo <span class="cloze-inactive" data-ordinal="1">bar <span class="cloze" data-ordinal="2">baz</span></span>',
    );
    expect(revealClozeText('foo {{c1::bar {{c2::baz}}::qux}}', 1, true)).toBe(
      `foo <span class="cloze" data-cloze="${encodeAttribute('bar <span class="cloze-inactive" data-ordinal="2">baz</span>')}" data-ordinal="1">[qux]</span>`,
    );
  });

  it('multi-ordinal', () => {
    const t = '{{c1,2::shared}} word and {{c1::first}} vs {{c2::second}}';
    expect(stripHtml(revealClozeText(t, 1, true))).toBe('[...] word and [...] vs second');
    expect(stripHtml(revealClozeText(t, 2, true))).toBe('[...] word and first vs [...]');
    expect(stripHtml(revealClozeText(t, 1, false))).toBe('shared word and first vs second');
    expect(revealClozeText('{{c1,2,3::multi}}', 2, true)).toContain('data-ordinal="1,2,3"');
    expect(stripHtml(revealClozeText('{{c1,2::answer::hint}}', 2, true))).toBe('[hint]');
    expect(stripHtml(revealClozeText('{{c1,2::outer {{c3::inner}}}}', 3, true))).toBe('outer [...]');
    expect(stripHtml(revealClozeText('{{c1::outer {{c1::inner}}}}', 1, true))).toBe('[...]');
  });

  it('hints, stray braces, depth limit', () => {
    expect(revealClozeText('{{c1::a::b::c}}', 1, true)).toBe('<span class="cloze" data-cloze="a" data-ordinal="1">[b::c]</span>');
    expect(revealClozeText('x}} {{c1::a}}', 1, false)).toBe('x}} <span class="cloze" data-ordinal="1">a</span>');
    let deep = 'x';
    for (let i = 1; i <= 11; i++) deep = `{{c${i}::${deep}}}`;
    // the 11th nested opening (c1) is ignored: its `}}` closes c2, and one `}}` is left as text
    expect(nums(deep)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('cloze-only', () => {
    expect(revealClozeTextOnly('foo', 1, true)).toBe('');
    expect(revealClozeTextOnly('foo {{c1::bar}}', 1, true)).toBe('...');
    expect(revealClozeTextOnly('foo {{c1::bar::baz}}', 1, true)).toBe('baz');
    expect(revealClozeTextOnly('foo {{c1::bar}}', 1, false)).toBe('bar');
    expect(revealClozeTextOnly('foo {{c1::bar}}', 2, false)).toBe('');
    expect(revealClozeTextOnly('{{c1::foo}} {{c1::bar}}', 1, false)).toBe('foo, bar');
    const t = '{{c1,2::shared}} and {{c1::first}} vs {{c2::second}}';
    expect(revealClozeTextOnly(t, 1, true)).toBe('..., ...');
    expect(revealClozeTextOnly(t, 2, false)).toBe('shared, second');
  });

  it('typing', () => {
    expect(extractClozeForTyping('{{c2::foo}}', 1)).toBe('');
    expect(extractClozeForTyping('{{c1::foo}} {{c1::bar}} {{c1::foo}}', 1)).toBe('foo, bar, foo');
    expect(extractClozeForTyping('{{c1::foo}} {{c1::foo}} {{c1::foo}}', 1)).toBe('foo');
  });

  it('strip clozes, mathjax, latex expansion', () => {
    expect(stripClozes('The {{c1::moon::🌛}} {{c2::orbits::this hint has "::" in it}} the {{c3::🌏}}.')).toBe('The moon orbits the 🌏.');
    expect(stripHtmlInsideMathjax('\\(<foo>&lt;&gt;</foo>\\)')).toBe('\\(&lt;&gt;\\)');
    expect(expandClozesToRevealLatex('{{c1::foo}} {{c2::bar::baz}}', containsLatex)).toBe('');
    const expanded = stripHtml(expandClozesToRevealLatex('[latex]{{c1::foo}} {{c2::bar::baz}}[/latex]', containsLatex));
    expect(expanded).toContain('foo [baz]');
    expect(expanded).toContain('[...] bar');
    expect(expanded).toContain('foo bar');
  });
});

describe('image occlusion', () => {
  it('renders shapes', () => {
    expect(revealClozeText('{{c1::image-occlusion:rect:left=10.0:top=20:width=30:height=10}}', 1, true)).toBe(
      '<div class="cloze" data-ordinal="1" data-shape="rect" data-left="10.0" data-top="20" data-width="30" data-height="10" ></div>',
    );
    expect(revealClozeText('{{c1::image-occlusion:rect:left=1}}{{c2::image-occlusion:rect:left=2}}', 2, false)).toBe(
      '<div class="cloze-inactive" data-ordinal="1" data-shape="rect" data-left="1" ></div><div class="cloze-highlight" data-ordinal="2" data-shape="rect" data-left="2" ></div>',
    );
    const multi = '{{c1,2::image-occlusion:rect:left=10:top=20:width=30:height=40}}';
    expect(revealClozeText(multi, 2, true)).toContain('data-ordinal="1,2"');
    expect([...parseImageOcclusions(multi).keys()].sort()).toEqual([1, 2]);
  });

  it('data attributes', () => {
    expect(imageClozeData('rect:left=10:top=20:width=30:height=10')).toBe(
      'data-shape="rect" data-left="10" data-top="20" data-width="30" data-height="10" ',
    );
    expect(imageClozeData('ellipse:left=15:top=20:width=10:height=20:rx=10:ry=5')).toBe(
      'data-shape="ellipse" data-left="15" data-top="20" data-width="10" data-height="20" data-rx="10" data-ry="5" ',
    );
    expect(imageClozeData('polygon:points=0,0 10,10 20,0')).toBe('data-shape="polygon" data-points="0,0 10,10 20,0" ');
    expect(imageClozeData('text:text=\\\\foo\\:bar\\::left=10')).toBe('data-shape="text" data-text="&#x5C;foo&#x3A;bar&#x3A;" data-left="10" ');
    expect(imageClozeData('text:text=\\:lol\\::left=10')).toBe('data-shape="text" data-text="&#x3A;lol&#x3A;" data-left="10" ');
    const shape = parseImageCloze('text:left=10:top=20:text=\\:l\\\\ol\\::width=30:height=40');
    expect(shape?.properties).toHaveLength(5);
    expect(shape?.properties).toContainEqual({ name: 'text', value: ':l\\ol:' });
  });
});
