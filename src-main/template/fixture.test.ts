// Rendering and card generation against the templates of a real AnkiDroid test deck
// (shared/fixtures/anki/real/anki2-legacy1-apkg_ankidroid-templates.apkg). Expected values are
// derived from Anki 26.x rules (several templates are invalid for modern Anki on purpose).

import { existsSync, readFileSync } from 'node:fs';

import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

import type { Notetype } from '../notetypes/notetype';
import { defaultFieldConfig, defaultNotetypeConfig, defaultTemplateConfig } from '../storage/proto/codecs';
import { NotetypeKind } from '../storage/proto/messages';
import { stripHtml } from '../text/html';
import { renderCard } from './card';
import { cardOrdinalsToGenerate } from './cardgen';
import { englishStrings } from './messages';
import { typeAnswerQuestionFilter } from './typeanswer';

const APKG = '/work/shared/fixtures/anki/real/anki2-legacy1-apkg_ankidroid-templates.apkg';
const strings = englishStrings({ isolate: false });

interface LegacyModel {
  name: string;
  type: number;
  css: string;
  flds: { name: string; ord: number; font: string; size: number }[];
  tmpls: { name: string; ord: number; qfmt: string; afmt: string; bqfmt?: string; bafmt?: string }[];
}

function load() {
  const files = unzipSync(readFileSync(APKG));
  const db = new Database(Buffer.from(files['collection.anki2']));
  const models = JSON.parse((db.prepare('select models from col').get() as { models: string }).models) as Record<string, LegacyModel>;
  const notes = db.prepare('select id, mid, flds, tags from notes').all() as { id: number; mid: number; flds: string; tags: string }[];
  db.close();
  const notetypes = new Map<number, Notetype>();
  for (const [id, m] of Object.entries(models)) {
    notetypes.set(Number(id), {
      id: Number(id),
      name: m.name,
      mtimeSecs: 0,
      usn: 0,
      config: { ...defaultNotetypeConfig(), kind: m.type === 1 ? NotetypeKind.Cloze : NotetypeKind.Normal, css: m.css },
      fields: m.flds.map((f) => ({ ord: f.ord, name: f.name, config: { ...defaultFieldConfig(), fontName: f.font, fontSize: f.size } })),
      templates: m.tmpls.map((t) => ({
        ord: t.ord,
        name: t.name,
        mtimeSecs: 0,
        usn: 0,
        config: { ...defaultTemplateConfig(), qFormat: t.qfmt, aFormat: t.afmt, qFormatBrowser: t.bqfmt ?? '', aFormatBrowser: t.bafmt ?? '' },
      })),
    });
  }
  const byId = new Map(notes.map((n) => [n.id, { ...n, fields: n.flds.split('\x1f'), tagList: n.tags.trim().split(/\s+/).filter(Boolean) }]));
  return { notetypes, notes: byId };
}

