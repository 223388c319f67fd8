import { describe, expect, it } from 'vitest';

import { fieldChecksum, noteSortAndChecksum, sortFieldText } from './checksum';
import { BASE91_TABLE, guidFromU64, newGuid } from './guid';
import {
  decodeEntities,
  decodeHtmlStrict,
  decodeIriPaths,
  encodeAttribute,
  encodeIriPaths,
  escapeHtml,
  findMediaTags,
  htmlToTextLine,
  stripHtml,
  stripHtmlForTts,
  stripHtmlPreservingMediaFilenames,
} from './html';
import {
  extractMediaRefs,
  extractUnderscoredCssImports,
  extractUnderscoredReferences,
  referencedMediaFilenames,
  replaceMediaRefs,
} from './media-refs';
import { normalizeFieldText, withoutCombining } from './normalize';

describe('stripHtml', () => {
  it.each([
    ['test', 'test'],
    ['t<b>e</b>st', 'test'],
    ['so<SCRIPT>t<b>e</b>st</script>me', 'some'],
    ['a<style type="x">b{}</style>c', 'ac'],
    ['a<!-- <b> -->b', 'ab'],
    ['<b>dog</b> &amp; cat', 'dog & cat'],
    ['a&nbsp;b', 'a b'],
    ['a\u00a0b &amp;', 'a b &'],
    // decoding fails as a whole (bare &), so the NBSP and other entities stay
    ['a\u00a0b & c &amp;', 'a\u00a0b & c &amp;'],
    ['AT&T', 'AT&T'],
    ['&apos;', '&apos;'], // not an HTML 4 entity
    ['&#39;&#x41;&#x2e;', "'A."],
    ['&#X41;', '&#X41;'], // uppercase X is malformed
    ['&#xD800;', '&#xD800;'],
    ['&#1114112;', '&#1114112;'],
    ['&#0;', '\u0000'],
    ['<unclosed', '<unclosed'],
    ['a > b', 'a > b'],
    ['<ſtyle>x</style>y', 'y'], // Unicode case folding like Rust (?i)
  ])('%j → %j', (input, output) => {
    expect(stripHtml(input)).toBe(output);
  });

  it('decodeHtmlStrict reports failure', () => {
    expect(decodeHtmlStrict('&amp')).toBeNull();
    expect(decodeHtmlStrict('&;')).toBeNull();
    expect(decodeHtmlStrict('&#;')).toBeNull();
    expect(decodeHtmlStrict('&#x;')).toBeNull();
    expect(decodeHtmlStrict('&Amp;')).toBeNull();
    expect(decodeHtmlStrict('&eacute;&Eacute;&euro;')).toBe('éÉ€');
    expect(decodeEntities('no amp\u00a0here')).toBe('no amp\u00a0here');
  });
});

describe('stripHtmlPreservingMediaFilenames', () => {
  it.each([
    ['<img src=foo.jpg>', ' foo.jpg '],
    ["<img src='foo.jpg'><html>", ' foo.jpg '],
    ['<html>', ''],
    ['<img src="a b.jpg" alt="x">', ' a b.jpg '],
    ['<IMG SRC="x.png">', ' x.png '],
    ['<img alt="a>b" src="c.png">', ' c.png '],
    ['<audio controls src=x.mp3 autoplay>', ' x.mp3 '],
    ['<object data="y.svg"></object>', ' y.svg '],
    ['<imgx src=a.png>', ''],
    ['<img data-src=a.png>', ' a.png '], // '-' before "src" is a word boundary
    ['<img src=>', ''],
    ['<img src="">', ' "" '],
    ['<img src= foo bar>', '  foo '], // unquoted value may start with a space
    ['<img src=foo\tbar>', ' foo\tbar '],
    ['[sound:foo.wav]', '[sound:foo.wav]'],
  ])('%j → %j', (input, output) => {
    expect(stripHtmlPreservingMediaFilenames(input)).toBe(output);
  });
});

// A direct JS translation of Anki's HTML_MEDIA_TAGS regex: same leftmost-first semantics, but
// exponential on some inputs. Used to check the linear matcher on random strings.
const NAIVE_MEDIA =
  /<(?:img|audio|video|object|source)(?![\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}])(?:[^>]|"[^"]+?"|'[^']+?')+?(?<![\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}])(?:src|data)=(?:"([^"]+?)"[^>]*>|'([^']+?)'[^>]*>|([^>]+?)(?: [^>]*>|>))/giu;

function naiveMediaTags(s: string): { start: number; end: number; fname: string }[] {
  return [...s.matchAll(NAIVE_MEDIA)].map((m) => ({
    start: m.index!,
    end: m.index! + m[0].length,
    fname: m[1] ?? m[2] ?? m[3],
  }));
}

