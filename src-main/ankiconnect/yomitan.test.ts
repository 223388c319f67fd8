// The request sequence Yomitan sends when a user looks up a word and mines it: every request at
// version 2 (bare results) from its extension origin, duplicate checks inside `multi`, a note
// with a picture the server downloads, then opening the note in the browser (headless here).
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectCollectionPasses } from '../collection/test-support/check';
import { postRaw, startTestHost, type TestHost } from './test-support';

let h: TestHost;
let images: Server;
let imagesUrl: string;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  h = await startTestHost();
  images = createServer((req, res) => {
    if (req.url === '/jisho/taberu.png') res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
  imagesUrl = `http://127.0.0.1:${(images.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => images.close(() => r()));
  const path = h.session.info.collectionPath;
  await h.close();
  expectCollectionPasses(path);
});

/** One request as Yomitan's AnkiConnect class sends it. */
async function yomitan(action: string, params?: unknown): Promise<unknown> {
  const body = JSON.stringify({ action, params: params ?? {}, version: 2 });
  const r = await postRaw(h.server.url, body, { origin: 'chrome-extension://likgccmbimhjbgkjambclfkhldnlhbnn' });
  expect(r.status).toBe(200);
  return JSON.parse(r.body);
}

it('mines a word the way Yomitan does', async () => {
  expect(await yomitan('version')).toBe(6);
  await h.call('createDeck', { deck: 'Mining' });
  await h.call('createModel', {
    modelName: 'Yomitan',
    inOrderFields: ['Expression', 'Reading', 'Glossary', 'Picture'],
    cardTemplates: [{ Name: 'Recognition', Front: '{{Expression}}', Back: '{{FrontSide}}<hr id=answer>{{Reading}}<br>{{Glossary}}{{Picture}}' }],
  });
  expect(await yomitan('deckNames')).toEqual(['Default', 'Mining']);
  expect(await yomitan('modelNames')).toContain('Yomitan');
  expect(await yomitan('modelFieldNames', { modelName: 'Yomitan' })).toEqual(['Expression', 'Reading', 'Glossary', 'Picture']);

  // duplicate check: notes stripped to the first field, allowDuplicate forced off, one multi per lookup
  const check = (expression: string) => ({
    action: 'canAddNotesWithErrorDetail',
    version: 2,
    params: {
      notes: [
        {
          deckName: 'Mining',
          modelName: 'Yomitan',
          fields: { Expression: expression },
          tags: ['yomitan'],
          options: { allowDuplicate: false, duplicateScope: 'collection', duplicateScopeOptions: { deckName: null, checkChildren: false, checkAllModels: false } },
        },
      ],
    },
  });
  expect(await yomitan('multi', { actions: [check('食べる'), check('飲む')] })).toEqual([[{ canAdd: true }], [{ canAdd: true }]]);

  const noteId = await yomitan('addNote', {
    note: {
      deckName: 'Mining',
      modelName: 'Yomitan',
      fields: { Expression: '食べる', Reading: 'たべる', Glossary: '<ol><li>to eat</li></ol>', Picture: '' },
      tags: ['yomitan'],
      options: { allowDuplicate: false, duplicateScope: 'collection', duplicateScopeOptions: { deckName: null, checkChildren: false, checkAllModels: false } },
      picture: [{ url: `${imagesUrl}/jisho/taberu.png`, filename: 'yomitan_taberu.png', fields: ['Picture'] }],
    },
  });
  expect(typeof noteId).toBe('number');

  // after adding, the same lookup reports the duplicate (the substring Yomitan looks for)
  const [again] = (await yomitan('multi', { actions: [check('食べる')] })) as { canAdd: boolean; error: string }[][];
  expect(again[0].canAdd).toBe(false);
  expect(again[0].error).toContain('cannot create note because it is a duplicate');

  // Yomitan's "view note" search: lower-cased field name, value unquoted
  expect(await yomitan('findNotes', { query: '"deck:Mining" "expression:食べる"' })).toEqual([noteId]);
  const [info] = (await yomitan('notesInfo', { notes: [noteId] })) as { fields: Record<string, { value: string }> }[];
  expect(info.fields.Picture.value).toBe('<img src="yomitan_taberu.png">');
  expect(await yomitan('retrieveMediaFile', { filename: 'yomitan_taberu.png' })).toBe(PNG.toString('base64'));

  // opening the browser needs the desktop window; Yomitan shows the error text it gets
  expect(await yomitan('guiBrowse', { query: `nid:${noteId}` })).toEqual({ result: null, error: 'no window is open: guiBrowse needs the desktop app' });
});