describe.skipIf(!existsSync(APKG))('AnkiDroid template fixture', () => {
  const { notetypes, notes } = existsSync(APKG) ? load() : ({ notetypes: new Map(), notes: new Map() } as ReturnType<typeof load>);
  const card = (nid: number, cardOrd: number, deckName = 'Default') => {
    const note = notes.get(nid)!;
    return renderCard({ notetype: notetypes.get(note.mid)!, fields: note.fields, cardOrd, deckName, tags: note.tagList, strings });
  };
  const more = "<br><a href='https://docs.ankiweb.net/templates/errors.html#template-syntax-error'>More information</a>";

  it('a delimiter change not at the very start is a (missing) field', () => {
    const r = card(1423396094149, 0);
    expect(r.templateError).toBe(true);
    expect(r.question).toBe(
      `Front template has a problem:<br>Found &#x27;{{=&lt;% %&gt;=}}&#x27;, but there is no field called &#x27;=&lt;% %&gt;=&#x27;${more}`,
    );
  });

  it('special fields, hint, typing and a {{!comment}} handle', () => {
    const hint = card(1426025165168, 0);
    expect(hint.question.startsWith('Hint card\n<br>\n\n<a class=hint href="#"\n')).toBe(true);
    expect(hint.question).toContain("There should be hidden text here:&nbsp;{{hidebecausei'minvalid:I am the hidden text!}}</div>");
    const typing = card(1426025165168, 1);
    expect(typing.question).toContain('<br>\n[[type:Front]]');
    const special = card(1426025165168, 2);
    expect(special.question).toBe(
      `Front template has a problem:<br>Found &#x27;{{!Just a comment, I won&#x27;t appear anywhere!}}&#x27;, but there is no field called &#x27;!Just a comment, I won&#x27;t appear anywhere!&#x27;${more}`,
    );
  });

  it('nested clozes with furigana', () => {
    const r = card(1420636422544, 0);
    expect(r.question).toContain(
      'This is a kanji within a cloze: <span class="cloze" data-cloze="子" data-ordinal="1">[...]</span><br/>\n',
    );
    expect(r.question).toContain('This is a kanji with furigana: <ruby><rb>子</rb><rt>し</rt></ruby><br/>\n');
    // furigana runs first and swallows the cloze opening into the ruby base
    expect(r.question).toContain(
      'with furigana: <ruby><rb><span class="cloze" data-cloze="子&lt;&#x2F;rb&gt;&lt;rt&gt;し&lt;&#x2F;rt&gt;&lt;&#x2F;ruby&gt;" data-ordinal="1">[...]</span><br/>',
    );
    expect(r.question).toContain(
      'multiple lines: <span class="cloze" data-cloze="&lt;div&gt;I&#x20;am&#x20;a&#x20;cloze&#x20;deletion&lt;div&gt;that&#x20;contains&lt;&#x2F;div&gt;&lt;div&gt;many&#x20;lines" data-ordinal="1">[...]</span></div></div><br/>',
    );
    expect(r.answer).toContain('</cloze> <!--Template hack to fix broken anki parsing. Should report this bug-->\n');
    // the fixture has a card 2 without any c2: Anki shows the missing-cloze message
    const c2 = card(1420636422544, 1);
    expect(c2.isEmpty).toBe(true);
    expect(c2.answer).toContain('No cloze 2 found on card.');
  });

  it('filter order with clozes, type:cloze: and legacy <% %> left as text', () => {
    const r = card(1421482205229, 0);
    expect(r.question).toBe(
      'Cloze plaintext order 1: <span class="cloze" data-cloze="Here&#x20;is&#x20;some&#x20;html" data-ordinal="1">[...]</span> <br/>\n' +
        'Cloze plaintext order 2: [...]\n\n<p>---</p>\nCloze typing field: [[type:cloze:FuriCloze]]<br/>\n<p>---</p>\n\nCloze with % tags: <%cloze:FuriCloze%>',
    );
    const nt = notetypes.get(1421482126639)!;
    const note = notes.get(1421482205229)!;
    const fields = nt.fields.map((f) => ({ name: f.name, value: note.fields[f.ord], fontName: f.config.fontName, fontSize: f.config.fontSize }));
    expect(typeAnswerQuestionFilter(r.question, { fields, cardOrd: 0, strings }).html).toContain('Cloze typing field: Please run Tools>Empty Cards<br/>');
    const c2 = card(1421482205229, 1);
    expect(typeAnswerQuestionFilter(c2.question, { fields, cardOrd: 1, strings }).state.correct).toBe('long');
    expect(stripHtml(c2.answer)).toContain('Cloze plaintext order 2: \n');
  });

  it('multi-field clozes and cN conditionals', () => {
    const r = card(1425805242981, 2);
    expect(r.question).toBe('<h2>\n\n\nText<span class="cloze" data-cloze="t3" data-ordinal="3">[...]</span>\n\n\n\n</h2>\n\n');
    expect(r.answer).toBe('\n\n\nText<span class="cloze" data-ordinal="3">t3</span><br>\n\n<span class="ipa">/i3/</span>\n\n\n\n\n\n');
    expect(cardOrdinalsToGenerate(notetypes.get(1425478825912)!, notes.get(1425805242981)!.fields)).toEqual([0, 2, 4]);
    expect(cardOrdinalsToGenerate(notetypes.get(1425478825912)!, notes.get(1425479167843)!.fields)).toEqual([0, 1, 2, 3, 4, 5]);
    const empty = card(1425479167843, 0);
    expect(empty.question.endsWith('</h2>\n\n\nThe field was empty!\n')).toBe(true);
  });

  it('badly nested conditionals are errors; generation skips them', () => {
    const muscle = notetypes.get(1370745371343)!;
    expect(card(1370745757161, 1).question).toBe(
      `Front template has a problem:<br>Found &#x27;{{/z}}&#x27;, but expected &#x27;{{/Picture}}&#x27;${more}`,
    );
    expect(card(1370745757161, 2).question).toBe(
      `Front template has a problem:<br>Found &#x27;{{/Origin}}&#x27;, but expected &#x27;{{/Name}}&#x27;${more}`,
    );
    expect(cardOrdinalsToGenerate(muscle, notes.get(1370745757161)!.fields)).toEqual([0, 3, 4, 5]);
    const q = card(1370745757161, 0, '1-TEMPLATES::Anatomy');
    expect(q.question).toBe('Which movements result from the contraction of Coracobrachialis? <br>\n');
    expect(q.answer).toBe('Coracobrachialis\n\n<hr id=answer>\n\nAdduction at shoulder<div>Flexion at shoulder</div>');
  });

  it('AV tags inside HTML and {{FrontSide }}', () => {
    const r = card(1426653874780, 0);
    expect(r.question).toContain('<tts service="google" voice="de"> [anki:play:q:0]</tts>');
    expect(r.questionAvTags).toEqual([{ type: 'soundOrVideo', filename: 'google-6ffe8982-57032693-81531bd7-8d48c981-4be885f8.mp3' }]);
    expect(r.answer.startsWith(`${r.question} \n<table>`)).toBe(true);
    expect(r.answer).toContain('<tts service="google" voice="th"> [anki:play:a:0]</tts>');
    expect(r.answerAvTags).toEqual([{ type: 'soundOrVideo', filename: 'google-e048ee6b-1c4191eb-579ea99b-d62e5e77-0e5662f9.mp3' }]);
    expect(r.question).toContain('[[type:Thai]]');
  });

  it('every card of the fixture renders without throwing', () => {
    let count = 0;
    for (const note of notes.values()) {
      const nt = notetypes.get(note.mid)!;
      const ords = nt.config.kind === NotetypeKind.Cloze ? [0, 1, 2, 3, 4, 5] : nt.templates.map((t) => t.ord);
      for (const ord of ords) {
        const r = renderCard({ notetype: nt, fields: note.fields, cardOrd: ord, tags: note.tagList });
        expect(typeof r.question).toBe('string');
        count++;
      }
    }
    expect(count).toBeGreaterThan(100);
  });
});
