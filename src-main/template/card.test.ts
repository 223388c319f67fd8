import { describe, expect, it } from 'vitest';

import type { Notetype } from '../notetypes/notetype';
import { stockNotetype } from '../notetypes/stock';
import { CardRequirementKind } from '../storage/proto/messages';
import { stripHtml } from '../text/html';
import {
  answerWithStyle,
  browserColumnTexts,
  cardTextForExport,
  prepareCardTextForDisplay,
  questionWithStyle,
  type RenderCardInput,
  renderCard,
  renderCardRaw,
} from './card';
import { cardOrdinalsToGenerate, computeRequirements, emptyCardOrds } from './cardgen';
import { englishStrings, withoutUnicodeIsolation } from './messages';

const plain = englishStrings({ isolate: false });

function withTemplates(nt: Notetype, templates: [string, string][]): Notetype {
  const copy = structuredClone(nt);
  copy.templates = templates.map(([q, a], ord) => ({
    ...structuredClone(nt.templates[0]),
    ord,
    name: `Card ${ord + 1}`,
    config: { ...nt.templates[0].config, qFormat: q, aFormat: a },
  }));
  return copy;
}

function withFields(nt: Notetype, names: string[]): Notetype {
  const copy = structuredClone(nt);
  copy.fields = names.map((name, ord) => ({ ...structuredClone(nt.fields[0]), ord, name }));
  return copy;
}

const basic = stockNotetype('basic');
const cloze = stockNotetype('cloze');
const render = (input: Partial<RenderCardInput> & Pick<RenderCardInput, 'fields'>) =>
  renderCard({ notetype: basic, cardOrd: 0, strings: plain, ...input });

