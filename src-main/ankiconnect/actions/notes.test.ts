import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basicNote, setUpTestDeck, startTestHost, type TestHost, type UpstreamSetup } from '../test-support';

let h: TestHost;
let s: UpstreamSetup;
beforeEach(async () => {
  h = await startTestHost();
  s = await setUpTestDeck(h);
});
afterEach(async () => h.close());

const err = async (action: string, params: unknown) => (await h.post(action, params)).error;

describe('adding notes (upstream tests)', () => {
  it('addNote returns an id; a duplicate is refused unless allowDuplicate', async () => {
    expect(typeof (await h.call('addNote', { note: basicNote() }))).toBe('number');
    expect(await err('addNote', { note: basicNote() })).toBe('cannot create note because it is a duplicate');
    expect(typeof (await h.call('addNote', { note: basicNote('front1', { options: { allowDuplicate: true } }) }))).toBe('number');
  });

  it('addNotes: all or nothing, the error is the Python list of texts', async () => {
    const before = await h.call<number[]>('findNotes', { query: '' });
    const r = await h.post('addNotes', { notes: [basicNote('foo'), basicNote('bar'), basicNote('foo'), { ...basicNote('x'), modelName: 'nope' }] });
    expect(r).toEqual({ result: null, error: "['cannot create note because it is a duplicate', 'model was not found: nope']" });
    expect(await h.call('findNotes', { query: '' })).toEqual(before);
    const ids = await h.call<number[]>('addNotes', { notes: [basicNote('foo'), basicNote('bar')] });
    expect(ids).toHaveLength(2);
    expect(await h.call('addNotes', { notes: [] })).toEqual([]);
  });

  it('bug164: a whitespace first field with the deck scope is a duplicate the second time', async () => {
    const note = { deckName: 'test_deck', modelName: 'Basic', fields: { Front: ' Whitespace\n', Back: '' }, options: { allowDuplicate: false, duplicateScope: 'deck' } };
    await h.call('addNote', { note });
    expect(await err('addNote', { note })).toBe('cannot create note because it is a duplicate');
  });

  it('canAddNotes after foo and bar: [foo, baz, foo+allowDuplicate] → [false, true, true]', async () => {
    expect(await h.call('canAddNotes', { notes: [basicNote('foo'), basicNote('bar')] })).toEqual([true, true]);
    await h.call('addNotes', { notes: [basicNote('foo'), basicNote('bar')] });
    expect(await h.call('canAddNotes', { notes: [basicNote('foo'), basicNote('baz'), basicNote('foo', { options: { allowDuplicate: true } })] })).toEqual([
      false,
      true,
      true,
    ]);
  });
});

