import { createHash } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basicNote, startTestHost, type TestHost } from '../test-support';
import { pyB64Decode } from './media';
import { pyGlobMatcher } from '../py-compat';

const FILENAME = '_test.txt';
const B64_1 = Buffer.from('test 1').toString('base64');
const B64_2 = Buffer.from('test 2').toString('base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

let h: TestHost;
let files: Server;
let filesUrl: string;
beforeAll(async () => {
  files = createServer((req, res) => {
    if (req.url === '/smiley.gif') {
      res.writeHead(200, { 'content-type': 'image/gif' });
      res.end(GIF);
    } else if (req.url === '/moved') {
      res.writeHead(302, { location: '/smiley.gif' });
      res.end();
    } else if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 2000);
    } else {
      res.writeHead(404);
      res.end('no');
    }
  });
  await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
  filesUrl = `http://127.0.0.1:${(files.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => files.close(() => r())));
beforeEach(async () => {
  h = await startTestHost({ services: { webTimeoutMs: 500 } });
});
afterEach(async () => h.close());

const err = async (action: string, params: unknown) => (await h.post(action, params)).error;
const storeTwo = async () => [
  await h.call<string>('storeMediaFile', { filename: FILENAME, data: B64_1 }),
  await h.call<string>('storeMediaFile', { filename: FILENAME, data: B64_2, deleteExisting: false }),
];

describe('media actions (upstream tests)', () => {
  it('stores, retrieves, lists, deletes', async () => {
    expect(await h.call('storeMediaFile', { filename: FILENAME, data: B64_1 })).toBe(FILENAME);
    expect(await h.call('retrieveMediaFile', { filename: FILENAME })).toBe(B64_1);
    const [a, b] = await storeTwo();
    expect(a).toBe(FILENAME);
    expect(b).not.toBe(FILENAME);
    expect(b).toBe(`_test-${createHash('sha1').update('test 2').digest('hex')}.txt`);
    expect(new Set(await h.call<string[]>('getMediaFilesNames', { pattern: '_tes*.txt' }))).toEqual(new Set([a, b]));
    await h.call('deleteMediaFile', { filename: a });
    expect(await h.call('retrieveMediaFile', { filename: a })).toBe(false);
    expect(await h.call('getMediaFilesNames', { pattern: '_tes*.txt' })).toEqual([b]);
    const dir = await h.call<string>('getMediaDirPath');
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(dir).toBe(h.session.info.mediaDir);
  });

  it('deleteExisting (default true) replaces; same content keeps the name', async () => {
    await h.call('storeMediaFile', { filename: 'x.txt', data: B64_1 });
    expect(await h.call('storeMediaFile', { filename: 'x.txt', data: B64_2 })).toBe('x.txt');
    expect(await h.call('retrieveMediaFile', { filename: 'x.txt' })).toBe(B64_2);
    expect(await h.call('storeMediaFile', { filename: 'x.txt', data: B64_2, deleteExisting: false })).toBe('x.txt');
  });

  it('path, url (redirects followed), skipHash; errors', async () => {
    const local = join(h.dir, 'local.bin');
    writeFileSync(local, 'from disk');
    expect(await h.call('storeMediaFile', { filename: 'disk.txt', path: local })).toBe('disk.txt');
    expect(await h.call('retrieveMediaFile', { filename: 'disk.txt' })).toBe(Buffer.from('from disk').toString('base64'));
    expect(await h.call('storeMediaFile', { filename: 'smiley.gif', url: `${filesUrl}/moved` })).toBe('smiley.gif');
    expect(await h.call('retrieveMediaFile', { filename: 'smiley.gif' })).toBe(GIF.toString('base64'));
    const md5 = createHash('md5').update('test 1').digest('hex');
    expect(await h.call('storeMediaFile', { filename: 'skip.txt', data: B64_1, skipHash: md5 })).toBe(null);
    expect(await h.call('retrieveMediaFile', { filename: 'skip.txt' })).toBe(false);
    expect(await err('storeMediaFile', { filename: 'none.txt' })).toBe('You must provide a "data", "path", or "url" field.');
    expect(await err('storeMediaFile', { filename: 'none.txt', data: '' })).toBe('You must provide a "data", "path", or "url" field.');
    expect(await err('storeMediaFile', { filename: 'a.txt', url: `${filesUrl}/missing` })).toBe(`${filesUrl}/missing download failed with return code 404`);
    expect(await err('storeMediaFile', { filename: 'a.txt', url: `${filesUrl}/slow` })).toMatch(/download failed: no answer within 0.5 s/);
    expect(await err('storeMediaFile', { filename: 'a.txt', path: '/no/such/file' })).toBe("[Errno 2] No such file or directory: '/no/such/file'");
    expect(await err('storeMediaFile', { filename: 'a.txt', data: 'abc' })).toBe('Incorrect padding');
  });

  it('names: normalised on store; retrieve strips directories; glob hides dot files', async () => {
    expect(await h.call('storeMediaFile', { filename: 'a:b?.txt', data: B64_1 })).toBe('ab.txt');
    expect(await h.call('retrieveMediaFile', { filename: '../../etc/ab.txt' })).toBe(B64_1);
    expect(await h.call('retrieveMediaFile', { filename: '../collection.anki2' })).toBe(false);
    writeFileSync(join(h.session.info.mediaDir, '.hidden'), 'x');
    expect(await h.call('getMediaFilesNames')).toEqual(['ab.txt']);
    expect(await h.call('getMediaFilesNames', { pattern: '.*' })).toEqual(['.hidden']);
    expect(await h.call('getMediaFilesNames', { pattern: '[a]?.t[!y]t' })).toEqual(['ab.txt']);
  });
});

describe('media in notes', () => {
  it('picture by url and audio by data are stored and appended; failures are appended escaped, the note still added', async () => {
    await h.call('createDeck', { deck: 'test_deck' });
    const id = await h.call<number>('addNote', {
      note: basicNote('pic', {
        picture: { url: `${filesUrl}/smiley.gif`, filename: 'smiley.gif', fields: ['Back'] },
        audio: [
          { data: B64_1, filename: 'sound.mp3', fields: ['Front', 'Nope'] },
          { url: `${filesUrl}/missing`, filename: 'gone.mp3', fields: ['Back'] },
          null,
        ],
      }),
    });
    const [info] = await h.call<{ fields: Record<string, { value: string }> }[]>('notesInfo', { notes: [id] });
    expect(info.fields.Front.value).toBe('pic[sound:sound.mp3]');
    expect(info.fields.Back.value).toBe(`back1${filesUrl}/missing download failed with return code 404<img src="smiley.gif">`);
    expect(existsSync(join(h.session.info.mediaDir, 'smiley.gif'))).toBe(true);
  });

  it('note media keeps an existing file (deleteExisting defaults to false there)', async () => {
    await h.call('createDeck', { deck: 'test_deck' });
    await h.call('storeMediaFile', { filename: 'keep.txt', data: B64_1 });
    const id = await h.call<number>('addNote', { note: basicNote('k', { audio: { data: B64_2, filename: 'keep.txt', fields: ['Back'] } }) });
    const [info] = await h.call<{ fields: Record<string, { value: string }> }[]>('notesInfo', { notes: [id] });
    expect(info.fields.Back.value).toMatch(/^back1\[sound:keep-[0-9a-f]{40}\.txt\]$/);
    expect(await h.call('retrieveMediaFile', { filename: 'keep.txt' })).toBe(B64_1);
  });

  it('updateNoteFields / updateNote append media to the named fields', async () => {
    await h.call('createDeck', { deck: 'test_deck' });
    const id = await h.call<number>('addNote', { note: basicNote('u') });
    await h.call('updateNoteFields', { note: { id, fields: { Back: 'new' }, picture: [{ data: GIF.toString('base64'), filename: 'dot.gif', fields: ['Back'] }] } });
    await h.call('updateNote', { note: { id, fields: {}, audio: { data: B64_1, filename: 'a.mp3', fields: ['Front'] } } });
    const [info] = await h.call<{ fields: Record<string, { value: string }> }[]>('notesInfo', { notes: [id] });
    expect(info.fields.Back.value).toBe('new<img src="dot.gif">');
    expect(info.fields.Front.value).toBe('u[sound:a.mp3]');
  });
});

describe('Python compatibility helpers', () => {
  it("b64decode's lenient rules", () => {
    expect(pyB64Decode('dGVzdCAx').toString()).toBe('test 1');
    expect(pyB64Decode('dGVz\ndCAx').toString()).toBe('test 1');
    expect(pyB64Decode('dGVzdA==').toString()).toBe('test');
    expect(pyB64Decode('dGVzdA==garbage').toString()).toBe('test');
    expect(() => pyB64Decode('dGVzdA')).toThrow('Incorrect padding');
    expect(() => pyB64Decode('a')).toThrow('cannot be 1 more than a multiple of 4');
  });

  it('glob', () => {
    expect(pyGlobMatcher('*')('a.txt')).toBe(true);
    expect(pyGlobMatcher('*')('.a')).toBe(false);
    expect(pyGlobMatcher('[!a]*')('b')).toBe(true);
    expect(pyGlobMatcher('[!a]*')('a')).toBe(false);
    expect(pyGlobMatcher('[a-c]x')('bx')).toBe(true);
    expect(pyGlobMatcher('a[')('a[')).toBe(true);
    expect(pyGlobMatcher('sub/*')('x')).toBe(false);
  });
});