describe('spec examples (§9)', () => {
  it('1. basic', () => {
    const r = render({ fields: ['<b>dog</b>', 'Hund'] });
    expect(r.question).toBe('<b>dog</b>');
    expect(r.answer).toBe('<b>dog</b>\n\n<hr id=answer>\n\nHund');
    expect(r.isEmpty).toBe(false);
    expect(questionWithStyle(r)).toBe(`<style>${basic.config.css}</style><b>dog</b>`);
    expect(answerWithStyle(r)).toBe(`<style>${basic.config.css}</style><b>dog</b>\n\n<hr id=answer>\n\nHund`);
  });

  it('2-4. text filter and conditionals', () => {
    const nt = withFields(withTemplates(basic, [['{{text:Front}}', '{{Front}}{{#Extra}}<br>{{Extra}}{{/Extra}}']]), ['Front', 'Extra']);
    expect(renderCard({ notetype: nt, cardOrd: 0, fields: ['<b>dog</b> &amp; cat', ''] }).question).toBe('dog & cat');
    expect(renderCard({ notetype: nt, cardOrd: 0, fields: ['dog', '<div><br></div>'] }).answer).toBe('dog');
    expect(renderCard({ notetype: nt, cardOrd: 0, fields: ['dog', '&nbsp;'] }).answer).toBe('dog<br>&nbsp;');
    const neg = withFields(withTemplates(basic, [['{{Front}}{{^Extra}}(no extra){{/Extra}}', '{{#Missing}}x{{/Missing}}']]), ['Front', 'Extra']);
    expect(renderCard({ notetype: neg, cardOrd: 0, fields: ['a', ''], strings: plain }).question).toBe(
      "Back template has a problem:<br>Found &#x27;{{#Missing}}&#x27;, but there is no field called &#x27;Missing&#x27;<br><a href='https://docs.ankiweb.net/templates/errors.html#template-syntax-error'>More information</a>",
    );
    const ok = withFields(withTemplates(basic, [['{{Front}}{{^Extra}}(no extra){{/Extra}}', '']]), ['Front', 'Extra']);
    expect(renderCard({ notetype: ok, cardOrd: 0, fields: ['a', ''] }).question).toBe('a(no extra)');
  });

  it('5-6. cloze cards', () => {
    const fields = ['{{c1::Canberra::city}} is the capital of {{c2::Australia}}.', ''];
    const c1 = renderCard({ notetype: cloze, cardOrd: 0, fields });
    expect(c1.question).toBe(
      '<span class="cloze" data-cloze="Canberra" data-ordinal="1">[city]</span> is the capital of <span class="cloze-inactive" data-ordinal="2">Australia</span>.',
    );
    expect(c1.answer).toBe(
      '<span class="cloze" data-ordinal="1">Canberra</span> is the capital of <span class="cloze-inactive" data-ordinal="2">Australia</span>.<br>\n',
    );
    const c2 = renderCard({ notetype: cloze, cardOrd: 1, fields });
    expect(c2.question).toBe(
      '<span class="cloze-inactive" data-ordinal="1">Canberra</span> is the capital of <span class="cloze" data-cloze="Australia" data-ordinal="2">[...]</span>.',
    );
    const c3 = renderCard({ notetype: cloze, cardOrd: 2, fields, strings: plain });
    expect(c3.isEmpty).toBe(true);
    expect(c3.answer).toBe(
      "<div>No cloze 3 found on card.\nPlease either add a cloze deletion, or use the Empty Cards tool.<br><a href='https://docs.ankiweb.net/templates/errors.html#no-cloze-filter-on-cloze-note-type'>More information</a></div>",
    );
    expect(c3.question).toBe(c3.answer); // the cloze filter rendered '' before the message
    expect(renderCard({ notetype: cloze, cardOrd: 2, fields }).answer).toContain('No cloze \u20683\u2069 found on card.');
  });

  it('8. multi-ordinal', () => {
    const fields = ['{{c1,2::shared}} and {{c1::first}} vs {{c2::second}}', ''];
    const q = renderCard({ notetype: cloze, cardOrd: 0, fields }).question;
    expect(stripHtml(q)).toBe('[...] and [...] vs second');
    expect(q).toContain('data-ordinal="1,2"');
  });

  it('9. cloze-only and tts', () => {
    const nt = withTemplates(cloze, [['{{cloze-only:Text}}', '{{cloze-only:Text}}|{{tts en_US:cloze-only:Text}}']]);
    const r = renderCard({ notetype: nt, cardOrd: 0, fields: ['{{c1::foo}} {{c1::bar}}', ''] });
    expect(r.question).toBe('..., ...');
    expect(r.answer).toBe('foo, bar|[anki:play:a:0]');
    expect(r.answerAvTags).toEqual([{ type: 'tts', fieldText: 'foo, bar', lang: 'en_US', voices: [], speed: 1, otherArgs: [] }]);
  });

  it('10. furigana', () => {
    const nt = withFields(withTemplates(basic, [['{{furigana:R}}|{{kana:R}}|{{kanji:R}}', '']]), ['R']);
    expect(renderCard({ notetype: nt, cardOrd: 0, fields: ['世[よ]の 中[なか]'] }).question).toBe(
      '<ruby><rb>世</rb><rt>よ</rt></ruby>の<ruby><rb>中</rb><rt>なか</rt></ruby>|よのなか|世の中',
    );
  });

  it('11. audio and FrontSide', () => {
    const nt = withFields(withTemplates(basic, [['{{Front}}{{Audio}}', '{{FrontSide}}<hr id=answer>{{Back}}[sound:b.mp3]']]), ['Front', 'Back', 'Audio']);
    const r = renderCard({ notetype: nt, cardOrd: 0, fields: ['dog', 'Hund', '[sound:dog.mp3]'] });
    expect(r.question).toBe('dog[anki:play:q:0]');
    expect(r.questionAvTags).toEqual([{ type: 'soundOrVideo', filename: 'dog.mp3' }]);
    expect(r.answer).toBe('dog[anki:play:q:0]<hr id=answer>Hund[anki:play:a:0]');
    expect(r.answerAvTags).toEqual([{ type: 'soundOrVideo', filename: 'b.mp3' }]);
    // the Rust backend's full render uses the question before extraction
    const full = renderCard({ notetype: nt, cardOrd: 0, fields: ['dog', 'Hund', '[sound:dog.mp3]'], mode: 'full' });
    expect(full.answer).toBe('dog[anki:play:a:0]<hr id=answer>Hund[anki:play:a:1]');
  });

  it('12. hint', () => {
    const nt = withFields(withTemplates(basic, [['{{hint:Notes}}', '']]), ['Notes']);
    const q = renderCard({ notetype: nt, cardOrd: 0, fields: ['foo'] }).question;
    expect(q).toContain(`document.getElementById('hint`);
    expect(q).toContain('\nNotes</a>\n');
  });

  it('13. errors show on both sides, without CSS', () => {
    const nt = withTemplates(basic, [['{{Front}} {{/Back}}', '{{Back}}']]);
    const r = renderCard({ notetype: nt, cardOrd: 0, fields: ['a', 'b'] });
    expect(r.templateError).toBe(true);
    expect(r.css).toBe('');
    expect(r.question).toBe(r.answer);
    expect(withoutUnicodeIsolation(r.question)).toBe(
      "Front template has a problem:<br>Found &#x27;{{/Back}}&#x27;, but missing &#x27;{{#Back}}&#x27; or &#x27;{{^Back}}&#x27;<br><a href='https://docs.ankiweb.net/templates/errors.html#template-syntax-error'>More information</a>",
    );
    expect(questionWithStyle(r)).toBe(`<style></style>${r.question}`);
  });

  it('14. special fields', () => {
    const nt = withTemplates(basic, [['{{CardFlag}}|{{Subdeck}}|{{Deck}}|{{Tags}}|{{Type}}|{{Card}}|{{CardID}}|{{#c1}}one{{/c1}}{{#c2}}two{{/c2}}', '']]);
    const r = renderCard({ notetype: nt, cardOrd: 0, fields: ['a', 'b'], deckName: 'Lang::DE::Verbs', tags: ['vocab', 'lang::de'], cardId: 123 });
    expect(r.question).toBe('flag0|Verbs|Lang::DE::Verbs|vocab lang::de|Basic|Card 1|123|one');
    expect(renderCard({ notetype: nt, cardOrd: 0, fields: ['a', 'b'], flags: 0b1011 }).question.startsWith('flag3|')).toBe(true);
    // a note field with a special name wins
    const clash = withFields(nt, ['Front', 'Deck']);
    expect(renderCard({ notetype: clash, cardOrd: 0, fields: ['a', 'mine'], deckName: 'X' }).question.split('|')[2]).toBe('mine');
  });

  it('empty front', () => {
    const nt = withFields(withTemplates(basic, [['Where is {{Country}}?', '{{Country}}']]), ['Country']);
    const r = renderCard({ notetype: nt, cardOrd: 0, fields: [''], strings: plain });
    expect(r.isEmpty).toBe(true);
    const div = "<div>The front of this card is blank.<br><a href='https://docs.ankiweb.net/templates/errors.html#front-of-card-is-blank'>More information</a></div>";
    expect(r.question).toBe(`Where is ?${div}`);
    expect(r.answer).toBe(div);
    // not in the browser
    expect(renderCard({ notetype: nt, cardOrd: 0, fields: [''], browser: true }).question).toBe('Where is ?');
  });

  it('browser templates', () => {
    const nt = structuredClone(basic);
    nt.templates[0].config.qFormatBrowser = 'B:{{Front}}';
    expect(renderCard({ notetype: nt, cardOrd: 0, fields: ['x', 'y'], browser: true }).question).toBe('B:x');
    // FrontSide on the answer is the browser question
    expect(renderCard({ notetype: nt, cardOrd: 0, fields: ['x', 'y'], browser: true }).answer).toBe('B:x\n\n<hr id=answer>\n\ny');
  });

  it('unknown filters: desktop vs full', () => {
    const nt = withTemplates(basic, [['{{text:myfilter:Front}}{{other:}}', '']]);
    const fields = ['<b>x</b>', ''];
    expect(renderCard({ notetype: nt, cardOrd: 0, fields }).question).toBe('<b>x</b>');
    expect(renderCard({ notetype: nt, cardOrd: 0, fields, mode: 'full' }).question).toBe('x');
    const custom = renderCard({
      notetype: nt,
      cardOrd: 0,
      fields,
      customFilter: (text, field, filter) => (filter === 'myfilter' ? text.toUpperCase() : filter === 'other' ? `[${field}]` : text),
    });
    expect(custom.question).toBe('<B>X</B>[]');
  });

  it('LaTeX becomes images (not in the browser)', () => {
    const r = render({ fields: ['[$]x^2[/$]', ''] });
    expect(r.question).toMatch(/^<img class=latex alt="&#x24;x&#x5E;2&#x24;" src="latex-[0-9a-f]{40}\.png">$/);
    expect(r.latex).toHaveLength(1);
    expect(render({ fields: ['[$]x^2[/$]', ''], browser: true }).question).toBe('[$]x^2[/$]');
    const errs = render({ fields: ['[$]y[/$]', ''], latexErrors: () => ['no latex'] });
    expect(errs.question.endsWith('>no latex')).toBe(true);
  });
});

