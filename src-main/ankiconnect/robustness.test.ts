// Bad and heavy input over real HTTP: every request gets a clear answer, the process keeps
// serving, and the collection stays sound (integrity_check, then the strict Anki checker).
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCollectionPasses } from '../collection/test-support/check';
import { postRaw, startTestHost, type TestHost } from './test-support';

let h: TestHost;
beforeAll(async () => {
  h = await startTestHost({ server: { bodyLimit: 8 * 1024 * 1024 } });
  await h.call('createDeck', { deck: 'Stress' });
});
afterAll(async () => {
  expect(h.session.col.storage.integrityCheck()).toBe('ok');
  const path = h.session.info.collectionPath;
  await h.close();
  expectCollectionPasses(path);
});

const raw = async (body: string | Buffer) => {
  const r = await postRaw(h.server.url, body);
  expect(r.status).toBe(200);
  return JSON.parse(r.body) as { result: unknown; error: string | null };
};
const note = (front: string) => ({ deckName: 'Stress', modelName: 'Basic', fields: { Front: front, Back: 'b' } });

describe('malformed requests', () => {
  it('bad JSON, bad UTF-8, wrong envelopes: Python-style errors, HTTP 200', async () => {
    expect((await raw('{"action": "deckNames", ')).error).toMatch(/^Expecting/);
    expect((await raw('{1: 2}')).error).toMatch(/in double quotes/);
    expect((await raw(Buffer.from([0x7b, 0xe7, 0x8c]))).error).toMatch(/can't decode/);
    expect((await raw('[1, 2]')).error).toMatch(/is not of type 'object'/);
    expect((await raw('{"action": "deckNames", "params": null}')).error).toMatch(/^None is not of type 'object'/);
    expect((await raw('{"action": 5}')).error).toMatch(/^5 is not of type 'string'/);
  });

  it('unknown actions and parameters, wrong types', async () => {
    expect(await h.post('deleteEverything')).toEqual({ result: null, error: 'unsupported action' });
    expect((await h.post('deckNames', { extra: 1 })).error).toBe("AnkiConnect.deckNames() got an unexpected keyword argument 'extra'");
    expect((await h.post('addNote', {})).error).toBe("AnkiConnect.addNote() missing 1 required positional argument: 'note'");
    expect((await h.post('cardsInfo', { cards: 'all' })).error).toBe('cardsInfo: parameter "cards" must be an array, not the string "all"');
    expect((await h.post('notesInfo', { notes: [1.5] })).error).toMatch(/notesInfo: parameter "notes\[0\]" must be an integer/);
    expect((await h.post('addNote', { note: { deckName: 'Stress', modelName: 'Basic', fields: { Front: 1 } } })).error).toMatch(/note\.fields\.Front/);
    expect((await h.post('addNotes', { notes: [null, 'x', note('fine')] })).error).toMatch(/^\['addNotes: /);
    expect((await h.post('findCards', { query: 'prop:ease>x' })).error).toBeTruthy();
    expect((await h.post('insertReviews', { reviews: [[1, 2, 3]] })).error).toMatch(/must have 9 elements/);
    expect((await h.post('setDueDate', { cards: [], days: '' })).error).toBeTruthy();
  });

  it('a body over the limit is refused with a clear error; the server keeps serving', async () => {
    const big = JSON.stringify({ action: 'storeMediaFile', version: 6, params: { filename: 'big.bin', data: 'A'.repeat(9 * 1024 * 1024) } });
    const r = await raw(big);
    expect(r.error).toMatch(/^request body too large: 9\.0 MiB exceeds the limit of 8 MiB/);
    expect(await h.call('deckNames')).toEqual(['Default', 'Stress']);
  });

  it('a large body under the limit (parsed off the main thread) is stored', async () => {
    const data = Buffer.alloc(5 * 1024 * 1024, 7).toString('base64');
    expect(await h.call('storeMediaFile', { filename: 'large.bin', data })).toBe('large.bin');
    expect(((await h.call<string>('retrieveMediaFile', { filename: 'large.bin' })) ?? '').length).toBe(data.length);
  });
});

describe('concurrency', () => {
  it('50 clients adding notes at once: all answered, duplicates decided one at a time', async () => {
    const distinct = Array.from({ length: 50 }, (_, i) => h.post('addNote', { note: note(`client ${i}`) }));
    const same = Array.from({ length: 10 }, () => h.post('addNote', { note: note('everyone wants this one') }));
    const reads = Array.from({ length: 10 }, () => h.post('findNotes', { query: 'deck:Stress' }));
    const [a, b, c] = await Promise.all([Promise.all(distinct), Promise.all(same), Promise.all(reads)]);
    expect(a.every((r) => r.error === null && typeof r.result === 'number')).toBe(true);
    expect(new Set(a.map((r) => r.result)).size).toBe(50);
    expect(b.filter((r) => r.error === null)).toHaveLength(1);
    expect(b.filter((r) => r.error === 'cannot create note because it is a duplicate')).toHaveLength(9);
    expect(c.every((r) => Array.isArray(r.result))).toBe(true);
    expect(await h.call<number[]>('findNotes', { query: 'deck:Stress' })).toHaveLength(51);
  });

  it('batches in parallel over keep-alive connections, with connections dropped mid-request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const batch = (k: number) =>
      new Promise<{ result: unknown; error: string | null }>((resolve, reject) => {
        const body = JSON.stringify({ action: 'addNotes', version: 6, params: { notes: Array.from({ length: 100 }, (_, i) => note(`batch ${k} note ${i}`)) } });
        const req = request(h.server.url, { method: 'POST', agent }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c));
          res.on('end', () => resolve(JSON.parse(text)));
        });
        req.on('error', reject);
        req.end(body);
      });
    const aborted = Array.from({ length: 5 }, () => {
      const req = request(h.server.url, { method: 'POST', headers: { 'content-length': '1000' }, agent: false });
      req.on('error', () => undefined);
      req.write('{"action": "addNote", "params": {"note": ');
      setTimeout(() => req.destroy(), 20);
    });
    expect(aborted).toHaveLength(5);
    const results = await Promise.all(Array.from({ length: 8 }, (_, k) => batch(k)));
    agent.destroy();
    expect(results.every((r) => r.error === null && (r.result as number[]).length === 100)).toBe(true);
    expect(await h.call<number[]>('findNotes', { query: 'deck:Stress' })).toHaveLength(851);
    expect(h.session.col.storage.integrityCheck()).toBe('ok');
  });
});
