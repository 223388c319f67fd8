import { describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { DeckhandError } from '../collection/errors';
import { freshCollectionsPerTest } from '../collection/test-support/fresh';
import { randomPosition } from '../cards/new-cards';
import { addNote } from '../notes/notes-service';
import { GraveKind } from '../storage/misc-stores';
import { NotetypeKind, OriginalStockKind } from '../storage/proto/messages';
import {
  addField,
  addStockNotetype,
  addTemplate,
  cloneNotetype,
  createNotetype,
  currentNotetypeId,
  fieldDescriptions,
  fieldFonts,
  fieldNames,
  getNotetype,
  getNotetypeByName,
  listNotetypes,
  notetypeCss,
  notetypeUseCounts,
  removeField,
  removeNotetype,
  removeTemplate,
  renameField,
  renameNotetype,
  renameTemplate,
  repositionField,
  repositionTemplate,
  setCurrentNotetype,
  setNotetypeCss,
  setSortField,
  templateFormats,
  templateOrdChanges,
  updateFieldConfig,
  updateNotetype,
  updateTemplate,
} from './notetypes-service';

/** Every collection a test wrote must pass the strict checker once closed. */
const fresh = freshCollectionsPerTest({ prefix: 'deckhand-nt-', checkAfterEach: true });

const stock = (col: Collection, k: OriginalStockKind) => col.storage.notetypes.all().find((n) => n.config.originalStockKind === k)!.id;
const scm = (col: Collection) => col.storage.col.get().scm;
const cards = (col: Collection, nid: number) => col.storage.cards.ofNote(nid);
const fields = (col: Collection, nid: number) => col.storage.notes.get(nid)!.fields;
const sfld = (col: Collection, nid: number) => String(col.storage.notes.getRow(nid)!.sfld);
/** Makes the next operation's `scm` observably different. */
const tick = () => new Promise((r) => setTimeout(r, 5));

function expectError(fn: () => unknown, re: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DeckhandError);
  expect((err as Error).message).toMatch(re);
}