describe('media tag matcher', () => {
  it('agrees with the regex on random inputs', () => {
    const pieces = ['<img', '<IMG', '<source', '<imgs', ' ', 'src=', 'SRC=', 'data=', 'xsrc=', '"', "'", '>', 'a', 'b.jpg', '<', '=', 'é', '😀', '\n', ' alt=', '-'];
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 20000; i++) {
      let s = '';
      const len = 1 + rand(14);
      for (let j = 0; j < len; j++) s += pieces[rand(pieces.length)];
      expect(findMediaTags(s), JSON.stringify(s)).toEqual(naiveMediaTags(s));
    }
  });

  it('is fast on pathological input', () => {
    const s = '<img ' + 'a="b" '.repeat(5000) + 'x';
    const t0 = Date.now();
    expect(findMediaTags(s)).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('checksum and sort field', () => {
  it('matches values verified against real collections', () => {
    expect(fieldChecksum('hello')).toBe(2868168221);
    expect(fieldChecksum('[sound:foo.wav]')).toBe(685612576);
    expect(fieldChecksum('<b>hello</b>')).toBe(2868168221);
  });
  it('sort field keeps media names and does not trim', () => {
    expect(sortFieldText('<img src="a.jpg"> x&nbsp;')).toBe(' a.jpg  x ');
    expect(noteSortAndChecksum(['<i>hello</i>', 'b<br>c'], 1)).toEqual({ sfld: 'bc', csum: 2868168221 });
    expect(noteSortAndChecksum(['hello'], 3)).toEqual({ sfld: '', csum: 2868168221 });
  });
});

describe('normalize', () => {
  it('strips control chars except tab and newline, and NFC-normalises', () => {
    expect(normalizeFieldText('a\u0000b\tc\nd\re\u007f\u001f')).toBe('ab\tc\nde');
    expect(normalizeFieldText('e\u0301')).toBe('é');
    expect(normalizeFieldText('e\u0301', false)).toBe('e\u0301');
  });
  it('withoutCombining', () => {
    expect(withoutCombining('Über straße Œuvre')).toBe('Uber strase OEuvre');
    expect(withoutCombining('test')).toBe('test');
  });
});

describe('guid', () => {
  it('base91 like Anki', () => {
    expect(BASE91_TABLE).toHaveLength(91);
    expect(guidFromU64(0n)).toBe('');
    expect(guidFromU64(1n)).toBe('b');
    expect(guidFromU64(91n)).toBe('ba');
    expect(guidFromU64(2n ** 64n - 1n)).toHaveLength(10);
    const g = newGuid();
    expect(g.length).toBeGreaterThan(0);
    expect(g.length).toBeLessThanOrEqual(10);
    for (const c of g) expect(BASE91_TABLE.includes(c)).toBe(true);
  });
});

describe('escaping', () => {
  it('encode_minimal and encode_attribute', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;');
    expect(encodeAttribute('bar <span class="cloze-inactive">é€</span>')).toBe(
      'bar&#x20;&lt;span&#x20;class&#x3D;&quot;cloze&#x2D;inactive&quot;&gt;&#xE9;€&lt;&#x2F;span&gt;',
    );
    expect(encodeAttribute('one\nand')).toBe('one&#x0A;and');
  });
});

describe('text lines', () => {
  it('htmlToTextLine', () => {
    expect(htmlToTextLine('a<br>b<div>c</div>\n[[type:Back]][sound:x.mp3] ')).toBe('a b c');
    expect(htmlToTextLine('a [sound:x.mp3] <img src="y.jpg">', true)).toBe('a x.mp3  y.jpg');
  });
  it('stripHtmlForTts', () => {
    expect(stripHtmlForTts('a<br>b<div>c</div><p class=x>d</p>')).toBe('a b c d ');
  });
});

describe('media refs', () => {
  it('extracts html tags then sound tags', () => {
    const refs = extractMediaRefs('[sound:a&amp;b.mp3]<img src="x.jpg"><img src=\'y &amp; z.png\'>');
    expect(refs.map((r) => [r.kind, r.fname, r.fnameDecoded])).toEqual([
      ['html', 'x.jpg', 'x.jpg'],
      ['html', 'y &amp; z.png', 'y & z.png'],
      ['sound', 'a&amp;b.mp3', 'a&b.mp3'],
    ]);
    expect(referencedMediaFilenames('[sound:a.mp3][sound:a.mp3]<img src=b.png>')).toEqual(['b.png', 'a.mp3']);
  });
  it('replaces refs like Anki', () => {
    expect(
      replaceMediaRefs('<img src=foo.jpg>[sound:bar.mp3]<img src=baz.jpg>', (s) => (s !== 'baz.jpg' ? 'spam' : null)),
    ).toBe('<img src=spam>[sound:spam]<img src=baz.jpg>');
    expect(replaceMediaRefs('<img src=foo.jpg>', () => null)).toBeNull();
    expect(replaceMediaRefs('<img src="a&amp;b.jpg">', () => 'c&d.jpg')).toBe('<img src="c&amp;d.jpg">');
  });
  it('underscored references', () => {
    expect(
      extractUnderscoredCssImports(
        [
          "@IMPORT '_foo.css'",
          '@import "_bar.css"',
          "@import '_baz.css'",
          "@import 'nope.css'",
          'url(_foo.css)',
          'URL("_bar.css")',
          "@import url('_baz.css')",
          "url('nope.css')",
          "url(_foo.woff2) format('woff2')",
        ].join('\n'),
      ),
    ).toEqual(['_foo.css', '_bar.css', '_baz.css', '_foo.css', '_bar.css', '_baz.css', '_foo.woff2']);
    expect(
      extractUnderscoredReferences(
        `<img src="_foo.jpg"><object data="_bar">"_baz.js""nope.js"<img src=_foo.jpg><object data=_bar>'_baz.js'`,
      ),
    ).toEqual(['_foo.jpg', '_bar', '_baz.js', '_foo.jpg', '_bar', '_baz.js']);
  });
  it('IRI encoding of local paths', () => {
    for (const [input, output] of [
      ['foo.jpg', 'foo.jpg'],
      ['bar baz', 'bar%20baz'],
      ['sub/path.jpg', 'sub/path.jpg'],
      ['日本語', '日本語'],
      ['a=b', 'a=b'],
      ['a&b', 'a&b'],
    ]) {
      expect(encodeIriPaths(`<img src="${input}">`)).toBe(`<img src="${output}">`);
      expect(decodeIriPaths(`<img src="${output}">`)).toBe(`<img src="${input}">`);
    }
    expect(encodeIriPaths('<img src="http://x/a b.jpg">')).toBe('<img src="http://x/a b.jpg">');
  });
});
