// A real AnkiConnect client that nobody here wrote (yanki-connect, which wraps every action of
// AnkiConnect 25.11.9.0), against our server over HTTP with a fresh collection.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YankiConnect } from 'yanki-connect';
import { expectCollectionPasses } from '../collection/test-support/check';
import { startAnkiConnectServer, type AnkiConnectServer } from './server';
import { startTestHost, type TestHost } from './test-support';

let h: TestHost;
let keyed: AnkiConnectServer;
let files: Server;
let filesUrl: string;
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

beforeAll(async () => {
  h = await startTestHost();
  keyed = await startAnkiConnectServer({ host: '127.0.0.1', port: 0, apiKey: 'yanki-key', dispatcher: h.dispatcher });
  files = createServer((req, res) => {
    if (req.url === '/smiley.gif') res.end(GIF);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
  filesUrl = `http://127.0.0.1:${(files.address() as { port: number }).port}`;
});
afterAll(async () => {
  await keyed.close();
  await new Promise<void>((r) => files.close(() => r()));
  const path = h.session.info.collectionPath;
  await h.close();
  expectCollectionPasses(path);
});

/** The client, typed loosely: the point is the wire, and yanki's types are narrower than the protocol. */
const client = (): any => new YankiConnect({ port: h.server.port });

describe('protocol', () => {
  it('version and requestPermission (default host http://127.0.0.1)', async () => {
    const y = client();
    expect(await y.miscellaneous.version()).toBe(6);
    expect(await y.miscellaneous.requestPermission()).toEqual({ permission: 'granted', requireApikey: false, version: 6 });
  });

  it('multi and apiReflect', async () => {
    const y = client();
    expect(await y.miscellaneous.multi({ actions: [{ action: 'version' }, { action: 'deckNames', version: 6 }, { action: 'nope', version: 6 }] })).toEqual([
      6,
      { result: ['Default'], error: null },
      { result: null, error: 'unsupported action' },
    ]);
    expect(await y.miscellaneous.apiReflect({ scopes: ['actions'], actions: ['version', 'addNote', 'nope'] })).toEqual({
      scopes: ['actions'],
      actions: ['version', 'addNote'],
    });
    const all = (await y.miscellaneous.apiReflect({ scopes: ['actions'] })).actions as string[];
    expect(all).toHaveLength(122);
  });

  it('sends its key, and surfaces our errors', async () => {
    const good: any = new YankiConnect({ port: keyed.port, key: 'yanki-key' });
    expect(await good.miscellaneous.version()).toBe(6);
    expect(await good.miscellaneous.requestPermission()).toEqual({ permission: 'granted', requireApikey: true, version: 6 });
    expect(await good.deck.deckNames()).toContain('Default');
    const bad: any = new YankiConnect({ port: keyed.port });
    await expect(bad.miscellaneous.version()).rejects.toThrow('valid api key must be provided');
    await expect(good.model.modelFieldNames({ modelName: 'nope' })).rejects.toThrow('model was not found: nope');
  });
});

describe('every action yanki-connect wraps', () => {
  const y = () => client();
  let noteA: number;
  let noteB: number;
  let cards: number[];

  it('decks', async () => {
    const c = y();
    const did = await c.deck.createDeck({ deck: 'Yanki::Sub' });
    expect(await c.deck.deckNames()).toEqual(['Default', 'Yanki', 'Yanki::Sub']);
    expect((await c.deck.deckNamesAndIds())['Yanki::Sub']).toBe(did);
    const conf = await c.deck.getDeckConfig({ deck: 'Yanki::Sub' });
    expect(conf.name).toBe('Default');
    expect(await c.deck.saveDeckConfig({ config: conf })).toBe(true);
    const clone = await c.deck.cloneDeckConfigId({ name: 'Yanki preset', cloneFrom: 1 });
    expect(await c.deck.setDeckConfigId({ decks: ['Yanki'], configId: clone })).toBe(true);
    expect(await c.deck.removeDeckConfigId({ configId: clone })).toBe(true);
    const stats = await c.deck.getDeckStats({ decks: ['Yanki::Sub'] });
    expect(stats[String(did)]).toMatchObject({ deck_id: did, name: 'Sub', new_count: 0, total_in_deck: 0 });
    await c.deck.createDeck({ deck: 'Doomed' });
    await c.deck.deleteDecks({ decks: ['Doomed'], cardsToo: true });
    expect(await c.deck.deckNames()).not.toContain('Doomed');
  });

  it('models', async () => {
    const c = y();
    const m = await c.model.createModel({
      modelName: 'Yanki Model',
      inOrderFields: ['Word', 'Meaning'],
      cardTemplates: [{ Name: 'Recognise', Front: '{{Word}}', Back: '{{FrontSide}}<hr id=answer>{{Meaning}}' }],
      css: '.card {}',
    });
    expect(m.name).toBe('Yanki Model');
    expect(await c.model.modelNames()).toContain('Yanki Model');
    expect((await c.model.modelNamesAndIds())['Yanki Model']).toBe(m.id);
    expect((await c.model.findModelsById({ modelIds: [m.id] }))[0].name).toBe('Yanki Model');
    expect((await c.model.findModelsByName({ modelNames: ['Yanki Model'] }))[0].id).toBe(m.id);
    expect(await c.model.modelFieldNames({ modelName: 'Yanki Model' })).toEqual(['Word', 'Meaning']);
    expect(await c.model.modelFieldsOnTemplates({ modelName: 'Yanki Model' })).toEqual({ Recognise: [['Word'], ['Meaning']] });
    expect(await c.model.modelTemplates({ modelName: 'Yanki Model' })).toEqual({ Recognise: { Front: '{{Word}}', Back: '{{FrontSide}}<hr id=answer>{{Meaning}}' } });
    expect(await c.model.modelStyling({ modelName: 'Yanki Model' })).toEqual({ css: '.card {}' });
    await c.model.updateModelStyling({ model: { name: 'Yanki Model', css: '.card {color: red}' } });
    await c.model.updateModelTemplates({ model: { name: 'Yanki Model', templates: { Recognise: { Back: '{{FrontSide}}<hr id=answer>{{Meaning}}!' } } } });
    expect(await c.model.findAndReplaceInModels({ modelName: 'Yanki Model', findText: 'red', replaceText: 'blue', front: true, back: true, css: true })).toBe(1);
    await c.model.modelTemplateAdd({ modelName: 'Yanki Model', template: { Name: 'Recall', Front: '{{Meaning}}', Back: '{{Word}}' } });
    await c.model.modelTemplateRename({ modelName: 'Yanki Model', oldTemplateName: 'Recall', newTemplateName: 'Produce' });
    await c.model.modelTemplateReposition({ modelName: 'Yanki Model', templateName: 'Produce', index: 0 });
    expect(Object.keys(await c.model.modelTemplates({ modelName: 'Yanki Model' }))).toEqual(['Produce', 'Recognise']);
    await c.model.modelTemplateRemove({ modelName: 'Yanki Model', templateName: 'Produce' });
    await c.model.modelFieldAdd({ modelName: 'Yanki Model', fieldName: 'Extra', index: 1 });
    await c.model.modelFieldRename({ modelName: 'Yanki Model', oldFieldName: 'Extra', newFieldName: 'Notes' });
    await c.model.modelFieldReposition({ modelName: 'Yanki Model', fieldName: 'Notes', index: 2 });
    expect(await c.model.modelFieldNames({ modelName: 'Yanki Model' })).toEqual(['Word', 'Meaning', 'Notes']);
    await c.model.modelFieldSetFont({ modelName: 'Yanki Model', fieldName: 'Notes', font: 'Courier' });
    await c.model.modelFieldSetFontSize({ modelName: 'Yanki Model', fieldName: 'Notes', fontSize: 12 });
    expect(await c.model.modelFieldSetDescription({ modelName: 'Yanki Model', fieldName: 'Notes', description: 'free text' })).toBe(true);
    expect((await c.model.modelFieldFonts({ modelName: 'Yanki Model' })).Notes).toEqual({ font: 'Courier', size: 12 });
    expect(await c.model.modelFieldDescriptions({ modelName: 'Yanki Model' })).toEqual(['', '', 'free text']);
    await c.model.modelFieldRemove({ modelName: 'Yanki Model', fieldName: 'Notes' });
    expect(await c.model.modelFieldNames({ modelName: 'Yanki Model' })).toEqual(['Word', 'Meaning']);
  });

  it('media', async () => {
    const c = y();
    const data = Buffer.from('hello yanki').toString('base64');
    expect(await c.media.storeMediaFile({ filename: '_yanki.txt', data })).toBe('_yanki.txt');
    expect(await c.media.storeMediaFile({ filename: 'smiley.gif', url: `${filesUrl}/smiley.gif` })).toBe('smiley.gif');
    expect(await c.media.retrieveMediaFile({ filename: '_yanki.txt' })).toBe(data);
    expect((await c.media.getMediaFilesNames({ pattern: '*' })).sort()).toEqual(['_yanki.txt', 'smiley.gif']);
    expect(existsSync(await c.media.getMediaDirPath())).toBe(true);
    await c.media.deleteMediaFile({ filename: '_yanki.txt' });
    expect(await c.media.retrieveMediaFile({ filename: '_yanki.txt' })).toBe(false);
  });

  it('notes', async () => {
    const c = y();
    const note = (word: string, extra: object = {}) => ({ deckName: 'Yanki::Sub', modelName: 'Yanki Model', fields: { Word: word, Meaning: `${word}!` }, tags: ['yanki'], ...extra });
    expect(await c.note.canAddNotes({ notes: [note('one'), note('')] })).toEqual([true, false]);
    expect(await c.note.canAddNotesWithErrorDetail({ notes: [note('')] })).toEqual([{ canAdd: false, error: 'cannot create note because it is empty' }]);
    noteA = await c.note.addNote({ note: note('one', { picture: [{ url: `${filesUrl}/smiley.gif`, filename: 'pic.gif', fields: ['Meaning'] }] }) });
    [noteB] = await c.note.addNotes({ notes: [note('two')] });
    await expect(c.note.addNote({ note: note('one') })).rejects.toThrow('cannot create note because it is a duplicate');
    expect(await c.note.findNotes({ query: 'deck:Yanki' })).toEqual(expect.arrayContaining([noteA, noteB]));
    const [info] = await c.note.notesInfo({ notes: [noteA] });
    expect(info.fields.Meaning.value).toBe('one!<img src="pic.gif">');
    expect(await c.note.notesModTime({ notes: [noteA] })).toHaveLength(1);
    await c.note.updateNoteFields({ note: { id: noteA, fields: { Meaning: 'first' } } });
    await c.note.updateNote({ note: { id: noteA, fields: { Word: 'uno' }, tags: ['yanki', 'edited'] } });
    expect(await c.note.getNoteTags({ note: noteA })).toEqual(['edited', 'yanki']);
    await c.note.updateNoteTags({ note: noteB, tags: ['two'] });
    await c.note.addTags({ notes: [noteA, noteB], tags: 'shared extra' });
    await c.note.removeTags({ notes: [noteA, noteB], tags: 'extra' });
    await c.note.replaceTags({ notes: [noteA], tag_to_replace: 'edited', replace_with_tag: 'changed' });
    await c.note.replaceTagsInAllNotes({ tag_to_replace: 'two', replace_with_tag: 'deux' });
    expect(await c.note.getTags()).toEqual(expect.arrayContaining(['changed', 'deux', 'shared', 'yanki']));
    await c.note.clearUnusedTags();
    expect(await c.note.getTags()).not.toContain('edited');
    const spare = await c.note.addNote({ note: { deckName: 'Default', modelName: 'Basic', fields: { Front: 'spare', Back: '' } } });
    await c.note.updateNoteModel({ note: { id: spare, modelName: 'Basic (and reversed card)', fields: { Front: 'spare', Back: 'reversed' }, tags: [] } });
    expect((await c.note.notesInfo({ notes: [spare] }))[0].cards).toHaveLength(2);
    await c.note.deleteNotes({ notes: [spare] });
    await c.note.removeEmptyNotes();
    expect(await c.model.modelNames()).toEqual(['Yanki Model']);
    cards = await c.card.findCards({ query: 'deck:Yanki' });
    expect(cards).toHaveLength(2);
  });

  it('cards', async () => {
    const c = y();
    expect(new Set(await c.card.cardsToNotes({ cards }))).toEqual(new Set([noteA, noteB]));
    const info = await c.card.cardsInfo({ cards });
    expect(info.map((i: { cardId: number }) => i.cardId)).toEqual(cards);
    expect(info[0].question).toContain('<style>.card {color: blue}</style>');
    expect(await c.card.cardsModTime({ cards })).toHaveLength(2);
    expect(await c.card.areDue({ cards })).toEqual([true, true]);
    expect(await c.card.suspend({ cards })).toBe(true);
    expect(await c.card.suspended({ card: cards[0] })).toBe(true);
    expect(await c.card.areSuspended({ cards })).toEqual([true, true]);
    expect(await c.card.unsuspend({ cards })).toBe(null);
    expect(await c.card.answerCards({ answers: [{ cardId: cards[0], ease: 3 }] })).toEqual([true]);
    expect((await c.card.getIntervals({ cards: [cards[0]] }))[0]).not.toBe(0);
    expect(await c.card.setEaseFactors({ cards, easeFactors: [2600, 2700] })).toEqual([true, true]);
    expect(await c.card.getEaseFactors({ cards })).toEqual([2600, 2700]);
    expect(await c.card.setSpecificValueOfCard({ card: cards[1], keys: ['flags'], newValues: [2] })).toEqual([true]);
    expect(await c.card.setDueDate({ cards: [cards[1]], days: '3' })).toBe(true);
    await c.card.forgetCards({ cards: [cards[1]] });
    await c.card.relearnCards({ cards: [cards[0]] });
    await c.deck.changeDeck({ cards, deck: 'Yanki' });
    expect(await c.deck.getDecks({ cards })).toEqual({ Yanki: cards });
  });

  it('statistics', async () => {
    const c = y();
    // every review-log row counts: the answer, and the manual rows of setDueDate and forgetCards
    expect(await c.statistic.getNumCardsReviewedToday()).toBe(3);
    expect((await c.statistic.getNumCardsReviewedByDay())[0][1]).toBeGreaterThanOrEqual(1);
    expect(await c.statistic.getCollectionStatsHTML({ wholeCollection: true })).toContain('Studied 1 cards');
    const reviews = await c.statistic.cardReviews({ deck: 'Yanki', startID: 0 });
    expect(reviews.length).toBeGreaterThanOrEqual(1);
    const latest = await c.statistic.getLatestReviewID({ deck: 'Yanki' });
    expect(latest).toBe(Math.max(...reviews.map((r: number[]) => r[0])));
    await c.statistic.insertReviews({ reviews: [[latest + 1000, cards[1], -1, 3, 4, -60, 2500, 6157, 1]] });
    expect((await c.statistic.getReviewsOfCards({ cards: [cards[1]] }))[cards[1]].at(-1)).toEqual({
      id: latest + 1000,
      usn: -1,
      ease: 3,
      ivl: 4,
      lastIvl: -60,
      factor: 2500,
      time: 6157,
      type: 1,
    });
  });

  it('miscellaneous', async () => {
    const c = y();
    expect(await c.miscellaneous.getProfiles()).toEqual(['User 1']);
    expect(await c.miscellaneous.getActiveProfile()).toBe('User 1');
    expect(await c.miscellaneous.loadProfile({ name: 'User 1' })).toBe(true);
    expect(await c.miscellaneous.loadProfile({ name: 'Nobody' })).toBe(false);
    expect(await c.miscellaneous.reloadCollection()).toBe(null);
    await expect(c.miscellaneous.sync()).rejects.toThrow('sync: auth not configured');
    const path = join(h.dir, `yanki-${createHash('md5').update(String(Date.now())).digest('hex')}.apkg`);
    expect(await c.miscellaneous.exportPackage({ deck: 'Yanki', path, includeSched: false })).toBe(true);
    expect(await c.miscellaneous.importPackage({ path })).toBe(true);
  });

  it('graphical: headless, each answers the no-window error', async () => {
    const c = y();
    const calls: [string, unknown][] = [
      ['guiAddCards', { note: { deckName: 'Default', modelName: 'Basic', fields: {} } }],
      ['guiAnswerCard', { ease: 1 }],
      ['guiBrowse', { query: 'deck:Yanki' }],
      ['guiCheckDatabase', undefined],
      ['guiCurrentCard', undefined],
      ['guiDeckBrowser', undefined],
      ['guiDeckOverview', { name: 'Default' }],
      ['guiDeckReview', { name: 'Default' }],
      ['guiEditNote', { note: noteA }],
      ['guiExitAnki', undefined],
      ['guiImportFile', { path: '/tmp/x.apkg' }],
      ['guiPlayAudio', undefined],
      ['guiSelectCard', { card: cards[0] }],
      ['guiSelectedNotes', undefined],
      ['guiSelectNote', { note: cards[0] }],
      ['guiShowAnswer', undefined],
      ['guiShowQuestion', undefined],
      ['guiStartCardTimer', undefined],
      ['guiUndo', undefined],
    ];
    for (const [action, params] of calls) {
      await expect(c.graphical[action](params), action).rejects.toThrow(`no window is open: ${action} needs the desktop app`);
    }
  });
});
