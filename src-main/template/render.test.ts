import { describe, expect, it } from 'vitest';

import { stripHtml } from '../text/html';
import { englishStrings } from './messages';
import { TemplateError, type TemplateErrorInfo, nonemptyFields, parseTemplate } from './parser';
import {
  applyFilters,
  furiganaFilter,
  hintFilter,
  kanaFilter,
  kanjiFilter,
  type RenderContext,
  renderCardTemplates,
  renderNodes,
  TemplateRenderError,
  ttsFilter,
} from './render';

const plain = englishStrings({ isolate: false });

function ctxFor(fields: Record<string, string>, extra: Partial<RenderContext> = {}): RenderContext {
  const map = new Map(Object.entries(fields));
  return { fields: map, nonempty: nonemptyFields(map), cardOrd: 1, frontSide: null, partial: true, ...extra };
}

function renderError(tmpl: string, ctx: RenderContext): TemplateErrorInfo {
  try {
    renderNodes(parseTemplate(tmpl), ctx);
  } catch (e) {
    if (e instanceof TemplateError) return e.info;
    throw e;
  }
  throw new Error('expected an error');
}

describe('render single side (partial mode)', () => {
  const ctx = ctxFor({ F: 'f', B: 'b', E: ' ', c1: '1' });
  const render = (t: string) => renderNodes(parseTemplate(t), ctx);

  it('replacements and conditionals', () => {
    expect(render('{{B}}A{{F}}')).toEqual([{ type: 'text', text: 'bAf' }]);
    expect(render('{{#E}}A{{/E}}')).toEqual([]);
    expect(renderError('{{#E}}}{{^M}}A{{/M}}{{/E}}}', ctx)).toEqual({ kind: 'NoSuchConditional', condition: '^M' });
    expect(render('{{^E}}1{{#F}}2{{#B}}{{F}}{{/B}}{{/F}}{{/E}}')).toEqual([{ type: 'text', text: '12f' }]);
    expect(render('{{^E}}1<!--{{#F}}2{{#B}}{{F}}{{/B}}{{/F}}-->\u0123<!-- this is a comment -->{{/E}}\u0456')).toEqual([
      { type: 'text', text: '1<!--{{#F}}2{{#B}}{{F}}{{/B}}{{/F}}-->\u0123<!-- this is a comment -->\u0456' },
    ]);
    // card conditionals: c1 set, c2 allowed though absent
    expect(render('{{^c2}}1{{#c1}}2{{/c1}}{{/c2}}')).toEqual([{ type: 'text', text: '12' }]);
  });

  it('unknown filters stop built-in processing', () => {
    expect(render('{{one:two:B}}')).toEqual([{ type: 'replacement', fieldName: 'B', filters: ['two', 'one'], currentText: 'b' }]);
    expect(render('{{one::text:B}}')).toEqual([{ type: 'replacement', fieldName: 'B', filters: ['one'], currentText: 'b' }]);
    expect(render('{{text:B}}')).toEqual([{ type: 'text', text: 'b' }]);
    expect(render('{{filter:}}')).toEqual([{ type: 'replacement', fieldName: '', currentText: '', filters: ['filter'] }]);
    expect(render('{{FrontSide}}')).toEqual([{ type: 'replacement', fieldName: 'FrontSide', currentText: '', filters: [] }]);
  });

  it('missing fields', () => {
    expect(renderError('{{X}}', ctx)).toEqual({ kind: 'FieldNotFound', field: 'X', filters: '' });
    expect(renderError('{{foo:text:X}}', ctx)).toEqual({ kind: 'FieldNotFound', field: 'X', filters: 'foo:text:' });
    // errors inside a branch that is not taken are still reported
    expect(renderError('{{#E}}{{X}}{{/E}}', ctx)).toEqual({ kind: 'FieldNotFound', field: 'X', filters: '' });
  });

  it('full mode skips unknown filters', () => {
    const full = ctxFor({ B: '<b>b</b>' }, { partial: false });
    expect(renderNodes(parseTemplate('{{text:unknown:B}}{{x:}}'), full)).toEqual([{ type: 'text', text: 'b' }]);
  });
});