describe('card generation', () => {
  it('normal notetypes', () => {
    expect(cardOrdinalsToGenerate(basic, ['Hello World', ''])).toEqual([0]);
    expect(cardOrdinalsToGenerate(basic, ['', 'back'])).toEqual([]);
    expect(cardOrdinalsToGenerate(basic, ['', 'back'], { ensureNotEmpty: true })).toEqual([0]);
    expect(cardOrdinalsToGenerate(basic, ['', 'back'], { ensureNotEmpty: true, existingOrds: [0] })).toEqual([]);
    const rev = stockNotetype('basicAndReversed');
    expect(cardOrdinalsToGenerate(rev, ['Cat', 'Neko'])).toEqual([0, 1]);
    expect(cardOrdinalsToGenerate(rev, ['Cat', 'Neko'], { existingOrds: [0] })).toEqual([1]);
    const opt = stockNotetype('basicOptionalReversed');
    expect(cardOrdinalsToGenerate(opt, ['a', 'b', ''])).toEqual([0]);
    expect(cardOrdinalsToGenerate(opt, ['a', 'b', 'y'])).toEqual([0, 1]);
    expect(cardOrdinalsToGenerate(opt, ['a', '', 'y'])).toEqual([0]);
  });

  it('special fields count since 26.08 (Tags only with tags, never FrontSide)', () => {
    const tags = withTemplates(basic, [['{{#Tags}}{{Front}}{{/Tags}}', '']]);
    expect(cardOrdinalsToGenerate(tags, ['Hello', ''], { tags: ['vocab', 'english'] })).toEqual([0]);
    expect(cardOrdinalsToGenerate(tags, ['Hello', ''])).toEqual([]);
    expect(cardOrdinalsToGenerate(tags, ['Hello', ''], { ensureNotEmpty: true })).toEqual([0]);
    const front = withTemplates(basic, [['{{#FrontSide}}{{Front}}{{/FrontSide}}', '']]);
    expect(cardOrdinalsToGenerate(front, ['Hello', ''])).toEqual([]);
    const deck = withTemplates(basic, [['{{Deck}}', '']]);
    expect(cardOrdinalsToGenerate(deck, ['', ''])).toEqual([0]);
    const clash = withFields(withTemplates(basic, [['{{#Deck}}{{Front}}{{/Deck}}', '']]), ['Front', 'Deck']);
    expect(cardOrdinalsToGenerate(clash, ['Hello', ''])).toEqual([]);
    expect(cardOrdinalsToGenerate(clash, ['Hello', 'Custom deck'])).toEqual([0]);
  });

  it('broken templates never generate', () => {
    const nt = withTemplates(basic, [['{{#Front}}', ''], ['{{Front}}', '']]);
    expect(cardOrdinalsToGenerate(nt, ['x', ''])).toEqual([1]);
  });

  it('cloze notetypes', () => {
    expect(cardOrdinalsToGenerate(cloze, ['Hello {{c1::World}}', ''])).toEqual([0]);
    expect(cardOrdinalsToGenerate(cloze, ['{{c1::Rome}} is in {{c2::Italy}}', ''])).toEqual([0, 1]);
    expect(cardOrdinalsToGenerate(cloze, ['{{c1,3::x}} {{c0::y}}', '{{c7::in another field}}'])).toEqual([0, 2, 6]);
    expect(cardOrdinalsToGenerate(cloze, ['{{c600::x}}', ''])).toEqual([499]);
    expect(cardOrdinalsToGenerate(cloze, ['no clozes', ''])).toEqual([]);
    expect(cardOrdinalsToGenerate(cloze, ['no clozes', ''], { ensureNotEmpty: true })).toEqual([0]);
    expect(cardOrdinalsToGenerate(cloze, ['foo {{c1::bar', ''])).toEqual([]);
  });

  it('empty cards', () => {
    expect(emptyCardOrds(stockNotetype('basicOptionalReversed'), ['a', 'b', ''], [0, 1])).toEqual([1]);
    expect(emptyCardOrds(cloze, ['{{c2::x}}', ''], [0, 1])).toEqual([0]);
  });

  it('legacy requirements', () => {
    expect(computeRequirements(basic)).toEqual([{ cardOrd: 0, kind: CardRequirementKind.Any, fieldOrds: [0] }]);
    expect(computeRequirements(stockNotetype('basicOptionalReversed'))).toEqual([
      { cardOrd: 0, kind: CardRequirementKind.Any, fieldOrds: [0] },
      { cardOrd: 1, kind: CardRequirementKind.All, fieldOrds: [1, 2] },
    ]);
    expect(computeRequirements(cloze)).toEqual([{ cardOrd: 0, kind: CardRequirementKind.Any, fieldOrds: [0] }]);
    expect(computeRequirements(withTemplates(basic, [['{{#Front}}', '']]))).toEqual([{ cardOrd: 0, kind: CardRequirementKind.None, fieldOrds: [] }]);
  });
});