describe('createNote rules', () => {
  it('names the missing model / deck; fields match ignoring case; unknown fields are ignored', async () => {
    expect(await err('addNote', { note: { ...basicNote(), modelName: 'Nope' } })).toBe('model was not found: Nope');
    expect(await err('addNote', { note: { ...basicNote(), deckName: 'Nope' } })).toBe('deck was not found: Nope');
    const id = await h.call<number>('addNote', { note: { ...basicNote(), fields: { front: 'lower', BACK: 'upper', Other: 'x' } } });
    const [info] = await h.call<{ fields: Record<string, { value: string }> }[]>('notesInfo', { notes: [id] });
    expect(info.fields.Front.value).toBe('lower');
    expect(info.fields.Back.value).toBe('upper');
  });

  it('empty first field (HTML only counts as empty by default; not in the deck scope)', async () => {
    expect(await err('addNote', { note: basicNote('<br>') })).toBe('cannot create note because it is empty');
    expect(await err('addNote', { note: basicNote('  ', { options: { allowDuplicate: true } }) })).toBe('cannot create note because it is empty');
    expect(typeof (await h.call('addNote', { note: basicNote('<br>', { options: { duplicateScope: 'deck' } }) }))).toBe('number');
  });

  it('cloze problems are "unknown reason"', async () => {
    expect(await err('addNote', { note: { deckName: 'Default', modelName: 'Cloze', fields: { Text: 'no cloze here' } } })).toBe(
      'cannot create note for unknown reason',
    );
    expect(await err('addNote', { note: basicNote('{{c1::x}}') })).toBe('cannot create note for unknown reason');
    expect(typeof (await h.call('addNote', { note: { deckName: 'Default', modelName: 'Cloze', fields: { Text: '{{c1::yes}}' } } }))).toBe('number');
  });

  it('the collection scope compares the stripped text within the note type', async () => {
    await h.call('addNote', { note: basicNote('<b>same</b>') });
    expect(await err('addNote', { note: basicNote('same', { options: { duplicateScope: 'collection' } }) })).toBe('cannot create note because it is a duplicate');
    // another note type: not a duplicate by default …
    expect(typeof (await h.call('addNote', { note: { ...basicNote('same'), modelName: 'Basic (and reversed card)' } }))).toBe('number');
  });

  it('deck scope: other decks are not duplicates; deckName and checkChildren widen it; checkAllModels crosses note types', async () => {
    await h.call('createDeck', { deck: 'Root::Child' });
    await h.call('addNote', { note: { ...basicNote('word'), deckName: 'Root::Child' } });
    const deckScope = (extra: Record<string, unknown> = {}) => ({ ...basicNote('word'), options: { duplicateScope: 'deck', duplicateScopeOptions: extra } });
    expect(await h.call('canAddNotesWithErrorDetail', { notes: [deckScope()] })).toEqual([{ canAdd: true }]);
    expect(await h.call('canAddNotesWithErrorDetail', { notes: [deckScope({ deckName: 'Root' })] })).toEqual([{ canAdd: true }]);
    expect(await h.call('canAddNotesWithErrorDetail', { notes: [deckScope({ deckName: 'Root', checkChildren: true })] })).toEqual([
      { canAdd: false, error: 'cannot create note because it is a duplicate' },
    ]);
    expect(await h.call('canAddNotes', { notes: [deckScope({ deckName: 'No such deck', checkChildren: true })] })).toEqual([true]);
    // checkAllModels alone: any note type, anywhere
    const reversed = { ...basicNote('word'), modelName: 'Basic (and reversed card)', deckName: 'Default' };
    expect(await h.call('canAddNotes', { notes: [reversed] })).toEqual([true]);
    expect(await h.call('canAddNotes', { notes: [{ ...reversed, options: { duplicateScopeOptions: { checkAllModels: true } } }] })).toEqual([false]);
  });

  it('Yomitan-style first-field-only notes report duplicates before anything else', async () => {
    await h.call('addNote', { note: basicNote('食べる') });
    const stripped = { deckName: 'test_deck', modelName: 'Basic', fields: { Front: '食べる' }, options: { allowDuplicate: false, duplicateScope: 'collection' } };
    expect(await h.call('canAddNotesWithErrorDetail', { notes: [stripped, { ...stripped, fields: { Front: '飲む' } }] })).toEqual([
      { canAdd: false, error: 'cannot create note because it is a duplicate' },
      { canAdd: true },
    ]);
  });

  it('bad options and bad note objects fail that note only', async () => {
    expect(await err('addNote', { note: basicNote('x', { options: { allowDuplicate: 'yes' } }) })).toBe('option parameter "allowDuplicate" must be boolean');
    const r = await h.call<{ canAdd: boolean; error?: string }[]>('canAddNotesWithErrorDetail', {
      notes: [basicNote('ok'), { deckName: 'test_deck' }, basicNote('x', { options: { duplicateScopeOptions: { checkChildren: 1 } } }), 5],
    });
    expect(r[0]).toEqual({ canAdd: true });
    expect(r[1].canAdd).toBe(false);
    expect(r[1].error).toMatch(/modelName/);
    expect(r[2]).toEqual({ canAdd: false, error: 'option parameter "duplicateScopeOptions.checkChildren" must be boolean' });
    expect(r[3].canAdd).toBe(false);
    expect(await h.call('canAddNote', { note: basicNote('single') })).toBe(true);
    expect(await h.call('canAddNoteWithErrorDetail', { note: { ...basicNote(), deckName: 'gone' } })).toEqual({ canAdd: false, error: 'deck was not found: gone' });
  });

  it('tags are normalised; the note lands in the named deck', async () => {
    const id = await h.call<number>('addNote', { note: basicNote('tagged', { tags: ['a b', 'x::Y', 'A'] }) });
    expect(await h.call('getNoteTags', { note: id })).toEqual(['a', 'b', 'x::Y']);
    const cards = await h.call<number[]>('findCards', { query: `nid:${id}` });
    expect(await h.call('getDecks', { cards })).toEqual({ test_deck: cards });
  });
});

