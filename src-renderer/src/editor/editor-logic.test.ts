import { describe, expect, it } from 'vitest';
import { clozeNumber, highestCloze, insertCloze, wrapCloze } from './cloze';
import { duplicatesSearch, fromEditorHtml, isDangerousUrl, mediaReference, pastedFileName, sanitizeFieldHtml, toEditorHtml } from './html';
import { editorCommand } from './shortcuts';
import { completeTag, splitTags, tagAt, tagSuggestions } from './tags';

describe('the field HTML sanitiser', () => {
  it('keeps formatting, tables, images, sound tags and text as they are', () => {
    const keep = [
      '<b>bold</b> <i>it</i> <u>u</u> <sub>2</sub><sup>3</sup>',
      '<span style="color: rgb(255, 0, 0);">red</span>',
      '<ul><li>one</li><li>two</li></ul><ol><li>x</li></ol>',
      '<table><tbody><tr><td>a</td></tr></tbody></table>',
      '<img src="cat.jpg"> [sound:meow.mp3] {{c1::Paris}}',
      'a &lt; b &amp;&amp; c &gt; d',
      '<div>line</div><br>',
      '<a href="https://example.com/x?a=1&amp;b=2">link</a>',
    ];
    for (const html of keep) expect(sanitizeFieldHtml(html)).toBe(html);
  });

  it('removes scripts, handlers, javascript: URLs, frames, objects, styles and comments', () => {
    expect(sanitizeFieldHtml('a<script>alert(1)</script>b')).toBe('ab');
    expect(sanitizeFieldHtml('a<SCRIPT type="x">if (a < b) {}</SCRIPT >b')).toBe('ab');
    expect(sanitizeFieldHtml('<img src="x" onerror="alert(1)">')).toBe('<img src="x">');
    expect(sanitizeFieldHtml('<img src=x OnError=alert(1)//>')).toBe('<img src="x">');
    expect(sanitizeFieldHtml('<img/src="x"/onload="y">')).toBe('<img src="x">');
    expect(sanitizeFieldHtml('<a href="javascript:alert(1)">x</a>')).toBe('<a>x</a>');
    expect(sanitizeFieldHtml('<a href=" jav&#x09;ascript&colon;alert(1)">x</a>')).toBe('<a>x</a>');
    expect(sanitizeFieldHtml('<a href="&#106;avascript:alert(1)">x</a>')).toBe('<a>x</a>');
    expect(sanitizeFieldHtml('<iframe src="https://x"><b>in</b></iframe>ok')).toBe('ok');
    expect(sanitizeFieldHtml('<object data="x.swf"><param name=a>fallback</object>')).toBe('');
    expect(sanitizeFieldHtml('<style>body{display:none}</style><link rel=stylesheet href=x><meta http-equiv=refresh content=0><base href=//evil>x')).toBe('x');
    expect(sanitizeFieldHtml('<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)">t</a></svg>')).toBe('<svg><a>t</a></svg>');
    expect(sanitizeFieldHtml('<!--><script>alert(1)</script>-->x')).toBe('-->x');
    expect(sanitizeFieldHtml('<!-- a --!><img src=x onerror=alert(1)> -->y')).toBe('<img src="x"> -->y');
    expect(sanitizeFieldHtml('<div style="background:url(javascript:alert(1))">x</div>')).toBe('<div>x</div>');
    expect(sanitizeFieldHtml('<iframe srcdoc="<script>x</script>"></iframe><div srcdoc="x">y</div>')).toBe('<div>y</div>');
    expect(sanitizeFieldHtml('<img src="data:image/png;base64,AAAA"><a href="data:text/html,<script>">x</a>')).toBe('<img src="data:image/png;base64,AAAA"><a>x</a>');
    expect(sanitizeFieldHtml('<scr<script>ipt>alert(1)</script>')).toBe('<scr>ipt>alert(1)');
    expect(sanitizeFieldHtml('<div title="a > b" onclick=\'x\'>t</div>')).toBe('<div title="a &gt; b">t</div>');
    expect(sanitizeFieldHtml('unterminated <img src=x onerror=alert(1)')).toBe('unterminated ');
  });

  it('is idempotent', () => {
    const samples = ['<b>x</b><img src="a b.jpg" onerror=1>', '<a href="jav&#x61;script:1">x</a><i>y', '1 < 2 <3', '<p title="&quot;q&quot;">x</p>'];
    for (const s of samples) expect(sanitizeFieldHtml(sanitizeFieldHtml(s))).toBe(sanitizeFieldHtml(s));
  });

  it('recognises dangerous URLs', () => {
    expect(isDangerousUrl('JaVaScRiPt:x')).toBe(true);
    expect(isDangerousUrl('\u0001javascript:x')).toBe(true);
    expect(isDangerousUrl('vbscript:x')).toBe(true);
    expect(isDangerousUrl('data:image/png;base64,x', 'img')).toBe(false);
    expect(isDangerousUrl('data:image/svg+xml,<svg onload=x>', 'img')).toBe(true);
    expect(isDangerousUrl('cat.jpg')).toBe(false);
    expect(isDangerousUrl('https://a/b')).toBe(false);
  });

  it('maps media between stored names and the media folder URL, both ways', () => {
    const base = '/media/tok123/';
    const stored = '<img src="cat &amp; dog.jpg"> <img src="https://example.com/x.png"> <img src="data:image/png;base64,AA">';
    const shown = toEditorHtml(stored, base);
    expect(shown).toBe('<img src="/media/tok123/cat%20%26%20dog.jpg"> <img src="https://example.com/x.png"> <img src="data:image/png;base64,AA">');
    expect(fromEditorHtml(shown, base)).toBe(stored);
    expect(fromEditorHtml('<br>', base)).toBe('');
    expect(toEditorHtml('<img src="a.png" onerror="x">', 'app://deckhand/media/')).toBe('<img src="app://deckhand/media/a.png">');
  });

  it('references media as Anki does and names pastes', () => {
    expect(mediaReference('cat.jpg', 'image/jpeg')).toBe('<img src="cat.jpg">');
    expect(mediaReference('a "b".png', 'image/png')).toBe('<img src="a &quot;b&quot;.png">');
    expect(mediaReference('meow.mp3', 'audio/mpeg')).toBe('[sound:meow.mp3]');
    expect(mediaReference('clip.webm', '')).toBe('[sound:clip.webm]');
    expect(pastedFileName('image.png', 'image/png', 36 ** 3)).toBe('paste-1000.png');
    expect(pastedFileName('', 'image/jpeg', 35)).toBe('paste-z.jpg');
    expect(pastedFileName('photo.jpg', 'image/jpeg')).toBe('photo.jpg');
  });

  it('writes the duplicate search Anki opens', () => {
    expect(duplicatesSearch(123, 'a "b" \\c')).toBe('"dupe:123,a \\"b\\" \\\\c"');
  });
});