describe('other consumers', () => {
  it('browser columns', () => {
    const nt = withFields(withTemplates(basic, [['{{Front}}{{Audio}}', '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}']]), ['Front', 'Back', 'Audio']);
    expect(browserColumnTexts({ notetype: nt, cardOrd: 0, fields: ['<b>dog</b>', 'Hund<br>Hündin', '[sound:d.mp3]'] })).toEqual({
      question: 'dog🔉d.mp3🔉',
      answer: 'Hund Hündin',
    });
    const broken = withTemplates(basic, [['{{Nope}}', '']]);
    expect(browserColumnTexts({ notetype: broken, cardOrd: 0, fields: ['a', 'b'], strings: plain }).question).toBe(
      "Browser-specific front template has a problem: Found '{{Nope}}', but there is no field called 'Nope' More information",
    );
  });

  it('CSV export text', () => {
    const raw = renderCardRaw({ notetype: stockNotetype('basicTyping'), cardOrd: 0, fields: ['<i>q</i>', 'a'] });
    expect(raw.answer).toBe('<i>q</i>\n\n<hr id=answer>\n\n[[type:Back]]');
    expect(cardTextForExport(raw.question, true, false)).toBe('<i>q</i>\n\n');
    expect(cardTextForExport(raw.answer, true, true)).toBe('');
    expect(cardTextForExport('<style>x</style>a<hr id=answer>b<hr id=answer>\n\n<b>c</b>', false, true)).toBe('c');
  });

  it('display preparation', () => {
    expect(prepareCardTextForDisplay('<img src="a b.jpg">[anki:play:q:0]', { hidePlayButtons: true })).toBe('<img src="a%20b.jpg">');
    expect(prepareCardTextForDisplay('[anki:play:q:0]')).toContain(`onclick="pycmd('play:q:0'); return false;"`);
  });
});