describe('reading and updating notes', () => {
  it('notesInfo (ids or query; unknown ids → {})', async () => {
    const r = await h.call<Record<string, unknown>[]>('notesInfo', { notes: [s.note1, 123] });
    expect(r[1]).toEqual({});
    expect(r[0]).toMatchObject({
      noteId: s.note1,
      profile: 'User 1',
      modelName: 'test_model',
      tags: ['tag1'],
      fields: { field1: { value: 'note1 field1', order: 0 }, field2: { value: 'note1 field2', order: 1 } },
      cards: s.note1Cards,
    });
    expect(typeof r[0].mod).toBe('number');
    expect((r[0].cards as number[]).length).toBe(2);
    expect((await h.call<{ noteId: number }[]>('notesInfo', { query: 'tag:tag2' })).map((n) => n.noteId)).toEqual([s.note2]);
    expect(await err('notesInfo', {})).toBe('Must provide either "notes" or a "query"');
    expect(await h.call('notesModTime', { notes: [s.note2, 5] })).toEqual([{ noteId: s.note2, mod: r[0].mod }, {}]);
  });

  it('updateNoteFields: exact names; unknown note → Note was not found', async () => {
    await h.call('updateNoteFields', { note: { id: s.note1, fields: { field1: 'foo', field2: 'bar', FIELD1: 'ignored' } } });
    const [info] = await h.call<{ fields: Record<string, { value: string }> }[]>('notesInfo', { notes: [s.note1] });
    expect(info.fields.field1.value).toBe('foo');
    expect(info.fields.field2.value).toBe('bar');
    expect(await err('updateNoteFields', { note: { id: 123, fields: { field1: 'x' } } })).toBe('Note was not found: 123');
  });

  it('updateNote: fields and tags together; neither → error', async () => {
    await h.call('updateNote', { note: { id: s.note1, fields: { field1: 'frontbar', field2: 'backbar' }, tags: ['foobar'] } });
    const [info] = await h.call<{ fields: Record<string, { value: string }>; tags: string[] }[]>('notesInfo', { notes: [s.note1] });
    expect(info.fields.field2.value).toBe('backbar');
    expect(info.tags).toEqual(['foobar']);
    expect(await err('updateNote', { note: { id: s.note1 } })).toMatch(/ust provide/);
    expect(await err('updateNote', { note: { id: 99, tags: [] } })).toBe('Note was not found: 99');
  });

  it('findNotes and deleteNotes', async () => {
    expect(new Set(await h.call<number[]>('findNotes', { query: 'deck:test_deck' }))).toEqual(new Set([s.note1, s.note2]));
    expect(await h.call('findNotes', {})).toEqual([]);
    expect((await h.call<number[]>('findNotes', { query: '' })).length).toBe(2);
    expect(await err('findNotes', { query: '(' })).toMatch(/parenthes/);
    await h.call('deleteNotes', { notes: [s.note1, s.note2, 777] });
    expect(await h.call('findNotes', { query: 'deck:test_deck' })).toEqual([]);
  });

  it('cardsToNotes', async () => {
    expect(new Set(await h.call<number[]>('cardsToNotes', { cards: [...s.cards, 1] }))).toEqual(new Set([s.note1, s.note2]));
  });
});

