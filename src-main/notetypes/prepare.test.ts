import { describe, expect, it } from 'vitest';
import { DeckhandError } from '../collection/errors';
import { CardRequirementKind } from '../storage/proto/messages';
import { fixFieldName, fixNotetypeName, fixTemplateName, prepareNotetypeForSave } from './prepare';
import { newField, newTemplate, STOCK_ORDER, stockNotetype } from './stock';

describe('name rules', () => {
  it('field names: Anki fields.rs `name` test and friends', () => {
    expect(fixFieldName('  # /^ t:e{s"t} field name #/^  ')).toBe('test field name #/^');
    expect(fixFieldName('\u3000Wort\u00a0')).toBe('Wort');
    expect(() => fixFieldName('')).toThrow(DeckhandError);
    expect(() => fixFieldName('#/^')).toThrow(/Field name/);
  });
  it('template and notetype names lose quotes and must not end up empty', () => {
    expect(fixTemplateName('"Karte" 1')).toBe('Karte 1');
    expect(() => fixTemplateName('""')).toThrow(/only quotes/);
    expect(fixNotetypeName('My "Type"')).toBe('My Type');
    expect(() => fixNotetypeName('"')).toThrow(/Empty notetype name/);
  });
});

describe('prepareNotetypeForSave', () => {
  it('computes Anki’s reqs for the stock notetypes', () => {
    const reqs = Object.fromEntries(STOCK_ORDER.map((k) => [k, prepareNotetypeForSave(stockNotetype(k)).config.reqs.map((r) => [r.kind, r.fieldOrds])]));
    expect(reqs.basic).toEqual([[CardRequirementKind.Any, [0]]]);
    expect(reqs.basicAndReversed).toEqual([
      [CardRequirementKind.Any, [0]],
      [CardRequirementKind.Any, [1]],
    ]);
    expect(reqs.basicOptionalReversed[1]).toEqual([CardRequirementKind.All, [1, 2]]);
    expect(reqs.basicTyping).toEqual([[CardRequirementKind.Any, [0, 1]]]);
  });

  it('makes names unique ignoring case by appending +, templates and fields separately', () => {
    const nt = stockNotetype('basic');
    nt.fields.push(newField('front'), newField('FRONT'), newField('Card 1'));
    nt.templates.push(newTemplate('card 1', '{{Back}}', ''));
    prepareNotetypeForSave(nt);
    expect(nt.fields.map((f) => f.name)).toEqual(['Front', 'Back', 'front+', 'FRONT++', 'Card 1']);
    expect(nt.templates.map((t) => t.name)).toEqual(['Card 1', 'card 1+']);
    expect(nt.fields.map((f) => f.ord)).toEqual([0, 1, 2, 3, 4]);
  });

  it('clamps the sort field, keeps cloze notetypes at one template, needs a field and a template', () => {
    const nt = stockNotetype('basic');
    nt.config.sortFieldIdx = 7;
    expect(prepareNotetypeForSave(nt).config.sortFieldIdx).toBe(1);
    const cz = stockNotetype('cloze');
    cz.templates.push(newTemplate('Second', '{{cloze:Text}}x', '{{cloze:Text}}'));
    expect(() => prepareNotetypeForSave(cz)).toThrow(/exactly one card type/);
    const empty = stockNotetype('basic');
    empty.fields = [];
    expect(() => prepareNotetypeForSave(empty)).toThrow(/1 field required/);
  });

  it('follows a moved sort field and rewrites templates for renamed/removed fields', () => {
    const original = prepareNotetypeForSave(stockNotetype('basicAndReversed'));
    const nt = structuredClone(original);
    nt.config.sortFieldIdx = 1; // "Back" in the original numbering
    nt.fields = [nt.fields[1]];
    nt.fields[0].name = 'Antwort';
    // both fronts end up as {{Antwort}}: Anki refuses to save that, and so do we
    expect(() => prepareNotetypeForSave(structuredClone(nt), { original, origins: { fields: [1], templates: [0, 1] } })).toThrow(/identical to card template 1/);
    prepareNotetypeForSave(nt, { original, origins: { fields: [1], templates: [0, 1] }, skipChecks: true });
    expect(nt.config.sortFieldIdx).toBe(0);
    expect(nt.templates.map((t) => t.config.qFormat)).toEqual(['{{Antwort}}', '{{Antwort}}']);
    expect(nt.templates[1].config.aFormat).toBe('{{FrontSide}}\n\n<hr id=answer>\n\n');
  });
});
