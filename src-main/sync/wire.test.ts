// Golden checks of the wire format against the protocol description (shared/spec/anki-sync.md):
// byte-exact where the protocol fixes the bytes (header, JSON bodies, key names and order,
// positional rows, bare-number error bodies), semantic where it does not (zstd frames).

import { describe, expect, it } from 'vitest';
import { parseLegacyJson } from '../storage/legacy/json';
import { zipFilesForDownload, zipFilesForUpload, unzipAndValidateUpload, unzipDownload } from './media-zip';
import {
  changesToWire,
  chunkToWire,
  EMPTY_INPUT,
  readChunk,
  readEmptyInput,
  readSanityResponse,
  readSyncMeta,
  sanityCountsToWire,
  startRequestToWire,
  syncMetaToWire,
  takeGravesChunk,
} from './protocol';
import {
  decodeSyncHeader,
  deckhandClientVersion,
  encodeSyncHeader,
  errorForStatus,
  methodUrl,
  normalizeEndpoint,
  stringifyWire,
  SyncError,
  toBase62,
  zstdDecode,
  zstdEncode,
} from './wire';

const HKEY = 'b2619aa1529dfdc4248e6edbf3c1b2a2b014cf6d'; // Anki's own tests: SYNC_USER1=user:pass

describe('header, URLs, identifiers', () => {
  it('writes the anki-sync header with the keys v, k, c, s in order', () => {
    expect(encodeSyncHeader({ v: 11, k: HKEY, c: '0.1.0,dev,linux', s: 'bHc3x' })).toBe(`{"v":11,"k":"${HKEY}","c":"0.1.0,dev,linux","s":"bHc3x"}`);
    expect(encodeSyncHeader({ v: 11, k: '', c: 'a"b', s: '' })).toBe('{"v":11,"k":"","c":"a\\"b","s":""}');
  });

  it('parses headers like the server: all four keys, v a u8', () => {
    expect(decodeSyncHeader('{"v":11,"k":"x","c":"y","s":"z","extra":1}')).toEqual({ v: 11, k: 'x', c: 'y', s: 'z' });
    expect(decodeSyncHeader('{"v":11,"k":"x","c":"y"}')).toBeNull();
    expect(decodeSyncHeader('{"v":256,"k":"x","c":"y","s":""}')).toBeNull();
    expect(decodeSyncHeader('{"v":"11","k":"x","c":"y","s":""}')).toBeNull();
    expect(decodeSyncHeader('not json')).toBeNull();
  });

  it('joins sync/<method> and msync/<method> onto a base that ends in /', () => {
    expect(methodUrl('https://sync.ankiweb.net/', 'sync', 'meta').toString()).toBe('https://sync.ankiweb.net/sync/meta');
    expect(methodUrl('http://192.168.1.200:8080', 'msync', 'begin').toString()).toBe('http://192.168.1.200:8080/msync/begin');
    expect(methodUrl('https://host/custom', 'sync', 'hostKey').toString()).toBe('https://host/custom/sync/hostKey');
    expect(normalizeEndpoint('https://sync12.ankiweb.net/?x#y')).toBe('https://sync12.ankiweb.net/');
    expect(() => normalizeEndpoint('ftp://x/')).toThrow(SyncError);
  });

  it('identifies the client in the official formats', () => {
    const v = deckhandClientVersion('0.1.0', 'abc1234', 'linux');
    expect(v.short).toBe('deckhand-0.1.0,abc1234,linux');
    expect(v.long).toBe('deckhand,0.1.0 (abc1234),linux');
  });

  it('makes session keys in base 62 (a–z, A–Z, 0–9)', () => {
    expect(toBase62(0)).toBe('a');
    expect(toBase62(61)).toBe('9');
    expect(toBase62(62)).toBe('ba');
    expect(toBase62(2 ** 32 - 1)).toBe('eQPpmd');
  });
});

describe('zstd bodies', () => {
  it('decodes frames without a content size, as the official client and server stream them', () => {
    // `printf '{"done":true}' | zstd -c`: frame header descriptor 0x04 (checksum, no FCS)
    const frame = Buffer.from('28b52ffd04586900007b22646f6e65223a747275657d6057e8c9', 'hex');
    expect(frame[4] & 0xc0).toBe(0); // no frame content size field
    expect(zstdDecode(frame).toString()).toBe('{"done":true}');
  });

  it('round-trips and caps the decompressed size', () => {
    const data = Buffer.alloc(100_000, 7);
    expect(zstdDecode(zstdEncode(data)).equals(data)).toBe(true);
    expect(() => zstdDecode(zstdEncode(data), 1000)).toThrow(/size limit/);
  });
});

