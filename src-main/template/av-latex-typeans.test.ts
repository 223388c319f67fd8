import { describe, expect, it } from 'vitest';

import { avRefsToPlayIcons, extractAvTags, prettifyAvTags, stripAvRefs, stripAvTags } from './av-tags';
import { extractLatex, extractLatexExpandingClozes } from './latex';
import { englishStrings } from './messages';
import { compareAnswer, stripExpected, typeAnswerAnswerFilter, typeAnswerQuestionFilter } from './typeanswer';

const plain = englishStrings({ isolate: false });

describe('AV tags', () => {
  it('strips', () => {
    expect(stripAvTags('foo [sound:bar] baz')).toBe('foo  baz');
    expect(stripAvTags('[anki:tts bar=baz]spam[/anki:tts]')).toBe('');
    expect(stripAvTags('[anki:foo bar=baz]spam[/anki:foo]')).toBe('[anki:foo bar=baz]spam[/anki:foo]');
    expect(stripAvTags('[sound:]')).toBe('[sound:]');
    expect(stripAvTags('[anki:foo\nbar=baz ][/anki:foo][sound:x]')).toBe('[anki:foo bar=baz][/anki:foo]');
  });

  it('extracts sound and tts', () => {
    const out = extractAvTags('foo [sound:bar.mp3] baz [anki:tts lang=en_US][...][/anki:tts]', true, plain);
    expect(out.text).toBe('foo [anki:play:q:0] baz [anki:play:q:1]');
    expect(out.avTags).toEqual([
      { type: 'soundOrVideo', filename: 'bar.mp3' },
      { type: 'tts', fieldText: 'blank', lang: 'en_US', voices: [], speed: 1, otherArgs: [] },
    ]);
    expect(extractAvTags('[anki:tts]foo[/anki:tts]', true, plain)).toEqual({
      text: "[Error in directive 'anki:tts': 'lang' not set]",
      avTags: [],
    });
    expect(extractAvTags('[anki:tts]foo[/anki:tts]', true).text).toBe(
      "[Error in directive '\u2068anki:tts\u2069': \u2068'\u2068lang\u2069' not set\u2069]",
    );
    const a = extractAvTags('x[sound:a&amp;b.mp3][anki:tts lang=ja_JP voices=Alice,Bob speed=0.5 cloze_blank= bar=baz]<b>1</b><br>2 [...][/anki:tts]', false);
    expect(a.text).toBe('x[anki:play:a:0][anki:play:a:1]');
    expect(a.avTags).toEqual([
      { type: 'soundOrVideo', filename: 'a&b.mp3' },
      { type: 'tts', fieldText: '1 2 ', lang: 'ja_JP', voices: ['Alice', 'Bob'], speed: 0.5, otherArgs: ['bar=baz'] },
    ]);
    expect(extractAvTags('no tags here [', true)).toEqual({ text: 'no tags here [', avTags: [] });
  });

  it('quoted options and broken tags', () => {
    const a = extractAvTags('[anki:tts lang="en US" speed=foo]x[/anki:tts]', true);
    expect(a.avTags).toEqual([{ type: 'tts', fieldText: 'x', lang: 'en US', voices: [], speed: 1, otherArgs: [] }]);
    expect(extractAvTags('abc[anki:foo]def[/anki:bar]ghi][[anki:bar][', true).text).toBe('abc[anki:foo]def[/anki:bar]ghi][[anki:bar][');
    expect(extractAvTags('[anki:foo]]bar[[/anki:foo]', true).text).toBe('[anki:foo]]bar[[/anki:foo]');
  });

  it('pretty and play buttons', () => {
    expect(prettifyAvTags('a [sound:x.mp3] [anki:tts lang=en]hi[/anki:tts]')).toBe('a 🔉x.mp3🔉 💬hi💬');
    expect(stripAvRefs('a[anki:play:q:0]b')).toBe('ab');
    expect(avRefsToPlayIcons('[anki:play:a:3]')).toBe(`
<a class="replay-button soundLink" href=# onclick="pycmd('play:a:3'); return false;" draggable="false">
    <svg class="playImage" viewBox="0 0 64 64" version="1.1">
        <circle cx="32" cy="32" r="29" />
        <path d="M56.502,32.301l-37.502,20.101l0.329,-40.804l37.173,20.703Z" />
    </svg>
</a>`);
  });
});

describe('LaTeX', () => {
  it('matches Anki', () => {
    const fname = 'latex-ef30b3f4141c33a5bf7044b0d1961d3399c05d50.png';
    expect(extractLatex('a[latex]one<br>and<div>two[/latex]b', false)).toEqual({
      html: `a<img class=latex alt="one&#x0A;and&#x0A;two" src="${fname}">b`,
      latex: [{ fname, latex: 'one\nand\ntwo' }],
    });
    expect(extractLatex('[$]<b>hello</b>&nbsp; world[/$]', true).latex).toEqual([
      { fname: 'latex-060219fbf3ddb74306abddaf4504276ad793b029.svg', latex: '$hello  world$' },
    ]);
    expect(extractLatex('[$$]math &amp; stuff[/$$]', false).latex).toEqual([
      { fname: 'latex-8899f3f849ffdef6e4e9f2f34a923a1f608ebc07.png', latex: '\\begin{displaymath}math & stuff\\end{displaymath}' },
    ]);
    expect(extractLatex('[LaTeX]x[/latex]', false).latex).toHaveLength(1);
    expect(extractLatexExpandingClozes('[$]{{c1::x}}[/$]', false).latex.map((l) => l.latex)).toEqual([
      '$[...]$',
      '$x$',
    ]);
  });
});

