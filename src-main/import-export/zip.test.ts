import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DeckhandError } from '../collection/errors';
import { FIXTURES_DIR, tempDir } from '../collection/test-support/check';
import { METHOD_DEFLATE, METHOD_STORED, ZipReader, ZipWriter } from './zip';

const enc = new TextEncoder();

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}

/** Python's zipfile as an independent reader: name → content (utf-8). */
function pythonRead(path: string): Record<string, string> {
  const script = 'import sys, zipfile, json\nz = zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({i.filename: z.read(i).decode("utf-8", "replace") for i in z.infolist()}))';
  return JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' })) as Record<string, string>;
}

describe('ZipWriter / ZipReader', () => {
  async function sample(path: string, forceZip64 = false): Promise<void> {
    const w = new ZipWriter(path, { forceZip64 });
    w.add('meta', new Uint8Array([8, 3]));
    w.add('deflated.txt', enc.encode('hello '.repeat(1000)), METHOD_DEFLATE);
    await w.addStream('streamed', [enc.encode('abc'), enc.encode('def')], METHOD_STORED);
    await w.addStream('streamed-deflate', [enc.encode('x'.repeat(5000)), enc.encode('y')], METHOD_DEFLATE);
    w.add('ünïcode-名前.mp3', enc.encode('data'));
    w.add('empty', new Uint8Array(0));
    w.finish();
  }

  it('round-trips stored, deflated and streamed entries', async () => {
    const path = join(tempDir(), 'a.zip');
    await sample(path);
    const r = ZipReader.open(path);
    expect(r.entries().map((e) => e.name)).toEqual(['meta', 'deflated.txt', 'streamed', 'streamed-deflate', 'ünïcode-名前.mp3', 'empty']);
    expect([...r.read('meta')]).toEqual([8, 3]);
    expect(r.read('deflated.txt').toString()).toBe('hello '.repeat(1000));
    expect(r.entry('deflated.txt')!.method).toBe(METHOD_DEFLATE);
    expect(r.read('streamed').toString()).toBe('abcdef');
    expect(r.read('streamed-deflate').toString()).toBe('x'.repeat(5000) + 'y');
    expect((await collect(r.stream('streamed-deflate', 7))).toString()).toBe('x'.repeat(5000) + 'y');
    expect(r.read('ünïcode-名前.mp3').toString()).toBe('data');
    expect(r.read('empty').length).toBe(0);
    r.close();
  });

  it('writes archives other readers accept (fflate, Python zipfile)', async () => {
    const path = join(tempDir(), 'b.zip');
    await sample(path);
    const files = unzipSync(readFileSync(path));
    expect(new TextDecoder().decode(files['streamed'])).toBe('abcdef');
    const py = pythonRead(path);
    expect(py['streamed-deflate']).toBe('x'.repeat(5000) + 'y');
    expect(py['ünïcode-名前.mp3']).toBe('data');
  });

  it('reads and writes ZIP64 records', async () => {
    const path = join(tempDir(), 'c.zip');
    await sample(path, true);
    const r = ZipReader.open(path);
    expect(r.read('deflated.txt').toString()).toBe('hello '.repeat(1000));
    expect(r.read('streamed').toString()).toBe('abcdef');
    r.close();
    expect(pythonRead(path)['meta']).toBe('\b\u0003');
  });

  it('reads archives written by other tools', () => {
    const path = join(tempDir(), 'd.zip');
    writeFileSync(path, zipSync({ 'a.txt': enc.encode('one'), 'b/c.txt': [enc.encode('two'), { level: 9 }] }));
    const r = ZipReader.open(path);
    expect(r.read('a.txt').toString()).toBe('one');
    expect(r.read('b/c.txt').toString()).toBe('two');
    r.close();
    const fixture = ZipReader.open(join(FIXTURES_DIR, 'media.apkg'));
    expect(fixture.entries().map((e) => e.name).sort()).toEqual(['0', 'collection.anki2', 'media']);
    fixture.close();
  });

  it('refuses files that are not zips, truncated files and bad checksums', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.apkg'), 'this is not a zip file at all, just some text');
    expect(() => ZipReader.open(join(dir, 'x.apkg'))).toThrow(/not a valid package/);
    const good = readFileSync(join(FIXTURES_DIR, 'update1.apkg'));
    writeFileSync(join(dir, 'cut.apkg'), good.subarray(0, good.length - 40));
    expect(() => ZipReader.open(join(dir, 'cut.apkg'))).toThrow(DeckhandError);
    const bad = Buffer.from(good);
    const r = ZipReader.open(join(FIXTURES_DIR, 'update1.apkg'));
    const e = r.entry('media')!;
    r.close();
    // flip a byte inside the stored "media" entry's data
    const dataStart = e.offset + 30 + bad.readUInt16LE(e.offset + 26) + bad.readUInt16LE(e.offset + 28);
    bad[dataStart] ^= 0xff;
    writeFileSync(join(dir, 'flipped.apkg'), bad);
    const r2 = ZipReader.open(join(dir, 'flipped.apkg'));
    expect(() => r2.read('media')).toThrow(/checksum|decompressed/);
    r2.close();
    expect(() => ZipReader.open(join(dir, 'missing.apkg'))).toThrow(/no file/);
  });
});