describe('JSON bodies', () => {
  it('requests have the exact shapes of the official client', () => {
    expect(stringifyWire({ u: 'user', p: 'pass' })).toBe('{"u":"user","p":"pass"}');
    expect(stringifyWire({ v: 11, cv: 'deckhand,0.1.0 (dev),linux' })).toBe('{"v":11,"cv":"deckhand,0.1.0 (dev),linux"}');
    expect(stringifyWire(startRequestToWire({ minUsn: 5, lnewer: true, graves: null }))).toBe('{"minUsn":5,"lnewer":true,"graves":null}');
    expect(stringifyWire(EMPTY_INPUT)).toBe('{"_pad":null}');
    expect(stringifyWire({ chunk: { cards: [1], decks: [], notes: [2, 3] } })).toBe('{"chunk":{"cards":[1],"decks":[],"notes":[2,3]}}');
    expect(
      stringifyWire({
        client: sanityCountsToWire({ counts: [0, 0, 0], cards: 10, notes: 5, revlog: 3, graves: 1, models: 6, decks: 2, deckConfig: 1 }),
      }),
    ).toBe('{"client":[[0,0,0],10,5,3,1,6,2,1]}');
    expect(stringifyWire({ lastUsn: 0 })).toBe('{"lastUsn":0}');
    expect(stringifyWire({ files: ['a.jpg'] })).toBe('{"files":["a.jpg"]}');
    expect(stringifyWire({ local: 4 })).toBe('{"local":4}');
  });

  it('applyChanges: models, decks as [decks, configs], tags; conf and crt only from the newer side', () => {
    const base = { models: [], decks: [{ id: 1 }], dconf: [{ id: 1 }], tags: ['a::b'] };
    expect(stringifyWire(changesToWire(base))).toBe('{"models":[],"decks":[[{"id":1}],[{"id":1}]],"tags":["a::b"]}');
    const newer = { ...base, conf: new Map([['curDeck', '1'], ['x', '1.0'], ['big', '-6679331561619854360']]), crt: 1_700_000_000 };
    expect(stringifyWire(changesToWire(newer))).toBe(
      '{"models":[],"decks":[[{"id":1}],[{"id":1}]],"tags":["a::b"],"conf":{"curDeck":1,"x":1.0,"big":-6679331561619854360},"crt":1700000000}',
    );
  });

  it('keeps 64-bit integers and float literals exact through parse and re-serialisation', () => {
    const text = '{"id":-6679331561619854360,"f":1.0,"g":2.5,"n":3}';
    expect(stringifyWire(parseLegacyJson(text))).toBe(text);
  });

  it('chunks: positional rows, empty lists left out, sfld/csum/data blank on notes', () => {
    const chunk = {
      done: false,
      revlog: [{ id: 1700000000000, cid: 2, usn: 7, ease: 3, ivl: 4, lastIvl: -600, factor: 2500, time: 6123, type: 1 }],
      cards: [],
      notes: [{ id: 10, guid: 'f!G', mid: 20, mod: 1700000000, usn: 7, tags: ' a b ', flds: 'x\x1fy' }],
    };
    const wire = stringifyWire(chunkToWire(chunk));
    expect(wire).toBe('{"done":false,"revlog":[[1700000000000,2,7,3,4,-600,2500,6123,1]],"notes":[[10,"f!G",20,1700000000,7," a b ","x\\u001fy","","",0,""]]}');
    expect(readChunk(parseLegacyJson(wire))).toEqual(chunk);
    expect(stringifyWire(chunkToWire({ done: true, revlog: [], cards: [], notes: [] }))).toBe('{"done":true}');
  });

  it('cards: 18 elements in table order; floats accepted where Anki accepts them', () => {
    const row = [1, 2, 3, 0, 1700000000.5, -1, 2, 2, 12.9, 30.2, 2500, 5, 1, 0, 0, 0, 0, '{}'];
    const c = readChunk(parseLegacyJson(JSON.stringify({ cards: [row] }))).cards[0];
    expect(c).toMatchObject({ id: 1, nid: 2, did: 3, ord: 0, mod: 1700000000, usn: -1, type: 2, queue: 2, due: 12, ivl: 30, factor: 2500, data: '{}' });
    expect(() => readChunk(parseLegacyJson(JSON.stringify({ cards: [row.slice(0, 17)] })))).toThrow(/18 elements/);
    expect(() => readChunk(parseLegacyJson(JSON.stringify({ cards: [[...row.slice(0, 10), 2500.5, ...row.slice(11)]] })))).toThrow(/integer/);
  });

  it('empty requests: {} and {"_pad":null} accepted, other keys refused', () => {
    expect(() => readEmptyInput({})).not.toThrow();
    expect(() => readEmptyInput({ _pad: null })).not.toThrow();
    expect(() => readEmptyInput({ foo: 1 })).toThrow();
  });

  it('meta reply: camelCase keys plus snake_case media_usn, in Anki\'s order; every key but empty required', () => {
    const m = { mod: 1, scm: 2, usn: 3, ts: 4, msg: '', cont: true, hostNum: 0, empty: false, media_usn: 5 };
    expect(stringifyWire(syncMetaToWire(m))).toBe('{"mod":1,"scm":2,"usn":3,"ts":4,"msg":"","cont":true,"hostNum":0,"empty":false,"media_usn":5}');
    const { empty: _e, ...noEmpty } = m;
    expect(readSyncMeta(noEmpty)).toEqual({ ...m, empty: false });
    const { media_usn: _m, ...noMedia } = m;
    expect(() => readSyncMeta(noMedia)).toThrow(/media_usn/);
  });

  it('sanity reply: c/s are default-on-invalid', () => {
    expect(readSanityResponse({ status: 'bad', c: 'junk', s: null })).toEqual({ status: 'bad', c: null, s: null });
  });

  it('graves go out 250 at a time: cards first, then notes, then decks', () => {
    const g = { cards: Array.from({ length: 200 }, (_, i) => i), notes: Array.from({ length: 100 }, (_, i) => 1000 + i), decks: [5] };
    const first = takeGravesChunk(g, 250)!;
    expect([first.cards.length, first.notes.length, first.decks.length]).toEqual([200, 50, 0]);
    const second = takeGravesChunk(g, 250)!;
    expect([second.cards.length, second.notes.length, second.decks.length]).toEqual([0, 50, 1]);
    expect(takeGravesChunk(g, 250)).toBeNull();
  });
});