describe('tags (upstream tests)', () => {
  it('addTags / getTags / removeTags / clearUnusedTags', async () => {
    await h.call('addTags', { notes: [s.note1], tags: 'tag2' });
    expect(new Set(await h.call<string[]>('getNoteTags', { note: s.note1 }))).toEqual(new Set(['tag1', 'tag2']));
    expect(new Set(await h.call<string[]>('getTags'))).toEqual(new Set(['tag1', 'tag2']));
    await h.call('removeTags', { notes: [s.note2], tags: 'tag2' });
    expect(await h.call('getNoteTags', { note: s.note2 })).toEqual([]);
    await h.call('removeTags', { notes: [s.note1], tags: 'tag2' });
    await h.call('clearUnusedTags');
    expect(await h.call('getTags')).toEqual(['tag1']);
    await h.call('addTags', { notes: [s.note1], tags: 'p::q r', add: false });
    await h.call('addTags', { notes: [s.note1, 999], tags: 'p::q r' });
    expect(await h.call('getNoteTags', { note: s.note1 })).toEqual(['p::q', 'r', 'tag1']);
    await h.call('removeTags', { notes: [s.note1], tags: 'P' });
    expect(await h.call('getNoteTags', { note: s.note1 })).toEqual(['r', 'tag1']);
  });

  it('replaceTags / replaceTagsInAllNotes / updateNoteTags', async () => {
    await h.call('replaceTags', { notes: [s.note1, 123], tag_to_replace: 'TAG1', replace_with_tag: 'foo' });
    expect(await h.call('getNoteTags', { note: s.note1 })).toEqual(['foo']);
    await h.call('replaceTagsInAllNotes', { tag_to_replace: 'tag2', replace_with_tag: 'bar' });
    expect(await h.call('getNoteTags', { note: s.note2 })).toEqual(['bar']);
    await h.call('updateNoteTags', { note: s.note1, tags: 'footag' });
    expect(await h.call('getNoteTags', { note: s.note1 })).toEqual(['footag']);
    await h.call('updateNoteTags', { note: s.note1, tags: ['foo', 'bar', 'baz'] });
    expect(await h.call('getNoteTags', { note: s.note1 })).toHaveLength(3);
    expect(await err('updateNoteTags', { note: s.note1, tags: [1] })).toBe('Must provide tags as a list of strings');
    expect(await err('getNoteTags', { note: 5 })).toBe('Note was not found: 5');
  });
});

it('removeEmptyNotes removes unused note types but keeps one', async () => {
  await h.call('removeEmptyNotes');
  expect(await h.call('modelNames')).toEqual(['test_model']);
  await h.call('deleteNotes', { notes: [s.note1, s.note2] });
  await h.call('removeEmptyNotes');
  expect(await h.call('modelNames')).toEqual(['test_model']);
});

describe('updateNoteModel', () => {
  it('moves a note to another note type: fields reset and refilled, tags replaced, cards kept valid', async () => {
    await h.call('updateNoteModel', { note: { id: s.note1, modelName: 'basic', fields: { FRONT: 'f', Back: 'b', nope: 'x' } } });
    const [info] = await h.call<{ modelName: string; tags: string[]; fields: Record<string, { value: string }>; cards: number[] }[]>('notesInfo', { notes: [s.note1] });
    expect(info.modelName).toBe('Basic');
    expect(info.tags).toEqual([]);
    expect(info.fields).toEqual({ Front: { value: 'f', order: 0 }, Back: { value: 'b', order: 1 } });
    // test_model had two cards; Basic has one template: card 2 goes, card 1 stays
    expect(info.cards).toEqual([s.note1Cards[0]]);
    await h.call('updateNoteModel', { note: { id: s.note1, modelName: 'test_model', fields: { field1: 'x', field2: 'y' }, tags: ['back'] } });
    const [again] = await h.call<{ cards: number[]; tags: string[] }[]>('notesInfo', { notes: [s.note1] });
    expect(again.cards).toHaveLength(2);
    expect(again.tags).toEqual(['back']);
    expect(await err('updateNoteModel', { note: { id: s.note1, modelName: 'Nope', fields: { a: 'b' } } })).toBe("Model 'Nope' not found");
    expect(await err('updateNoteModel', { note: { id: 5, modelName: 'Basic', fields: { a: 'b' } } })).toBe('Note was not found: 5');
    expect(await err('updateNoteModel', { note: { id: s.note1, modelName: 'Basic', fields: {} } })).toMatch(/Fields must be provided as a dictionary/);
    expect(await err('updateNoteModel', { note: { id: s.note1, modelName: '', fields: { a: 'b' } } })).toMatch(/Model name is required/);
  });
});