describe('render both sides', () => {
  const fields = new Map([
    ['E', ''],
    ['N', 'N'],
  ]);
  const base = { afmt: '', fields, cardOrd: 1, isCloze: false, browser: false, partial: true, strings: plain };

  it('empty front', () => {
    const r = renderCardTemplates({ ...base, qfmt: 'test{{E}}' });
    expect(r.isEmpty).toBe(true);
    expect(r.qnodes[0]).toEqual({ type: 'text', text: 'test' });
    expect(r.qnodes[1]).toEqual({
      type: 'text',
      text: "<div>The front of this card is blank.<br><a href='https://docs.ankiweb.net/templates/errors.html#front-of-card-is-blank'>More information</a></div>",
    });
    expect(r.anodes).toEqual([r.qnodes[1]]);
    // the browser does not show the message
    expect(renderCardTemplates({ ...base, qfmt: 'test{{E}}', browser: true }).isEmpty).toBe(false);
  });

  it('FrontSide is empty on the question', () => {
    let r = renderCardTemplates({ ...base, qfmt: '{{FrontSide}}{{N}}' });
    expect(r.qnodes).toEqual([
      { type: 'replacement', fieldName: 'FrontSide', currentText: '', filters: [] },
      { type: 'text', text: 'N' },
    ]);
    expect(r.isEmpty).toBe(false);
    r = renderCardTemplates({ ...base, qfmt: '{{FrontSide}}{{N}}', partial: false });
    expect(r.qnodes).toEqual([{ type: 'text', text: 'N' }]);
  });

  it('errors become HTML with the side header', () => {
    const err = (qfmt: string, afmt = '', browser = false) => {
      try {
        renderCardTemplates({ ...base, qfmt, afmt, browser });
      } catch (e) {
        if (e instanceof TemplateRenderError) return e.html;
        throw e;
      }
      throw new Error('no error');
    };
    const more = "<br><a href='https://docs.ankiweb.net/templates/errors.html#template-syntax-error'>More information</a>";
    expect(err('{{N}} {{/Back}}')).toBe(
      `Front template has a problem:<br>Found &#x27;{{/Back}}&#x27;, but missing &#x27;{{#Back}}&#x27; or &#x27;{{^Back}}&#x27;${more}`,
    );
    expect(err('{{N}}', '{{#A}}{{/B}}')).toBe(`Back template has a problem:<br>Found &#x27;{{/B}}&#x27;, but expected &#x27;{{/A}}&#x27;${more}`);
    expect(err('{{N}}{{#A}}')).toBe(`Front template has a problem:<br>Missing &#x27;{{/A}}&#x27;${more}`);
    expect(err('{{text:Nope}}', '', true)).toBe(
      `Browser-specific front template has a problem:<br>Found &#x27;{{text:Nope}}&#x27;, but there is no field called &#x27;Nope&#x27;${more}`,
    );
    expect(err('{{N}}{{#Missing}}x{{/Missing}}')).toBe(
      `Front template has a problem:<br>Found &#x27;{{#Missing}}&#x27;, but there is no field called &#x27;Missing&#x27;${more}`,
    );
    // with Fluent isolation marks (desktop in a locale)
    try {
      renderCardTemplates({ ...base, qfmt: '{{X}}', strings: englishStrings() });
    } catch (e) {
      expect((e as TemplateRenderError).html).toContain("Found '\u2068{{X}}\u2069', but there is no field called '\u2068X\u2069'".replaceAll("'", '&#x27;'));
    }
  });

  it('missing cloze', () => {
    const r = renderCardTemplates({
      ...base,
      fields: new Map([
        ['Text', '{{c1::a}}'],
        ['c3', '1'],
      ]),
      qfmt: '{{cloze:Text}}',
      afmt: '{{cloze:Text}}',
      cardOrd: 2,
      isCloze: true,
    });
    expect(r.isEmpty).toBe(true);
    expect(r.anodes).toEqual([
      {
        type: 'text',
        text: "<div>No cloze 3 found on card.\nPlease either add a cloze deletion, or use the Empty Cards tool.<br><a href='https://docs.ankiweb.net/templates/errors.html#no-cloze-filter-on-cloze-note-type'>More information</a></div>",
      },
    ]);
  });
});

describe('filters', () => {
  it('furigana, kana, kanji', () => {
    const t = 'test first[second] third[fourth]';
    expect(kanaFilter(t)).toBe('testsecondfourth');
    expect(kanjiFilter(t)).toBe('testfirstthird');
    expect(furiganaFilter('first[second]')).toBe('<ruby><rb>first</rb><rt>second</rt></ruby>');
    expect(furiganaFilter('世[よ]の 中[なか]')).toBe('<ruby><rb>世</rb><rt>よ</rt></ruby>の<ruby><rb>中</rb><rt>なか</rt></ruby>');
    expect(kanaFilter('世[よ]の 中[なか]')).toBe('よのなか');
    expect(kanjiFilter('世[よ]の&nbsp;中[なか]')).toBe('世の中');
    expect(furiganaFilter('a [sound:x.mp3]')).toBe('a [sound:x.mp3]');
  });

  it('hint', () => {
    expect(hintFilter('foo', 'field')).toBe(`
<a class=hint href="#"
onclick="this.style.display='none';
document.getElementById('hint83fe48607f0f3a66').style.display='block';
return false;" draggable=false>
field</a>
<div id="hint83fe48607f0f3a66" class=hint style="display: none">foo</div>
`);
    expect(hintFilter(' \n', 'field')).toBe(' \n');
  });

  it('type and tts', () => {
    const ctx = ctxFor({}, { frontSide: '', cardOrd: 0 });
    expect(applyFilters('ignored', ['cloze', 'type'], 'Text', ctx)).toEqual({ text: '[[type:cloze:Text]]', remaining: [] });
    expect(applyFilters('ignored', ['nc', 'type'], 'Text', ctx)).toEqual({ text: '[[type:nc:Text]]', remaining: [] });
    expect(applyFilters('ignored', ['some', 'unknown', 'type'], 'Text', ctx)).toEqual({ text: '[[type:Text]]', remaining: [] });
    expect(applyFilters('x', ['type'], 'Back', ctx)).toEqual({ text: '[[type:Back]]', remaining: [] });
    expect(ttsFilter('en_US voices=Bob,Jane', 'foo')).toBe('[anki:tts lang=en_US voices=Bob,Jane]foo[/anki:tts]');
  });

  it('cloze filter sides', () => {
    const text = '{{c1::one}} {{c2::two::hint}}';
    const ctx = ctxFor({}, { cardOrd: 0, frontSide: null });
    const run = (c: RenderContext) => applyFilters(text, ['cloze'], 'Text', c).text;
    expect(stripHtml(run(ctx))).toBe('[...] two');
    expect(run(ctx)).toBe(
      '<span class="cloze" data-cloze="one" data-ordinal="1">[...]</span> <span class="cloze-inactive" data-ordinal="2">two</span>',
    );
    expect(stripHtml(run({ ...ctx, cardOrd: 1 }))).toBe('one [hint]');
    expect(stripHtml(run({ ...ctx, cardOrd: 1, frontSide: '' }))).toBe('one two');
    expect(run({ ...ctx, cardOrd: 2 })).toBe('');
  });
});
