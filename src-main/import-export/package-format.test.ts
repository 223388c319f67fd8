import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zstdCompressSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, tempDir } from '../collection/test-support/check';
import { encodeMediaEntries } from '../storage/proto/codecs';
import { collectionEntryName, filenameIsSafe, PackageVersion, readMediaData, readMediaList, readPackageMeta } from './package-format';
import { ZipReader } from './zip';

const enc = new TextEncoder();
function pkg(files: Record<string, Uint8Array | string>): ZipReader {
  const p = join(tempDir(), 'p.apkg');
  writeFileSync(p, zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? enc.encode(v) : v]))));
  return ZipReader.open(p);
}
const sha = (n: number) => new Uint8Array(20).fill(n);

describe('package version', () => {
  it('from meta, else from the collection entry present', () => {
    expect(readPackageMeta(pkg({ meta: new Uint8Array([8, 3]) }))).toEqual({ version: PackageVersion.Latest });
    expect(readPackageMeta(pkg({ meta: new Uint8Array([8, 2]) }))).toEqual({ version: PackageVersion.Legacy2 });
    expect(readPackageMeta(pkg({ 'collection.anki21': 'x', 'collection.anki2': 'y' }))).toEqual({ version: PackageVersion.Legacy2 });
    expect(readPackageMeta(pkg({ 'collection.anki2': 'y' }))).toEqual({ version: PackageVersion.Legacy1 });
    expect(() => readPackageMeta(pkg({ meta: new Uint8Array([]) }))).toThrow(/newer version/);
    expect(collectionEntryName({ version: PackageVersion.Latest })).toBe('collection.anki21b');
  });

  it('the real fixtures', () => {
    const real = (n: string) => ZipReader.open(join(FIXTURES_DIR, 'real', n));
    expect(readPackageMeta(real('anki21b-apkg_spanish-cloze-audio.apkg')).version).toBe(PackageVersion.Latest);
    expect(readPackageMeta(real('anki21-legacy2-apkg_english-vocab-nested-cloze.apkg')).version).toBe(PackageVersion.Legacy2);
    expect(readPackageMeta(real('anki2-legacy1-apkg_ankidroid-templates.apkg')).version).toBe(PackageVersion.Legacy1);
  });
});

describe('media list', () => {
  it('latest: zstd protobuf; names must be normalised and safe, sha1 20 bytes', () => {
    const list = (entries: { name: string; size: number; sha1: Uint8Array }[]) => zstdCompressSync(encodeMediaEntries({ entries }));
    const meta = { version: PackageVersion.Latest } as const;
    const ok = pkg({ media: list([{ name: 'a.mp3', size: 3, sha1: sha(1) }]), '0': zstdCompressSync(enc.encode('abc')) });
    const entries = readMediaList(ok, meta);
    expect(entries.map((e) => ({ ...e, sha1: [...e.sha1!] }))).toEqual([{ name: 'a.mp3', size: 3, sha1: [...sha(1)], zipName: '0' }]);
    expect(readMediaData(ok, meta, entries[0]).toString()).toBe('abc');
    for (const bad of [
      [{ name: 'a:b.mp3', size: 1, sha1: sha(1) }],
      [{ name: 'dir/a.mp3', size: 1, sha1: sha(1) }],
      [{ name: '..', size: 1, sha1: sha(1) }],
      [{ name: 'a.mp3', size: 1, sha1: new Uint8Array(19) }],
    ])
      expect(() => readMediaList(pkg({ media: list(bad) }), meta)).toThrow(/not a valid/);
    // old AnkiDroid packages may have no media list
    expect(readMediaList(pkg({}), meta)).toEqual([]);
    // a media file missing from the archive is reported when it is needed
    expect(() => readMediaData(pkg({ media: list([{ name: 'a.mp3', size: 3, sha1: sha(1) }]) }), meta, entries[0])).toThrow(/missing from the package/);
  });

  it('legacy: a JSON map; names normalised (NFC), unsafe ones refused', () => {
    const meta = { version: PackageVersion.Legacy1 } as const;
    const nfd = 'ぱ'.normalize('NFD') + '.jpg';
    expect(readMediaList(pkg({ media: JSON.stringify({ '0': 'foo.wav', '3': nfd }) }), meta)).toEqual([
      { name: 'foo.wav', size: 0, sha1: null, zipName: '0' },
      { name: 'ぱ.jpg', size: 0, sha1: null, zipName: '3' },
    ]);
    expect(() => readMediaList(pkg({ media: '{"0": "../x"}' }), meta)).toThrow(/not a valid/);
    expect(() => readMediaList(pkg({ media: '{"a": "x"}' }), meta)).toThrow(/not a valid/);
    expect(() => readMediaList(pkg({ media: 'not json' }), meta)).toThrow(/not a valid/);
    expect(filenameIsSafe('a.png')).toBe(true);
    expect(filenameIsSafe('a/b.png')).toBe(false);
  });
});
