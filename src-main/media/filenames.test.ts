import { describe, expect, it } from 'vitest';
import {
  addHashSuffixToFileStem,
  filenameIfNormalized,
  isNonsyncableFilename,
  MAX_MEDIA_FILENAME_LENGTH,
  normalizeFilename,
  sha1Hex,
  truncateFilename,
} from './filenames';
import { isAssignedInUnicode10, UNICODE10_RANGE_COUNT } from './unicode10';

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

describe('normalizeFilename (Anki files.rs rules)', () => {
  // Anki's own test cases (rslib/src/media/files.rs `normalize`), restated.
  it.each([
    ['foo.jpg', 'foo.jpg'],
    ['con.jpg[]><:"/?*^\\|\0\r\n', 'con_.jpg'],
    ['test.', 'test._'],
    ['test ', 'test _'],
    [`${'x'.repeat(MAX_MEDIA_FILENAME_LENGTH * 2)}.jpg`, `${'x'.repeat(MAX_MEDIA_FILENAME_LENGTH - '.jpg'.length - 1)}.jpg`],
  ])('Anki test: %j → %j', (input, want) => {
    expect(normalizeFilename(input)).toBe(want);
  });

  it.each([
    // NFC
    ['pa\u0301pa.jpg', 'pápa.jpg'],
    ['ぱぱ.jpg'.normalize('NFD'), 'ぱぱ.jpg'],
    // NBSP becomes a space
    ['a\u00a0b.mp3', 'a b.mp3'],
    // Windows device names, any case, bare or before a dot
    ['CON', 'CON_'],
    ['aux', 'aux_'],
    ['Nul.txt', 'Nul_.txt'],
    ['com5.txt.bak', 'com5_.txt.bak'],
    ['LPT9', 'LPT9_'],
    ['COM0', 'COM0'],
    ['auxiliary.txt', 'auxiliary.txt'],
    ['xcon.txt', 'xcon.txt'],
    // control characters and the forbidden set
    ['a\tb\u007fc.png', 'abc.png'],
    ['what?.png', 'what.png'],
    ['[sound].mp3', 'sound.mp3'],
    // characters unassigned in Unicode 10 (Anki's tables), even if assigned today
    ['a\u0378b.jpg', 'ab.jpg'],
    ['love\u{1f970}.png', 'love.png'], // U+1F970 arrived in Unicode 11
    ['smile\u{1f600}.png', 'smile\u{1f600}.png'], // Unicode 6.1
    ['private\ue000.png', 'private\ue000.png'],
    ['lone\ud800.png', 'lone.png'],
    // trailing dot/space after removals
    ['file.?', 'file._'],
    // non-ASCII names stay
    ['Straße – Σίσυφος.mp3', 'Straße – Σίσυφος.mp3'],
  ])('%j → %j', (input, want) => {
    expect(normalizeFilename(input)).toBe(want);
  });

  it('caps names at 120 UTF-8 bytes on a character boundary, extension at 10 bytes', () => {
    const jp = normalizeFilename(`${'ぱ'.repeat(60)}.jpg`);
    expect(utf8(jp)).toBeLessThanOrEqual(120);
    expect(jp).toBe(`${'ぱ'.repeat(38)}.jpg`); // 120 - 4 - 2 = 114 bytes of stem = 38 chars
    expect(normalizeFilename(`a.${'b'.repeat(200)}`)).toBe('a.bbbbbbbbbb');
    expect(normalizeFilename('x'.repeat(130))).toBe('x'.repeat(118));
  });
});

describe('truncateFilename (Anki `truncation` test)', () => {
  it.each([
    ['x'.repeat(119), 'x'.repeat(119)],
    ['x'.repeat(120), 'x'.repeat(120)],
    [`${'x'.repeat(116)}.jpg`, `${'x'.repeat(116)}.jpg`],
    ['x'.repeat(121), 'x'.repeat(118)],
    [' '.repeat(121), `${' '.repeat(118)}_`],
  ])('%#', (input, want) => {
    expect(truncateFilename(input, MAX_MEDIA_FILENAME_LENGTH)).toBe(want);
  });
});

describe('hash suffix', () => {
  it('matches Anki (`add_hash_suffix` test)', () => {
    expect(addHashSuffixToFileStem('test.jpg', sha1Hex('hello'))).toBe('test-aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d.jpg');
  });
  it('keeps the whole name within 120 bytes', () => {
    const n = addHashSuffixToFileStem(`${'y'.repeat(200)}.jpeg`, sha1Hex('x'));
    expect(utf8(n)).toBeLessThanOrEqual(120);
    expect(n.endsWith(`-${sha1Hex('x')}.jpeg`)).toBe(true);
  });
});

describe('filenameIfNormalized / nonsyncable', () => {
  it('accepts only normalised names (NFD accepted as NFC on macOS)', () => {
    const nfd = 'ぱぱ.jpg'.normalize('NFD');
    expect(filenameIfNormalized('ok.jpg', 'linux')).toBe('ok.jpg');
    expect(filenameIfNormalized('foo[.jpg', 'linux')).toBeNull();
    expect(filenameIfNormalized(nfd, 'linux')).toBeNull();
    expect(filenameIfNormalized(nfd, 'darwin')).toBe('ぱぱ.jpg');
    expect(filenameIfNormalized('con.txt', 'darwin')).toBeNull();
  });
  it('ignores thumbs.db and .ds_store in any case', () => {
    expect(isNonsyncableFilename('Thumbs.db')).toBe(true);
    expect(isNonsyncableFilename('.DS_Store')).toBe(true);
    expect(isNonsyncableFilename('thumbs.db2')).toBe(false);
  });
});

describe('Unicode 10 assigned table', () => {
  it('has the size of Unicode 10.0 (274,223 assigned non-surrogate code points)', () => {
    let n = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) if (isAssignedInUnicode10(cp)) n++;
    expect(n).toBe(274223);
    expect(UNICODE10_RANGE_COUNT).toBeGreaterThan(600);
  });
  it('is a subset of what the current Unicode assigns', () => {
    const cn = /\p{Cn}/u;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (isAssignedInUnicode10(cp) && cn.test(String.fromCodePoint(cp))) throw new Error(`U+${cp.toString(16)}`);
    }
  });
});