describe('media zips', () => {
  it('download zip: stored entries "0".."n" then _meta as an object', () => {
    const zip = zipFilesForDownload([
      { fname: 'a.jpg', data: Buffer.from('A') },
      { fname: 'b c.mp3', data: Buffer.from('BB') },
    ]);
    expect(unzipDownload(zip)).toEqual([
      { fname: 'a.jpg', data: new Uint8Array(Buffer.from('A')) },
      { fname: 'b c.mp3', data: new Uint8Array(Buffer.from('BB')) },
    ]);
    // local file headers: compression method 0 (stored)
    expect(Buffer.from(zip).readUInt16LE(8)).toBe(0);
    const text = Buffer.from(zip).toString('latin1');
    expect(text).toContain('{"0":"a.jpg","1":"b c.mp3"}');
  });

  it('upload zip: _meta is an array of [name, name-in-zip|null]; the server checks names', () => {
    const zip = zipFilesForUpload([
      { fname: 'x.png', data: Buffer.from('X') },
      { fname: 'gone.png', data: null },
    ]);
    expect(Buffer.from(zip).toString('latin1')).toContain('[["x.png","0"],["gone.png",null]]');
    const changes = unzipAndValidateUpload(zip);
    expect(changes.map((c) => [c.fname, c.kind])).toEqual([
      ['x.png', 'add'],
      ['gone.png', 'delete'],
    ]);
    expect(() => unzipAndValidateUpload(zipFilesForUpload([{ fname: 'a/b.png', data: Buffer.from('x') }]))).toThrow(/separator/);
    expect(() => unzipAndValidateUpload(zipFilesForUpload([{ fname: 'e\u0301.png', data: Buffer.from('x') }]))).toThrow(/nfc/);
    expect(() => unzipAndValidateUpload(zipFilesForUpload([{ fname: 'empty.png', data: Buffer.alloc(0) }]))).toThrow(/zero bytes/);
  });
});

describe('errors a person can act on', () => {
  it('maps status codes as the official client does', () => {
    const url = 'http://127.0.0.1:8080/sync/meta';
    expect(errorForStatus(403, '403', url)).toMatchObject({ kind: 'auth' });
    expect(errorForStatus(403, '403', url).message).toMatch(/username or password is wrong, or the saved login has expired/);
    expect(errorForStatus(400, '400', url).kind).toBe('database-check-required');
    expect(errorForStatus(409, '409', url).kind).toBe('conflict');
    expect(errorForStatus(501, '501', url).kind).toBe('client-too-old');
    for (const s of [500, 502, 503, 504]) expect(errorForStatus(s, '', url).kind).toBe('server-error');
    expect(errorForStatus(407, '', url).kind).toBe('proxy-auth');
    expect(errorForStatus(429, 'Daily limit exceeded', url).message).toMatch(/429 \(Daily limit exceeded\)/);
  });
});