describe('cloze insertion', () => {
  it('next number, or the same number, as Anki', () => {
    expect(highestCloze(['no cloze'])).toBe(0);
    expect(clozeNumber(['no cloze'], false)).toBe(1);
    expect(clozeNumber(['no cloze'], true)).toBe(1);
    const fields = ['{{c1::a}} {{c3::b}}', '{{c2::c}}'];
    expect(highestCloze(fields)).toBe(3);
    expect(clozeNumber(fields, false)).toBe(4);
    expect(clozeNumber(fields, true)).toBe(3);
    expect(wrapCloze('<b>Paris</b>', 2)).toBe('{{c2::<b>Paris</b>}}');
  });
  it('inserts into plain text with the caret inside an empty cloze', () => {
    expect(insertCloze('capital Paris!', 8, 13, 1)).toEqual({ text: 'capital {{c1::Paris}}!', caret: 21 });
    expect(insertCloze('ab', 1, 1, 2)).toEqual({ text: 'a{{c2::}}b', caret: 7 });
  });
});

describe('editor shortcuts', () => {
  const k = (key: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; altKey: boolean; metaKey: boolean; code: string }> = {}) => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });
  it("are Anki's", () => {
    expect(editorCommand(k('b', { ctrlKey: true }))).toBe('bold');
    expect(editorCommand(k('i', { metaKey: true }))).toBe('italic');
    expect(editorCommand(k('u', { ctrlKey: true }))).toBe('underline');
    expect(editorCommand(k('=', { ctrlKey: true }))).toBe('subscript');
    expect(editorCommand(k('+', { ctrlKey: true, shiftKey: true }))).toBe('superscript');
    expect(editorCommand(k('r', { ctrlKey: true }))).toBe('clearFormatting');
    expect(editorCommand(k('C', { ctrlKey: true, shiftKey: true, code: 'KeyC' }))).toBe('cloze');
    expect(editorCommand(k('Ç', { ctrlKey: true, shiftKey: true, altKey: true, code: 'KeyC' }))).toBe('clozeSame');
    expect(editorCommand(k('X', { ctrlKey: true, shiftKey: true, code: 'KeyX' }))).toBe('toggleHtml');
    expect(editorCommand(k('Enter', { ctrlKey: true }))).toBe('save');
    expect(editorCommand(k('F7'))).toBe('textColor');
    expect(editorCommand(k('b'))).toBe(null);
    expect(editorCommand(k('c', { ctrlKey: true, code: 'KeyC' }))).toBe(null);
  });
});

describe('tags input', () => {
  const all = ['geo', 'geography::europe', 'german', 'Grammar', 'history::germany', 'marked'];
  it('finds the tag at the caret and completes it', () => {
    expect(tagAt('geo ger', 7)).toEqual({ start: 4, end: 7, prefix: 'ger' });
    expect(tagAt('geo ger', 2)).toEqual({ start: 0, end: 3, prefix: 'ge' });
    expect(completeTag('geo ger', 7, 'german')).toEqual({ text: 'geo german ', caret: 11 });
    expect(completeTag('ger  rest', 3, 'german')).toEqual({ text: 'german rest', caret: 7 });
  });
  it('suggests prefix matches first, then ::-components, without tags already there', () => {
    expect(tagSuggestions(all, 'ge')).toEqual(['geo', 'geography::europe', 'german', 'history::germany']);
    expect(tagSuggestions(all, 'GER', ['German'])).toEqual(['history::germany']);
    expect(tagSuggestions(all, 'g', [], 2)).toEqual(['geo', 'geography::europe']);
    expect(tagSuggestions(all, '')).toEqual([]);
    expect(splitTags(' a  b A c ')).toEqual(['a', 'b', 'c']);
  });
});