describe('reading', () => {
  it('lists notetypes in id order, use counts by name, finds by name ignoring case', () => {
    const { col } = fresh();
    const list = listNotetypes(col);
    expect(list.map((n) => n.name)).toEqual(['Basic', 'Basic (and reversed card)', 'Basic (optional reversed card)', 'Basic (type in the answer)', 'Cloze', 'Image Occlusion']);
    expect(list.map((n) => n.id)).toEqual([...list.map((n) => n.id)].sort((a, b) => a - b));
    const basic = stock(col, OriginalStockKind.Basic);
    addNote(col, { notetypeId: basic, deckId: 1, fields: ['a', 'b'] });
    const counts = notetypeUseCounts(col);
    expect(counts.find((c) => c.id === basic)?.useCount).toBe(1);
    expect(getNotetypeByName(col, 'basic')?.id).toBe(basic);
    expect(getNotetypeByName(col, 'nope')).toBeUndefined();
    expect(fieldNames(col, basic)).toEqual(['Front', 'Back']);
    expect(fieldDescriptions(col, basic)).toEqual(['', '']);
    expect(fieldFonts(col, basic)).toEqual([
      { name: 'Front', font: 'Arial', size: 20 },
      { name: 'Back', font: 'Arial', size: 20 },
    ]);
    expect(templateFormats(col, basic)).toEqual([{ name: 'Card 1', qFormat: '{{Front}}', aFormat: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}' }]);
    expect(notetypeCss(col, basic)).toContain('.card {');
    // a returned notetype is a private copy
    getNotetype(col, basic).fields[0].name = 'changed';
    expect(fieldNames(col, basic)[0]).toBe('Front');
  });

  it('gets and sets the current notetype (curModel)', () => {
    const { col } = fresh();
    expect(currentNotetypeId(col)).toBe(stock(col, OriginalStockKind.Basic));
    const cloze = stock(col, OriginalStockKind.Cloze);
    setCurrentNotetype(col, cloze);
    expect(col.storage.config.get('curModel')).toBe(cloze);
    expect(() => setCurrentNotetype(col, 42)).toThrow(/not found/);
  });
});

describe('adding, cloning, renaming, deleting notetypes', () => {
  it('adds a stock notetype with a unique name, fresh ids, made current, no schema change', async () => {
    const { col } = fresh();
    const before = scm(col);
    await tick();
    const r = addStockNotetype(col, 'basic');
    expect(r.result.name).toBe('Basic+');
    expect(r.changes.notetypes).toBe(true);
    expect(scm(col)).toBe(before);
    expect(currentNotetypeId(col)).toBe(r.result.id);
    const orig = getNotetype(col, stock(col, OriginalStockKind.Basic));
    const added = getNotetype(col, r.result.id);
    expect(added.fields[0].config.id).not.toBe(orig.fields[0].config.id);
    expect(added.config.reqs).toEqual(orig.config.reqs);
    expect(added.mtimeSecs).toBeGreaterThan(0);
    expect(added.usn).toBe(-1);
    // names are cleaned and NFC-normalised; non-ASCII names compare ignoring case like Anki
    const w = addStockNotetype(col, 'cloze', 'Wörter "Lückentext"'.normalize('NFD')).result;
    expect(w.name).toBe('Wörter Lückentext');
    expect(addStockNotetype(col, 'cloze', 'WÖRTER LÜCKENTEXT').result.name).toBe('WÖRTER LÜCKENTEXT+');
    expect(addStockNotetype(col, 'imageOcclusion', 'Σίσυφος').result.name).toBe('Σίσυφος');
    expect(addStockNotetype(col, 'basic', 'ΣΊΣΥΦΟΣ').result.name).toBe('ΣΊΣΥΦΟΣ+');
    // undo removes it again
    col.undo();
    expect(getNotetypeByName(col, 'ΣΊΣΥΦΟΣ+')).toBeUndefined();
  });

  it('clones like Anki: "X copy", same field/template ids, no original id', () => {
    const { col } = fresh();
    const src = getNotetype(col, stock(col, OriginalStockKind.BasicAndReversed));
    const r = cloneNotetype(col, src.id).result;
    expect(r.name).toBe('Basic (and reversed card) copy');
    const copy = getNotetype(col, r.id);
    expect(copy.fields.map((f) => f.config.id)).toEqual(src.fields.map((f) => f.config.id));
    expect(copy.templates.map((t) => t.config.id)).toEqual(src.templates.map((t) => t.config.id));
    expect(copy.config.originalId).toBeUndefined();
    expect(copy.config.originalStockKind).toBe(OriginalStockKind.BasicAndReversed);
    expect(cloneNotetype(col, src.id, 'Mine').result.name).toBe('Mine');
  });

  it('creates a notetype from parts (createModel) and checks its templates', () => {
    const { col } = fresh();
    const r = createNotetype(col, { name: 'Vocab', fields: ['Word', 'Meaning'], templates: [{ name: 'Recall', qFormat: '{{Word}}', aFormat: '{{FrontSide}}<hr id=answer>{{Meaning}}' }] }).result;
    expect(fieldNames(col, r.id)).toEqual(['Word', 'Meaning']);
    const c = createNotetype(col, { name: 'Cz', cloze: true, fields: ['T', 'X'], templates: [{ name: 'C', qFormat: '{{cloze:T}}', aFormat: '{{cloze:T}}{{X}}' }] }).result;
    expect(getNotetype(col, c.id).config.kind).toBe(NotetypeKind.Cloze);
    expectError(() => createNotetype(col, { name: 'Bad', fields: ['A'], templates: [{ name: 'x', qFormat: '{{B}}', aFormat: '' }] }), /Field 'B' not found/);
    expectError(() => createNotetype(col, { name: 'Bad', fields: ['A'], templates: [{ name: 'x', qFormat: 'no fields', aFormat: '' }] }), /field replacement on the front/);
    expectError(
      () => createNotetype(col, { name: 'Bad', cloze: true, fields: ['A'], templates: [{ name: 'x', qFormat: '{{A}}', aFormat: '{{A}}' }] }),
      /cloze:Text/,
    );
  });

  it('renames a notetype and sets its CSS without a schema change', async () => {
    const { col } = fresh();
    const id = stock(col, OriginalStockKind.Basic);
    const before = scm(col);
    await tick();
    expect(renameNotetype(col, id, 'Grundform – "Wörter"').result).toBe('Grundform – Wörter');
    expect(renameNotetype(col, id, 'cloze').result).toBe('cloze+');
    setNotetypeCss(col, id, '.card { color: red; }');
    expect(notetypeCss(col, id)).toBe('.card { color: red; }');
    expect(scm(col)).toBe(before);
    col.undo();
    expect(notetypeCss(col, id)).toContain('font-family: arial');
  });

  it('deletes a notetype with its notes and cards, refusing the last one', async () => {
    const { col } = fresh();
    const rev = stock(col, OriginalStockKind.BasicAndReversed);
    const n = addNote(col, { notetypeId: rev, deckId: 1, fields: ['q', 'a'] }).result;
    col.transact('t', (tx) => tx.setConfig(`_nt_${rev}_lastDeck`, 1));
    setCurrentNotetype(col, rev);
    const before = scm(col);
    await tick();
    expect(removeNotetype(col, rev).result).toBe(1);
    expect(col.storage.notes.get(n.noteId)).toBeUndefined();
    expect(col.storage.graves.getRow(n.noteId, GraveKind.Note)).toBeDefined();
    for (const cid of n.cardIds) expect(col.storage.graves.getRow(cid, GraveKind.Card)).toBeDefined();
    expect(col.storage.config.get(`_nt_${rev}_lastDeck`)).toBeUndefined();
    expect(currentNotetypeId(col)).toBe(listNotetypes(col)[0].id);
    expect(scm(col)).toBeGreaterThan(before);
    col.undo();
    expect(fields(col, n.noteId)).toEqual(['q', 'a']);
    expect(cards(col, n.noteId)).toHaveLength(2);
    for (const nt of listNotetypes(col).slice(1)) removeNotetype(col, nt.id);
    expectError(() => removeNotetype(col, listNotetypes(col)[0].id), /add another note type first/);
  });
});

describe('fields', () => {
  it('adds a field: notes get an empty value, schema changes, undo restores', async () => {
    const { col } = fresh();
    const id = stock(col, OriginalStockKind.Basic);
    const n = addNote(col, { notetypeId: id, deckId: 1, fields: ['one', 'two'] }).result.noteId;
    const before = scm(col);
    await tick();
    const r = addField(col, id, 'three');
    expect(r.result).toBe('three');
    expect(r.changes.notes).toBe(true);
    expect(fields(col, n)).toEqual(['one', 'two', '']);
    expect(scm(col)).toBeGreaterThan(before);
    expect(addField(col, id, 'Zwischen', { index: 1 }).result).toBe('Zwischen');
    expect(fields(col, n)).toEqual(['one', '', 'two', '']);
    expect(fieldNames(col, id)).toEqual(['Front', 'Zwischen', 'Back', 'three']);
    col.undo();
    col.undo();
    expect(fields(col, n)).toEqual(['one', 'two']);
    expect(fieldNames(col, id)).toEqual(['Front', 'Back']);
  });

  it('cleans and unique-ifies field names as Anki does', () => {
    const { col } = fresh();
    const id = stock(col, OriginalStockKind.Basic);
    expect(addField(col, id, '  # /^ t:e{s"t} field name #/^  ').result).toBe('test field name #/^');
    expect(addField(col, id, 'FRONT').result).toBe('FRONT+');
    expect(addField(col, id, 'Straße').result).toBe('Straße');
    expect(addField(col, id, 'STRASSE').result).toBe('STRASSE+');
    expect(addField(col, id, 'Ä'.normalize('NFD')).result).toBe('Ä');
    expectError(() => addField(col, id, ' :{} '), /Field name/);
  });

  it('renames a field and its template references (Anki field_renaming_and_deleting test), no schema change', async () => {
    const { col } = fresh();
    const id = stock(col, OriginalStockKind.Basic);
    const n = addNote(col, { notetypeId: id, deckId: 1, fields: ['one', 'two'] }).result.noteId;
    const mod = col.storage.notes.get(n)!.mtimeSecs;
    updateTemplate(col, id, 0, { qFormat: '{{Front}}\n{{#Front}}{{some:Front}}{{Back}}{{/Front}}' });
    const before = scm(col);
    await tick();
    expect(renameField(col, id, 'Front', 'Test').result).toBe('Test');
    expect(templateFormats(col, id)[0].qFormat).toBe('{{Test}}\n{{#Test}}{{some:Test}}{{Back}}{{/Test}}');
    expect(scm(col)).toBe(before);
    expect(col.storage.notes.get(n)!.mtimeSecs).toBe(mod);
    removeField(col, id, 'Test');
    expect(templateFormats(col, id)[0].qFormat).toBe('\n{{Back}}');
    expect(fields(col, n)).toEqual(['two']);
    expect(sfld(col, n)).toBe('two');
    expect(scm(col)).toBeGreaterThan(before);
  });

  it('renames references in non-empty browser templates and cloze fields; a front left empty gets the first field', () => {
    const { col } = fresh();
    const cloze = stock(col, OriginalStockKind.Cloze);
    renameField(col, cloze, 'Text', 'Texte');
    const t = getNotetype(col, cloze).templates[0].config;
    expect(t.qFormat).toBe('{{cloze:Texte}}');
    expect(t.aFormat).toBe('{{cloze:Texte}}<br>\n{{Back Extra}}');
    expect(t.qFormatBrowser).toBe('');
    const basic = stock(col, OriginalStockKind.Basic);
    updateTemplate(col, basic, 0, { qFormatBrowser: '<b>{{Front}}</b>' });
    renameField(col, basic, 'Front', 'Vorderseite');
    expect(getNotetype(col, basic).templates[0].config.qFormatBrowser).toBe('<b>{{Vorderseite}}</b>');
    removeField(col, basic, 'Vorderseite');
    expect(templateFormats(col, basic)[0].qFormat).toBe('{{Back}}');
  });

  it('refuses to remove the last field or a protected one', () => {
    const { col } = fresh();
    expectError(() => removeField(col, stock(col, OriginalStockKind.Cloze), 'Text'), /required/);
    const id = stock(col, OriginalStockKind.Basic);
    removeField(col, id, 'Back');
    expectError(() => removeField(col, id, 'Front'), /at least one field/);
    expectError(() => removeField(col, id, 'Nope'), /not found/);
  });

  it('repositions a field: values move, the sort field follows its field, csum follows field 1', () => {
    const { col } = fresh();
    const id = stock(col, OriginalStockKind.Basic);
    const n = addNote(col, { notetypeId: id, deckId: 1, fields: ['<b>front</b>', 'back'] }).result.noteId;
    const csumBefore = col.storage.notes.getRow(n)!.csum;
    setSortField(col, id, 'Back');
    expect(getNotetype(col, id).config.sortFieldIdx).toBe(1);
    expect(sfld(col, n)).toBe('back');
    repositionField(col, id, 'Back', 0);
    expect(fieldNames(col, id)).toEqual(['Back', 'Front']);
    expect(fields(col, n)).toEqual(['back', '<b>front</b>']);
    expect(getNotetype(col, id).config.sortFieldIdx).toBe(0);
    expect(sfld(col, n)).toBe('back');
    expect(col.storage.notes.getRow(n)!.csum).not.toBe(csumBefore);
    // templates keep working: the card still exists and the front still names Front
    expect(templateFormats(col, id)[0].qFormat).toBe('{{Front}}');
    col.undo();
    expect(fields(col, n)).toEqual(['<b>front</b>', 'back']);
  });

  it('changing the sort field rewrites sfld and is a schema change', async () => {
    const { col } = fresh();
    const id = stock(col, OriginalStockKind.Basic);
    const n = addNote(col, { notetypeId: id, deckId: 1, fields: ['a', '42'] }).result.noteId;
    const before = scm(col);
    await tick();
    setSortField(col, id, 1);
    expect(col.storage.notes.getRow(n)!.sfld).toBe('42');
    expect(scm(col)).toBeGreaterThan(before);
  });

  it('updates field options without a schema change', async () => {
    const { col } = fresh();
    const id = stock(col, OriginalStockKind.Basic);
    const before = scm(col);
    await tick();
    updateFieldConfig(col, id, 'Front', { fontName: 'Noto Sans JP', fontSize: 28, description: 'Das Wort', sticky: true });
    expect(fieldFonts(col, id)[0]).toEqual({ name: 'Front', font: 'Noto Sans JP', size: 28 });
    expect(fieldDescriptions(col, id)).toEqual(['Das Wort', '']);
    expect(getNotetype(col, id).fields[0].config.sticky).toBe(true);
    expect(scm(col)).toBe(before);
  });
});

describe('templates', () => {
  it('adds a template: cards are generated beside their siblings, schema changes, undo removes them', async () => {
    const { col } = fresh();
    const id = stock(col, OriginalStockKind.Basic);
    const a = addNote(col, { notetypeId: id, deckId: 1, fields: ['one', 'two'] }).result.noteId;
    const b = addNote(col, { notetypeId: id, deckId: 1, fields: ['three', ''] }).result.noteId;
    const before = scm(col);
    await tick();
    const r = addTemplate(col, id, { name: 'card 2', qFormat: '{{Back}}', aFormat: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}' });
    expect(r.result).toBe('card 2');
    expect(r.changes.cards).toBe(true);
    const ca = cards(col, a);
    expect(ca.map((c) => c.ord)).toEqual([0, 1]);
    expect(ca[1].due).toBe(ca[0].due);
    expect(ca[1].deckId).toBe(ca[0].deckId);
    expect(cards(col, b).map((c) => c.ord)).toEqual([0]);
    expect(scm(col)).toBeGreaterThan(before);
    expect(getNotetype(col, id).config.reqs.map((q) => q.fieldOrds)).toEqual([[0], [1]]);
    col.undo();
    expect(cards(col, a)).toHaveLength(1);
    expect(templateFormats(col, id)).toHaveLength(1);
  });

  it('adds cards in the template deck override and at the next position when no sibling is new', () => {
    const { col } = fresh();
    const id = stock(col, OriginalStockKind.Basic);
    const a = addNote(col, { notetypeId: id, deckId: 1, fields: ['one', 'two'] }).result.noteId;
    col.transact('t', (tx) => {
      const c = tx.storage.cards.ofNote(a)[0];
      tx.putCard({ ...c, ctype: 2, queue: 2, due: 5, interval: 3, easeFactor: 2500, reps: 1 });
    });
    const nextPos = col.storage.config.get<number>('nextPos')!;
    addTemplate(col, id, { name: 'Rev', qFormat: '{{Back}}?', aFormat: '{{Front}}' });
    const c2 = cards(col, a)[1];
    expect(c2.due).toBe(nextPos);
    expect(col.storage.config.get('nextPos')).toBe(nextPos + 1);
  });

  it('refuses duplicate fronts, cloze notetypes and unknown fields', () => {
    const { col } = fresh();
    const id = stock(col, OriginalStockKind.Basic);
    expectError(() => addTemplate(col, id, { name: 'x', qFormat: '{{Front}}', aFormat: '' }), /identical to card template 1/);
    expectError(() => addTemplate(col, stock(col, OriginalStockKind.Cloze), { name: 'x', qFormat: '{{cloze:Text}}', aFormat: '{{cloze:Text}}' }), /cloze note type/);
    expectError(() => addTemplate(col, id, { name: 'x', qFormat: '{{Nope}}', aFormat: '' }), /Field 'Nope' not found/);
    expect(templateFormats(col, id)).toHaveLength(1);
  });

  it('removes a template with its cards; refuses the last one and orphaning notes', async () => {
    const { col } = fresh();
    const id = stock(col, OriginalStockKind.BasicAndReversed);
    const full = addNote(col, { notetypeId: id, deckId: 1, fields: ['q', 'a'] }).result;
    const before = scm(col);
    await tick();
    removeTemplate(col, id, 'Card 1');
    const left = cards(col, full.noteId);
    expect(left.map((c) => [c.id, c.ord])).toEqual([[full.cardIds[1], 0]]);
    expect(col.storage.graves.getRow(full.cardIds[0], GraveKind.Card)).toBeDefined();
    expect(templateFormats(col, id).map((t) => t.name)).toEqual(['Card 2']);
    expect(scm(col)).toBeGreaterThan(before);
    expectError(() => removeTemplate(col, id, 0), /At least one card type/);
    col.undo();
    expect(cards(col, full.noteId).map((c) => c.ord)).toEqual([0, 1]);
    // a note with only card 1 (empty Back) would lose its only card
    const only = addNote(col, { notetypeId: id, deckId: 1, fields: ['q2', ''] }).result;
    expect(only.cardIds).toHaveLength(1);
    expectError(() => removeTemplate(col, id, 'Card 1'), /without any card/);
    expect(cards(col, full.noteId)).toHaveLength(2);
  });

  it('repositions templates (card ords follow) and renames them without a schema change', async () => {
    const { col } = fresh();
    const id = stock(col, OriginalStockKind.BasicAndReversed);
    const n = addNote(col, { notetypeId: id, deckId: 1, fields: ['q', 'a'] }).result;
    repositionTemplate(col, id, 'Card 2', 0);
    expect(templateFormats(col, id).map((t) => t.name)).toEqual(['Card 2', 'Card 1']);
    expect(cards(col, n.noteId).map((c) => [c.id, c.ord])).toEqual([
      [n.cardIds[1], 0],
      [n.cardIds[0], 1],
    ]);
    const before = scm(col);
    await tick();
    expect(renameTemplate(col, id, 'Card 2', 'Rückseite "zuerst"').result).toBe('Rückseite zuerst');
    expect(renameTemplate(col, id, 1, 'rückseite ZUERST').result).toBe('rückseite ZUERST+');
    expect(scm(col)).toBe(before);
  });

  it('a changed front generates the cards it now calls for, without a schema change', async () => {
    const { col } = fresh();
    const id = stock(col, OriginalStockKind.BasicOptionalReversed);
    const n = addNote(col, { notetypeId: id, deckId: 1, fields: ['q', 'a', ''] }).result.noteId;
    expect(cards(col, n)).toHaveLength(1);
    const before = scm(col);
    await tick();
    updateTemplate(col, id, 'Card 2', { qFormat: '{{Back}}' });
    expect(cards(col, n).map((c) => c.ord)).toEqual([0, 1]);
    expect(scm(col)).toBe(before);
    expect(getNotetype(col, id).config.reqs[1]).toMatchObject({ kind: 1, fieldOrds: [1] });
  });

  it('updateNotetype applies several changes at once with origins', () => {
    const { col } = fresh();
    const id = stock(col, OriginalStockKind.Basic);
    const n = addNote(col, { notetypeId: id, deckId: 1, fields: ['F', 'B'] }).result.noteId;
    const nt = getNotetype(col, id);
    nt.fields.reverse();
    nt.fields.push({ ord: 0, name: 'Notes', config: { ...nt.fields[0].config, id: 5n } });
    updateNotetype(col, nt, { fields: [1, 0, null], templates: [0] });
    expect(fields(col, n)).toEqual(['B', 'F', '']);
    expectError(() => updateNotetype(col, getNotetype(col, id), { fields: [0], templates: [0] }), /origins/);
  });
});

describe('helpers', () => {
  it('templateOrdChanges matches Anki’s cases', () => {
    const norm = (c: ReturnType<typeof templateOrdChanges>) => ({ ...c, moved: Object.fromEntries(c.moved) });
    expect(norm(templateOrdChanges([0, 1], 2))).toEqual({ added: [], removed: [], moved: {} });
    expect(norm(templateOrdChanges([0, 1], 3))).toEqual({ added: [], removed: [2], moved: {} });
    expect(norm(templateOrdChanges([1], 2))).toEqual({ added: [], removed: [0], moved: { 1: 0 } });
    expect(norm(templateOrdChanges([0, null], 1))).toEqual({ added: [1], removed: [], moved: {} });
    expect(norm(templateOrdChanges([2, null, 0], 2))).toEqual({ added: [1], removed: [1], moved: { 2: 0, 0: 2 } });
    expect(norm(templateOrdChanges([null, 2, null, 4], 5))).toEqual({ added: [0, 2], removed: [0, 1, 3], moved: { 2: 1, 4: 3 } });
  });

  it('randomPosition matches Anki’s `random` test', () => {
    expect(randomPosition(5)).toBe(180);
    expect(randomPosition(500)).toBe(13);
    expect(randomPosition(5001)).toBe(3731);
  });
});
