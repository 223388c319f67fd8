// The sync server's replies to raw requests, checked byte for byte against the protocol
// description (shared/spec/anki-sync.md), and the client's transport rules against fake servers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { tempDir } from '../collection/test-support/check';
import { SyncHttpClient } from './http-client';
import { unzipDownload, zipFilesForUpload } from './media-zip';
import { EMPTY_INPUT } from './protocol';
import { Collection } from '../collection/collection';
import { login, onlineSyncStatus, SyncClient } from './sync-client';
import { deriveHostKey, startSyncServer, type SyncServer, verifyPbkdf2Phc } from './sync-server';
import { encodeSyncHeader, stringifyWire, SyncError, zstdDecode, zstdEncode } from './wire';

const HKEY = 'b2619aa1529dfdc4248e6edbf3c1b2a2b014cf6d'; // Anki's own tests: SYNC_USER1=user:pass

describe('users and passwords', () => {
  it('derives the self-hosted host key as Anki does', () => {
    expect(deriveHostKey('user:pass')).toBe(HKEY);
  });

  it('verifies PHC PBKDF2 hashes (PASSWORDS_HASHED)', () => {
    // RFC 6070-style PBKDF2-HMAC-SHA256 vector (P=passwordPASSWORDpassword, S=saltSALT…, c=4096, dkLen=40)
    const phc = '$pbkdf2-sha256$i=4096,l=40$c2FsdFNBTFRzYWx0U0FMVHNhbHRTQUxUc2FsdFNBTFRzYWx0$NIyJ28vTKy8y2BS4EW6EzysXNH68GAAYHE4qH7jdU+HGNVGMfaxH6Q';
    expect(verifyPbkdf2Phc('passwordPASSWORDpassword', phc)).toBe(true);
    expect(verifyPbkdf2Phc('password', phc)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// the server's replies, byte for byte, to raw requests

describe('server replies on the wire', () => {
  let server: SyncServer;
  beforeAll(async () => {
    server = await startSyncServer({ port: 0, dataDir: join(tempDir('deckhand-sync-wire-'), 'data'), users: ['user:pass'] });
  });
  afterAll(() => server.close());

  async function raw(path: string, opts: { header?: string | null; body?: unknown; method?: string; rawBody?: Buffer } = {}) {
    const body = opts.rawBody ?? (opts.body === undefined ? Buffer.alloc(0) : zstdEncode(Buffer.from(stringifyWire(opts.body))));
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (opts.header !== null) headers['anki-sync'] = opts.header ?? encodeSyncHeader({ v: 11, k: HKEY, c: 'test', s: 'sess1' });
    const res = await fetch(new URL(path, server.url), { method: opts.method ?? 'POST', headers, body: opts.method === 'GET' ? undefined : new Uint8Array(body) });
    const buf = Buffer.from(await res.arrayBuffer());
    return { status: res.status, size: res.headers.get('anki-original-size'), buf, text: buf.toString() };
  }

  it('hostKey: {"key": hkey}; wrong password → 403 with the bare code as body', async () => {
    const good = await raw('sync/hostKey', { header: encodeSyncHeader({ v: 11, k: '', c: 'test', s: '' }), body: { u: 'user', p: 'pass' } });
    expect(good.status).toBe(200);
    const json = zstdDecode(good.buf).toString();
    expect(json).toBe(`{"key":"${HKEY}"}`);
    expect(good.size).toBe(String(json.length));
    const bad = await raw('sync/hostKey', { header: encodeSyncHeader({ v: 11, k: '', c: 'test', s: '' }), body: { u: 'user', p: 'nope' } });
    expect([bad.status, bad.text, bad.size]).toEqual([403, '403', null]);
    const nobody = await raw('sync/hostKey', { header: encodeSyncHeader({ v: 11, k: '', c: 'test', s: '' }), body: { u: 'nobody', p: 'pass' } });
    expect(nobody.status).toBe(403);
  });

  it('meta: every key, media_usn snake_case; unknown hkey → 403; v outside 8..11 → 501', async () => {
    const r = await raw('sync/meta', { body: { v: 11, cv: 'test' } });
    expect(r.status).toBe(200);
    const text = zstdDecode(r.buf).toString();
    expect(Object.keys(JSON.parse(text))).toEqual(['mod', 'scm', 'usn', 'ts', 'msg', 'cont', 'hostNum', 'empty', 'media_usn']);
    expect(JSON.parse(text)).toMatchObject({ mod: 0, usn: 0, msg: '', cont: true, hostNum: 0, empty: true, media_usn: 0 });
    expect(Number(r.size)).toBe(Buffer.byteLength(text));
    expect((await raw('sync/meta', { header: encodeSyncHeader({ v: 11, k: 'nope', c: 't', s: '' }), body: { v: 11, cv: 't' } })).status).toBe(403);
    const old = await raw('sync/meta', { body: { v: 7, cv: 'test' } });
    expect([old.status, old.text]).toEqual([501, '501']);
  });

  it('header problems → 400; unknown method → 400; unknown path → 404; health → 200', async () => {
    expect((await raw('sync/meta', { header: null, body: { v: 11, cv: 't' } })).status).toBe(400);
    expect((await raw('sync/meta', { header: '{"v":11}', body: { v: 11, cv: 't' } })).status).toBe(400);
    expect((await raw('sync/meta', { header: encodeSyncHeader({ v: 12, k: HKEY, c: 't', s: '' }), body: { v: 11, cv: 't' } })).status).toBe(400);
    expect((await raw('sync/meta', { rawBody: Buffer.from('{"v":11,"cv":"t"}') })).status).toBe(400); // not zstd
    expect((await raw('sync/bogus', { body: {} })).status).toBe(400);
    expect((await raw('other/thing', { body: {} })).status).toBe(404);
    expect((await raw('health', { method: 'GET' })).status).toBe(200);
  });

  it('stateful methods: missing skey → 400, no active sync → 409; chunk refuses unknown keys', async () => {
    expect((await raw('sync/chunk', { header: encodeSyncHeader({ v: 11, k: HKEY, c: 't', s: '' }), body: EMPTY_INPUT })).status).toBe(400);
    expect((await raw('sync/chunk', { body: EMPTY_INPUT })).status).toBe(409);
    const start = await raw('sync/start', { body: { minUsn: 0, lnewer: false, graves: null } });
    expect(start.status).toBe(200);
    expect(zstdDecode(start.buf).toString()).toBe('{"cards":[],"decks":[],"notes":[]}');
    expect((await raw('sync/chunk', { header: encodeSyncHeader({ v: 11, k: HKEY, c: 't', s: 'other' }), body: EMPTY_INPUT })).status).toBe(409);
    const graves = await raw('sync/applyGraves', { body: { chunk: { cards: [], decks: [], notes: [] } } });
    expect([graves.status, zstdDecode(graves.buf).toString(), graves.size]).toEqual([200, 'null', '4']);
    const chunk = await raw('sync/chunk', { body: {} });
    expect(zstdDecode(chunk.buf).toString()).toBe('{"done":true}');
    expect((await raw('sync/chunk', { body: { foo: 1 } })).status).toBe(400);
    // a request refused before it reaches the sync state leaves the session alive (as Anki)
    expect((await raw('sync/chunk', { body: EMPTY_INPUT })).status).toBe(200);
    // an op that fails inside the session drops it: a note whose notetype does not exist
    const bad = await raw('sync/applyChunk', { body: { chunk: { done: true, notes: [[1, 'g', 999, 1700000000, 0, '', 'a', '', '', 0, '']] } } });
    expect(bad.status).toBe(400);
    expect((await raw('sync/chunk', { body: EMPTY_INPUT })).status).toBe(409);
    const abort = await raw('sync/abort', { body: EMPTY_INPUT });
    expect([abort.status, zstdDecode(abort.buf).toString()]).toEqual([200, 'null']);
  });

  it('media: begin/mediaChanges/mediaSanity wrapped in {"data","err"}; begin needs a client version', async () => {
    const begin = await raw('msync/begin', { body: { v: 'test' } });
    expect(zstdDecode(begin.buf).toString()).toBe(`{"data":{"usn":0,"sk":"${HKEY}"},"err":""}`);
    expect((await raw('msync/begin', { body: {} })).status).toBe(400);
    const changes = await raw('msync/mediaChanges', { body: { lastUsn: 0 } });
    expect(zstdDecode(changes.buf).toString()).toBe('{"data":[],"err":""}');
    const sanity = await raw('msync/mediaSanity', { body: { local: 0 } });
    expect(zstdDecode(sanity.buf).toString()).toBe('{"data":"OK","err":""}');
    const upload = await raw('msync/uploadChanges', { rawBody: zstdEncode(zipFilesForUpload([{ fname: 'a.txt', data: Buffer.from('hi') }])) });
    expect(zstdDecode(upload.buf).toString()).toBe('{"data":[1,1],"err":""}');
    expect((await raw('msync/downloadFiles', { body: { files: ['missing.jpg'] } })).status).toBe(409);
    expect((await raw('msync/downloadFiles', { body: { files: Array.from({ length: 26 }, (_, i) => `${i}.jpg`) } })).status).toBe(400);
    const dl = await raw('msync/downloadFiles', { body: { files: ['a.txt'] } });
    expect(unzipDownload(zstdDecode(dl.buf))).toEqual([{ fname: 'a.txt', data: new Uint8Array(Buffer.from('hi')) }]);
    // legacy GET begin: plain JSON
    const legacy = await raw(`msync/begin?k=${HKEY}&v=anki,2.1.50`, { method: 'GET' });
    expect([legacy.status, legacy.text, legacy.size]).toEqual([200, `{"data":{"usn":1,"sk":"${HKEY}"},"err":""}`, null]);
  });

  it('upload: a file that is not a collection gets the corrupt message (HTTP 200, bare text)', async () => {
    const r = await raw('sync/upload', { rawBody: zstdEncode(Buffer.from('definitely not sqlite')) });
    expect(r.status).toBe(200);
    expect(zstdDecode(r.buf).toString()).toBe('Your upload was corrupt. Please use Check Database, or restore from backup.');
  });

  it('client: login gives the key; a wrong password is a clear auth error', async () => {
    expect(await login(server.url, 'user', 'pass')).toBe(HKEY);
    const err = await login(server.url, 'user', 'wrong').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).kind).toBe('auth');
    expect((err as SyncError).message).toMatch(/username or password is wrong/);
  });
});

describe('client transport rules', () => {
  let fake: http.Server;
  let base: string;
  let real: SyncServer;
  const seen: string[] = [];
  beforeAll(async () => {
    real = await startSyncServer({ port: 0, dataDir: join(tempDir('deckhand-sync-308-'), 'data'), users: ['user:pass'] });
    fake = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      req.resume();
      req.on('end', () => {
        if (req.url === '/sync/meta') {
          res.writeHead(308, { location: real.url });
          res.end();
        } else if (req.url === '/skew/sync/meta' || req.url === '/stop/sync/meta') {
          const stop = req.url.startsWith('/stop');
          const meta = { mod: 1, scm: 1, usn: 1, ts: Math.floor(Date.now() / 1000) + (stop ? 0 : 301), msg: stop ? 'Please update.' : '', cont: !stop, hostNum: 0, empty: false, media_usn: 0 };
          const body = Buffer.from(JSON.stringify(meta));
          res.writeHead(200, { 'anki-original-size': String(body.length) });
          res.end(zstdEncode(body));
        } else if (req.url === '/nosize/sync/meta') {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end('<html>not a sync server</html>');
        } else {
          res.writeHead(500);
          res.end('500');
        }
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    fake.close();
    await real.close();
  });

  it('follows a 308 on meta once and keeps the new endpoint for later calls', async () => {
    const client = SyncClient.create({ endpoint: base, hostKey: HKEY });
    const { meta, newEndpoint } = await client.meta();
    expect(newEndpoint).toBe(real.url);
    expect(meta.empty).toBe(true);
    expect(client.endpoint).toBe(real.url);
    await client.mediaBegin(); // goes to the new endpoint, not the fake
    expect(seen).toEqual(['/sync/meta']);
  });

  it('a 2xx reply without anki-original-size is not a sync reply', async () => {
    const err = await SyncClient.create({ endpoint: `${base}nosize/`, hostKey: HKEY })
      .meta()
      .catch((e: unknown) => e);
    expect((err as SyncError).kind).toBe('bad-response');
    expect((err as SyncError).message).toMatch(/anki-original-size/);
  });

  it('a clock more than 5 minutes off, or cont=false, stops the sync with a clear message', async () => {
    const dir = tempDir('deckhand-sync-skew-');
    const col = Collection.create(join(dir, 'collection.anki2'));
    const skew = await onlineSyncStatus(col, SyncClient.create({ endpoint: `${base}skew/`, hostKey: HKEY })).catch((e: unknown) => e);
    expect((skew as SyncError).kind).toBe('clock-incorrect');
    expect((skew as SyncError).message).toMatch(/clock is 30[01] seconds behind/);
    const stop = await onlineSyncStatus(col, SyncClient.create({ endpoint: `${base}stop/`, hostKey: HKEY })).catch((e: unknown) => e);
    expect((stop as SyncError).kind).toBe('server-message');
    expect((stop as SyncError).message).toMatch(/Please update\./);
    col.close();
  });

  it('connection refused and stalls give clear network errors', async () => {
    const refused = await SyncClient.create({ endpoint: 'http://127.0.0.1:1/', hostKey: HKEY })
      .meta()
      .catch((e: unknown) => e);
    expect((refused as SyncError).kind).toBe('network');
    expect((refused as SyncError).message).toMatch(/refused/);
    const silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const http2 = new SyncHttpClient({ endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, ioTimeoutMs: 200 });
    const stalled = await http2.json('sync', 'meta', {}).catch((e: unknown) => e);
    expect((stalled as SyncError).kind).toBe('timeout');
    silent.closeAllConnections();
    silent.close();
  });
});