describe('type answer comparison', () => {
  it('plain cases', () => {
    expect(stripExpected('<div>123</div>')).toBe('123');
    expect(compareAnswer('<div>123</div>', '', true)).toBe('<code id=typeans>123</code>');
    expect(compareAnswer('123', '123')).toBe('<code id=typeans><span class=typeGood>123</span></code>');
    // the expected side is HTML-stripped, so a literal <dir> there is a tag and disappears
    expect(compareAnswer('source <dir>/bin/activate', 'source <dir>/bin/activate')).toBe(
      '<code id=typeans><span class=typeGood>source </span><span class=typeBad>&lt;dir&gt;</span><span class=typeGood>/bin/activate</span>' +
        '<br><span id=typearrow>&darr;</span><br><span class=typeGood>source </span><span class=typeGood>/bin/activate</span></code>',
    );
    expect(compareAnswer('source &lt;dir&gt;/bin/activate', 'source <dir>/bin/activate')).toBe(
      '<code id=typeans><span class=typeGood>source &lt;dir&gt;/bin/activate</span></code>',
    );
    expect(compareAnswer('123', '1123')).toBe(
      '<code id=typeans><span class=typeBad>1</span><span class=typeGood>123</span><br><span id=typearrow>&darr;</span><br><span class=typeGood>123</span></code>',
    );
  });

  it('tokens like Anki', () => {
    // typed tokens / expected tokens from typeanswer.rs, as HTML
    expect(compareAnswer('¿Y ahora qué vamos a hacer?', 'y ahora qe vamosa hacer')).toBe(
      '<code id=typeans>' +
        '<span class=typeBad>y</span><span class=typeGood> ahora q</span><span class=typeBad>e</span><span class=typeGood> vamos</span><span class=typeMissed>-</span><span class=typeGood>a hacer</span><span class=typeMissed>-</span>' +
        '<br><span id=typearrow>&darr;</span><br>' +
        '<span class=typeMissed>¿Y</span><span class=typeGood> ahora q</span><span class=typeMissed>ué</span><span class=typeGood> vamos</span><span class=typeMissed> </span><span class=typeGood>a hacer</span><span class=typeMissed>?</span>' +
        '</code>',
    );
    expect(compareAnswer('[sound:foo.mp3]<b>1</b> &nbsp;2', '1  2')).toBe('<code id=typeans><span class=typeGood>1  2</span></code>');
    expect(compareAnswer('1', '23')).toContain('<span class=typeBad>23</span><br>');
    expect(compareAnswer('12', '1')).toContain('<span class=typeGood>1</span><span class=typeMissed>-</span><br>');
    expect(compareAnswer('нос', 'нс')).toContain('<span class=typeGood>н</span><span class=typeMissed>-</span><span class=typeGood>с</span><br>');
    expect(compareAnswer('쓰다듬다', '스다뜸다')).toContain(
      '<span class=typeBad>스</span><span class=typeGood>다</span><span class=typeBad>뜸</span><span class=typeGood>다</span><br>',
    );
    // must not hang or throw
    compareAnswer(
      'Сущность должна быть ответственна только за одно дело',
      'Single responsibility Сущность выполняет только одну задачу.Повод для изменения сущности только один.',
    );
  });

  it('ignoring combining marks (type:nc:)', () => {
    expect(compareAnswer('שִׁנּוּן', 'שנון', false)).toBe('<code id=typeans><span class=typeGood>שִׁנּוּן</span></code>');
    expect(compareAnswer('חוֹף', 'חופ', false)).toBe(
      '<code id=typeans><span class=typeGood>חו</span><span class=typeBad>פ</span><br><span id=typearrow>&darr;</span><br><span class=typeGood>חוֹ</span><span class=typeMissed>ף</span></code>',
    );
    expect(compareAnswer('ば', 'は', false)).toBe('<code id=typeans><span class=typeGood>ば</span></code>');
  });

  it('reviewer filters', () => {
    const fields = [
      { name: 'Front', value: 'dog', fontName: 'Arial', fontSize: 20 },
      { name: 'Back', value: 'Hund', fontName: 'Arial', fontSize: 20 },
      { name: 'Empty', value: '', fontName: 'Arial', fontSize: 20 },
    ];
    const q = typeAnswerQuestionFilter('dog\n\n[[type:Back]]', { fields, cardOrd: 0 });
    expect(q.html).toBe(`dog\n\n
<center>
<input type=text id=typeans onkeypress="_typeAnsPress();"
   style="font-family: 'Arial'; font-size: 20px;">
</center>
`);
    const a = typeAnswerAnswerFilter('dog\n\n<hr id=answer>\n\n[[type:Back]]', q.state, 'Hund');
    expect(a).toBe(`dog\n\n\n\n<hr id=answer>
<div style="font-family: 'Arial'; font-size: 20px"><code id=typeans><span class=typeGood>Hund</span></code></div>`);
    expect(typeAnswerQuestionFilter('x[[type:Nope]]', { fields, cardOrd: 0, strings: plain }).html).toBe('xType answer: unknown field Nope');
    expect(typeAnswerQuestionFilter('x[[type:Empty]]', { fields, cardOrd: 0 }).html).toBe('x');
    const cloze = typeAnswerQuestionFilter('[[type:cloze:Front]]', {
      fields: [{ name: 'Front', value: '{{c2::x}}', fontName: 'A', fontSize: 1 }],
      cardOrd: 0,
      strings: plain,
    });
    expect(cloze.html).toBe('Please run Tools>Empty Cards');
    const nc = typeAnswerQuestionFilter('[[type:nc:Back]]', { fields, cardOrd: 0 });
    expect(nc.state.combining).toBe(false);
  });
});
