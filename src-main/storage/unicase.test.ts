import Database from 'better-sqlite3';
import ucdFoldC from '@unicode/unicode-12.1.0/Case_Folding/C/code-points.mjs';
import ucdFoldF from '@unicode/unicode-12.1.0/Case_Folding/F/code-points.mjs';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUnicase, UNICASE_EXT_ENV, unicaseCompare, unicaseEquals, unicaseExtensionPath, unicaseFold } from './unicase';

const root = resolve(import.meta.dirname, '..', '..');
const FIXTURE_REL = join('fixtures', 'anki', 'real', 'schema18-raw_zh-ui-fsrs_collection.anki2');
// shared/ sits beside the repo (CI) or at /work/shared (development machines)
const FIXTURE = [join(root, '..', 'shared', FIXTURE_REL), join('/work/shared', FIXTURE_REL)].find((p) => existsSync(p));

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const cps = (s: string) => [...s].map((c) => c.codePointAt(0)!.toString(16));

/**
 * Reference fold table: Unicode 12.1.0 CaseFolding.txt, statuses C and F (full case folding), from
 * the npm package @unicode/unicode-12.1.0, with the one quirk of unicase 2.6.0 applied: a
 * three-code-point folding is emitted as (3rd, 1st, 2nd). Code point -> folded sequence.
 */
function ucdFolds(): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (const [cp, to] of ucdFoldC) m.set(cp, [to]);
  for (const [cp, seq] of ucdFoldF) {
    if (m.has(cp)) throw new Error(`U+${cp.toString(16)} has both a C and an F folding`);
    m.set(cp, seq.length === 3 ? [seq[2], seq[0], seq[1]] : [...seq]);
  }
  return m;
}

/** Reference model of the collation: fold every code point with the table (lone surrogates are
 * U+FFFD, as in UTF-8), then compare the folded sequences by code point. Returns -1, 0 or 1. */
function refCompare(folds: Map<number, number[]>, a: string, b: string): number {
  const key = (s: string) =>
    [...s].flatMap((ch) => {
      const cp = ch.codePointAt(0)!;
      const c = cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
      return folds.get(c) ?? [c];
    });
  const x = key(a);
  const y = key(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return sign(x.length - y.length);
}

/**
 * Hand-written expectations, from CaseFolding.txt of Unicode 12.1.0 (statuses C and F), with the
 * rotation of three-code-point foldings. [character, folded form, what it is].
 */
const SAMPLE: readonly (readonly [string, string, string])[] = [
  // Latin
  ['A', 'a', 'ASCII capital'],
  ['Z', 'z', 'ASCII capital'],
  ['a', 'a', 'ASCII small: unchanged'],
  ['@', '@', 'before A: unchanged'],
  ['[', '[', 'after Z: unchanged'],
  ['\u00c0', '\u00e0', 'À'],
  ['\u00c5', '\u00e5', 'Å'],
  ['\u00de', '\u00fe', 'Þ'],
  ['\u00d7', '\u00d7', '× between the capitals: unchanged'],
  ['\u00df', 'ss', 'ß (F)'],
  ['\u1e9e', 'ss', 'ẞ capital sharp s (F)'],
  ['\u00ff', '\u00ff', 'ÿ: unchanged'],
  ['\u0178', '\u00ff', 'Ÿ'],
  ['\u00b5', '\u03bc', 'µ micro sign -> Greek mu'],
  ['\u0130', 'i\u0307', 'İ (F, not the Turkic T mapping)'],
  ['\u0131', '\u0131', 'ı dotless i: unchanged'],
  ['\u0149', '\u02bcn', 'ŉ (F)'],
  ['\u017f', 's', 'ſ long s'],
  ['\u01c4', '\u01c6', 'Ǆ'],
  ['\u01c5', '\u01c6', 'ǅ title case'],
  ['\u01c6', '\u01c6', 'ǆ: unchanged'],
  ['\u01f0', 'j\u030c', 'ǰ (F)'],
  ['\u1e96', 'h\u0331', 'ẖ (F)'],
  ['\u1e9b', '\u1e61', 'ẛ'],
  ['\u212a', 'k', 'KELVIN SIGN'],
  ['\u212b', '\u00e5', 'ANGSTROM SIGN'],
  ['\u2160', '\u2170', 'Roman numeral one'],
  ['\u24b6', '\u24d0', 'circled A'],
  ['\uff21', '\uff41', 'fullwidth A'],
  ['\ua7b8', '\ua7b9', 'Ꞹ (Unicode 11.0)'],
  ['\ua7c2', '\ua7c3', 'ANGLICANA W (Unicode 12.0)'],
  // ligatures
  ['\ufb00', 'ff', 'ﬀ'],
  ['\ufb01', 'fi', 'ﬁ'],
  ['\ufb02', 'fl', 'ﬂ'],
  ['\ufb03', 'iff', 'ﬃ: f f i rotated'],
  ['\ufb04', 'lff', 'ﬄ: f f l rotated'],
  ['\ufb05', 'st', 'ﬅ'],
  ['\ufb06', 'st', 'ﬆ'],
  // Greek
  ['\u03a3', '\u03c3', 'Σ'],
  ['\u03c2', '\u03c3', 'ς final sigma'],
  ['\u03c3', '\u03c3', 'σ: unchanged'],
  ['\u0390', '\u0301\u03b9\u0308', 'ΐ: ι ̈ ́ rotated'],
  ['\u1fd3', '\u0301\u03b9\u0308', 'ΐ with oxia: same folding as U+0390'],
  ['\u03b0', '\u0301\u03c5\u0308', 'ΰ: υ ̈ ́ rotated'],
  ['\u0345', '\u03b9', 'combining ypogegrammeni'],
  ['\u1fbe', '\u03b9', 'prosgegrammeni'],
  ['\u03d0', '\u03b2', 'ϐ beta symbol'],
  ['\u03f4', '\u03b8', 'ϴ'],
  ['\u1f88', '\u1f00\u03b9', 'ᾈ (F)'],
  ['\u1fb2', '\u1f70\u03b9', 'ᾲ (F)'],
  ['\u1fb3', '\u03b1\u03b9', 'ᾳ (F)'],
  ['\u1fbc', '\u03b1\u03b9', 'ᾼ (F, not the simple S mapping)'],
  ['\u1fb7', '\u03b9\u03b1\u0342', 'ᾷ: α ͂ ι rotated'],
  ['\u2126', '\u03c9', 'OHM SIGN'],
  // Cyrillic
  ['\u0401', '\u0451', 'Ё'],
  ['\u0414', '\u0434', 'Д'],
  ['\u0460', '\u0461', 'Ѡ'],
  ['\u04c0', '\u04cf', 'Ӏ palochka'],
  ['\u1c80', '\u0432', 'rounded ve'],
  // Armenian
  ['\u0531', '\u0561', 'Ա'],
  ['\u0587', '\u0565\u0582', 'և (F)'],
  ['\ufb13', '\u0574\u0576', 'ﬓ men now (F)'],
  ['\ufb17', '\u0574\u056d', 'ﬗ men xeh (F)'],
  // Georgian
  ['\u10a0', '\u2d00', 'Asomtavruli An'],
  ['\u1c90', '\u10d0', 'Mtavruli An (Unicode 11.0)'],
  ['\u10d0', '\u10d0', 'Mkhedruli an: unchanged'],
  // Cherokee folds to the capitals
  ['\u13a0', '\u13a0', 'Cherokee capital A: unchanged'],
  ['\uab70', '\u13a0', 'Cherokee small a -> capital'],
  ['\u13f8', '\u13f0', 'Cherokee small ye -> capital'],
  ['\u13f0', '\u13f0', 'Cherokee capital ye: unchanged'],
  // astral
  ['\u{10400}', '\u{10428}', 'Deseret long I'],
  ['\u{10428}', '\u{10428}', 'Deseret small long i: unchanged'],
  ['\u{104b0}', '\u{104d8}', 'Osage'],
  ['\u{10c80}', '\u{10cc0}', 'Old Hungarian'],
  ['\u{118a0}', '\u{118c0}', 'Warang Citi'],
  ['\u{16e40}', '\u{16e60}', 'Medefaidrin (Unicode 11.0)'],
  ['\u{1e900}', '\u{1e922}', 'Adlam'],
  ['\u{1f600}', '\u{1f600}', 'emoji: unchanged'],
  // letters added after Unicode 12.1: not folded by unicase 2.6.0
  ['\u2c00', '\u2c30', 'Glagolitic Az (old)'],
  ['\u2c2f', '\u2c2f', 'Glagolitic caudate chrivi (Unicode 14.0)'],
  ['\ua7c7', '\ua7c7', 'D with short stroke overlay (Unicode 13.0)'],
  ['\ua7f5', '\ua7f5', 'reversed half H (Unicode 13.0)'],
  ['\ua7c0', '\ua7c0', 'old Polish o (Unicode 14.0)'],
  ['\u{10570}', '\u{10570}', 'Vithkuqi (Unicode 14.0)'],
];

/** Deterministic xorshift32. */
function rng(seed: number) {
  let x = seed >>> 0;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

/** String::from_utf8_lossy: every maximal invalid subpart becomes one U+FFFD, a BOM is kept. The
 * WHATWG UTF-8 decoder follows the same (Unicode) rule. */
const lossy = (b: Buffer) => new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(b);

/**
 * A few thousand pairs of UTF-8 byte strings, with a fixed seed: names built from characters where
 * the collation is tricky, often case variants of each other, and every fourth pair with invalid
 * UTF-8 spliced in.
 */
function randomPairs(count: number): { a: Buffer; b: Buffer }[] {
  const rnd = rng(0x2545f491);
  const alphabet = [
    ...'aAbBsSzZkKiIfFlLtT09 _:-.~',
    '\x1f', '\x7f', '\ufeff',
    ...'ßẞéÉÿŸµΜμÅåÅKſŉǰİıǅǄΣσςΐΰᾲᾼͅι',
    '\u0301', '\u0308', '\u0307', '\u0342',
    ...'ﬀﬁﬂﬃﬄﬅﬆևﬓДдЁёႠⴀᲐაᎠꭰ',
    ...'中日本한글Ａａ\ufffd\ue000\uffee',
    '😀', '🎉', '𐐀', '𐐨', '𞤀', '𞤢', '\u{10ffff}',
    '\u2c2f', '\ua7c0', '\u{10570}', // newer than Unicode 12.1
  ];
  const junk = [[0x80], [0xbf], [0xc0], [0xc1, 0x81], [0xc3], [0xe2, 0x82], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf0, 0x9f], [0xf0, 0x9f, 0x98], [0xf4, 0x90, 0x80, 0x80], [0xf5], [0xff], [0xfe, 0xff]];
  const name = () => {
    let s = '';
    for (let i = rnd(7); i > 0; i--) s += alphabet[rnd(alphabet.length)];
    return s;
  };
  const variant = (s: string) => {
    let out = '';
    for (const ch of s) {
      const r = rnd(6);
      if (r === 0) out += ch.toUpperCase();
      else if (r === 1) out += ch.toLowerCase();
      else if (r === 2 && ch === 'ß') out += 'ss';
      else if (r === 2 && ch === 'ﬃ') out += 'iff';
      else if (r === 2 && ch === 'ﬁ') out += 'FI';
      else out += ch;
    }
    if (rnd(4) === 0) out += alphabet[rnd(alphabet.length)];
    return out;
  };
  const splice = (b: Buffer) => {
    const j = Buffer.from(junk[rnd(junk.length)]);
    const at = rnd(b.length + 1);
    return Buffer.concat([b.subarray(0, at), j, b.subarray(at)]);
  };
  const pairs: { a: Buffer; b: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const sa = name();
    const sb = rnd(2) ? variant(sa) : name();
    let a = Buffer.from(sa, 'utf8');
    let b = Buffer.from(sb, 'utf8');
    if (i % 4 === 0) {
      const r = rnd(3);
      if (r !== 1) a = splice(a);
      if (r !== 0) b = splice(b);
    }
    pairs.push({ a, b });
  }
  return pairs;
}

const isValidUtf8 = (b: Buffer) => Buffer.from(b.toString('utf8'), 'utf8').equals(b);

/** Code-point (= UTF-8 byte) order, SQLite's BINARY collation. */
const binary = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function openMem(): Database.Database {
  const db = new Database(':memory:');
  registerUnicase(db);
  return db;
}

describe('unicaseCompare / unicaseFold (pure JS)', () => {
  it('ASCII: case-insensitive, byte order otherwise', () => {
    expect(unicaseCompare('abc', 'ABC')).toBe(0);
    expect(unicaseCompare('Default', 'default')).toBe(0);
    expect(sign(unicaseCompare('a', 'B'))).toBe(-1);
    expect(sign(unicaseCompare('B', 'a'))).toBe(1);
    expect(sign(unicaseCompare('abc', 'abcd'))).toBe(-1);
    expect(sign(unicaseCompare('', 'a'))).toBe(-1);
    expect(unicaseCompare('', '')).toBe(0);
    // '_' (0x5F) sorts after 'Z' bytewise but before 'z': unicase lower-cases first
    expect(sign(unicaseCompare('_x', 'Zx'))).toBe(-1);
    // deck separator U+001F sorts before space
    expect(sign(unicaseCompare('A\x1fb', 'a b'))).toBe(-1);
  });

  it('ß, ẞ, ss and SS are equal', () => {
    for (const [a, b] of [
      ['Maße', 'MASSE'],
      ['Maße', 'masse'],
      ['ß', 'ss'],
      ['ẞ', 'ss'],
      ['ß', 'SS'],
      ['STRASSE', 'straße'],
    ]) {
      expect(unicaseCompare(a, b), `${a} vs ${b}`).toBe(0);
      expect(unicaseEquals(b, a)).toBe(true);
    }
    expect(sign(unicaseCompare('ß', 's'))).toBe(1);
    expect(sign(unicaseCompare('ß', 'st'))).toBe(-1);
  });

  it('Greek sigma forms are equal; polytonic folds', () => {
    expect(unicaseCompare('Σ', 'σ')).toBe(0);
    expect(unicaseCompare('σ', 'ς')).toBe(0);
    expect(unicaseCompare('ΟΔΟΣ', 'οδος')).toBe(0);
    expect(unicaseCompare('ᾲ στο διάολο', 'ὰι στο διάολο')).toBe(0); // example from the crate's tests
    expect(unicaseCompare('µ', 'μ')).toBe(0); // micro sign folds to mu
  });

  it('Turkish dotted/dotless i', () => {
    // İ folds to "i" + U+0307; ı has no folding
    expect(unicaseFold('İ')).toBe('i\u0307');
    expect(unicaseFold('ı')).toBe('ı');
    expect(sign(unicaseCompare('i', 'İ'))).toBe(-1);
    expect(sign(unicaseCompare('İ', 'ı'))).toBe(-1);
    expect(unicaseCompare('I', 'i')).toBe(0);
    expect(unicaseEquals('ı', 'i')).toBe(false);
    expect(unicaseEquals('İ', 'i\u0307')).toBe(true);
  });

  it('ligatures, and the crate\'s rotated 3-code-point foldings', () => {
    expect(unicaseCompare('ﬂour', 'flour')).toBe(0);
    expect(unicaseCompare('ﬂ', 'FL')).toBe(0);
    expect(unicaseCompare('ﬁ', 'fi')).toBe(0);
    // U+FB03 folds to "ffi" in Unicode, but unicase 2.6 emits (3rd, 1st, 2nd) = "iff"
    expect(unicaseFold('ﬃ')).toBe('iff');
    expect(unicaseCompare('ﬃ', 'IFF')).toBe(0);
    expect(sign(unicaseCompare('ﬃ', 'ffi'))).toBe(1);
    expect(cps(unicaseFold('ΐ'))).toEqual(['301', '3b9', '308']);
  });

  it('CJK, Hangul, emoji and astral characters: code-point order, not UTF-16 order', () => {
    expect(sign(unicaseCompare('中', '日'))).toBe(-1);
    expect(sign(unicaseCompare('한글', '中'))).toBe(1);
    expect(unicaseCompare('流媒体', '流媒体')).toBe(0);
    // U+1F600 > U+E000 by code point, though its UTF-16 form (D83D...) is smaller
    expect('😀' < '\ue000').toBe(true);
    expect(sign(unicaseCompare('😀', '\ue000'))).toBe(1);
    expect(sign(unicaseCompare('😀', '🎉'))).toBe(1);
    // Deseret and Adlam have case pairs above U+FFFF
    expect(unicaseCompare('𐐀', '𐐨')).toBe(0);
    expect(unicaseCompare('𞤀', '𞤢')).toBe(0);
    // lone surrogates behave like U+FFFD (what they become in UTF-8)
    expect(unicaseCompare('\ud800', '\ufffd')).toBe(0);
    expect(unicaseCompare('a\udc00b', 'A\ufffdB')).toBe(0);
  });

  it('mixed ASCII and non-ASCII strings fold both sides', () => {
    expect(sign(unicaseCompare('Zebra', 'Äpfel'))).toBe(-1); // 'z' < 'ä'
    expect(sign(unicaseCompare('apfel', 'Äpfel'))).toBe(-1);
    expect(sign(unicaseCompare('abc', 'ABCß'))).toBe(-1);
    expect(unicaseCompare('k', '\u212a')).toBe(0); // KELVIN SIGN folds to ASCII k
    expect(unicaseCompare('s', 'ſ')).toBe(0); // LONG S folds to s
    expect(unicaseCompare('Kiste', '\u212aISTE')).toBe(0);
  });

  it('letters added after Unicode 12.1 are not folded (as in unicase 2.6.0)', () => {
    expect(unicaseEquals('\u2c2f', '\u2c5f')).toBe(false); // GLAGOLITIC CAPITAL LETTER CAUDATE CHRIVI (Unicode 14)
    expect(unicaseEquals('\ua7c0', '\ua7c1')).toBe(false);
    expect(unicaseEquals('\u{10570}', '\u{10597}')).toBe(false);
  });

  it('unicaseFold follows the hand-written sample (Unicode 12.1.0 C+F, rotated 3-code-point foldings)', () => {
    const folds = ucdFolds();
    for (const [ch, want, what] of SAMPLE) {
      expect(cps(unicaseFold(ch)), what).toEqual(cps(want));
      // the npm data says the same, so it is the Unicode version the sample was written for
      const cp = ch.codePointAt(0)!;
      expect(cps(String.fromCodePoint(...(folds.get(cp) ?? [cp]))), `UCD data for ${what}`).toEqual(cps(want));
    }
    const all = SAMPLE.map(([ch]) => ch).join('');
    expect(unicaseFold(all)).toBe(SAMPLE.map(([, want]) => want).join(''));
  });

  it('unicaseFold matches Unicode 12.1.0 CaseFolding C+F (3-code-point foldings rotated) for every code point', () => {
    const want = ucdFolds();
    expect(ucdFoldC.size).toBe(1383);
    expect(ucdFoldF.size).toBe(104);
    expect(want.size).toBe(1487);
    expect([...want.values()].filter((seq) => seq.length === 3).length).toBe(16);
    // ASCII folds exactly like ASCII lower-casing (the crate's ASCII fast path gives the same order)
    for (let cp = 0; cp < 0x80; cp++) expect(want.get(cp)?.[0] ?? cp).toBe(cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp);
    // each character alone
    for (const [cp, seq] of want) expect(cps(unicaseFold(String.fromCodePoint(cp))), cp.toString(16)).toEqual(seq.map((n) => n.toString(16)));
    // every scalar value, in chunks: folding is per character, so the chunk's fold is the concatenation
    for (let start = 0; start < 0x110000; start += 4096) {
      const chars: number[] = [];
      const expected: number[] = [];
      for (let cp = start; cp < start + 4096; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        chars.push(cp);
        expected.push(...(want.get(cp) ?? [cp]));
      }
      expect(unicaseFold(String.fromCodePoint(...chars)) === String.fromCodePoint(...expected), `chunk at ${start.toString(16)}`).toBe(true);
    }
  });

  it('unicaseCompare equals "fold with Unicode 12.1.0 C+F, compare code points" on random strings', () => {
    const folds = ucdFolds();
    let equal = 0;
    let checked = 0;
    for (const { a, b } of randomPairs(4000)) {
      const sa = lossy(a);
      const sb = lossy(b);
      const want = refCompare(folds, sa, sb);
      expect(sign(unicaseCompare(sa, sb)), `${JSON.stringify(sa)} vs ${JSON.stringify(sb)}`).toBe(want);
      expect(sign(unicaseCompare(sb, sa))).toBe(-want || 0);
      expect(unicaseEquals(sa, sb)).toBe(want === 0);
      if (want === 0) equal++;
      checked++;
    }
    expect(checked).toBe(4000);
    expect(equal).toBeGreaterThan(300); // the sample exercises equality, not just inequality
  });
});

describe('unicase SQLite extension', () => {
  let db: Database.Database;
  let tmp: string;

  beforeAll(() => {
    // make sure the build is current (no-op when up to date)
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-unicase.mjs')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    db = openMem();
    tmp = mkdtempSync(join(tmpdir(), 'deckhand-unicase-'));
  });
  afterAll(() => {
    db?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const cmpStmt = () => {
    const st = db
      .prepare(
      `SELECT CASE WHEN CAST(@a AS TEXT) = CAST(@b AS TEXT) COLLATE unicase THEN 0
                   WHEN CAST(@a AS TEXT) < CAST(@b AS TEXT) COLLATE unicase THEN -1 ELSE 1 END`,
      )
      .pluck();
    return { get: (a: Buffer, b: Buffer) => st.get({ a, b }) };
  };

  it('finds the built extension', () => {
    expect(existsSync(unicaseExtensionPath())).toBe(true);
  });

  it('orders and compares like the examples', () => {
    const st = db.prepare('SELECT @a = @b COLLATE unicase AS eq, @a < @b COLLATE unicase AS lt').raw();
    const q = { get: (a: string, b: string) => st.get({ a, b }) };
    expect(q.get('Maße', 'MASSE')).toEqual([1, 0]);
    expect(q.get('ΟΔΟΣ', 'οδος')).toEqual([1, 0]);
    expect(q.get('ﬂour', 'FLOUR')).toEqual([1, 0]);
    expect(q.get('ﬃ', 'iff')).toEqual([1, 0]);
    expect(q.get('ﬃ', 'ffi')).toEqual([0, 0]);
    expect(q.get('i', 'İ')).toEqual([0, 1]);
    expect(q.get('ı', 'i')).toEqual([0, 0]);
    expect(q.get('😀', '\ue000')).toEqual([0, 0]);
    expect(q.get('Zebra', 'Äpfel')).toEqual([0, 1]);
    expect(q.get('k', '\u212a')).toEqual([1, 0]);
    expect(q.get('abc', 'ABCD')).toEqual([0, 1]);
    expect(db.prepare('SELECT unicase_fold(?)').pluck().get('Straße ΐ ﬃ')).toBe('strasse \u0301\u03b9\u0308 iff');
    expect(db.prepare('SELECT unicase_fold(NULL)').pluck().get()).toBe(null);
  });

  it('the C collation agrees with unicaseCompare on random strings, invalid UTF-8 decoded like from_utf8_lossy', () => {
    const q = cmpStmt();
    const fold = db.prepare('SELECT unicase_fold(CAST(? AS TEXT))').pluck();
    let invalid = 0;
    let equal = 0;
    for (const { a, b } of randomPairs(4000)) {
      if (!isValidUtf8(a) || !isValidUtf8(b)) invalid++;
      const sa = lossy(a);
      const sb = lossy(b);
      const want = sign(unicaseCompare(sa, sb));
      if (want === 0) equal++;
      expect(q.get(a, b), `${a.toString('hex')} vs ${b.toString('hex')}`).toBe(want);
      expect(q.get(b, a)).toBe(-want || 0);
      expect(fold.get(a), a.toString('hex')).toBe(unicaseFold(sa));
    }
    expect(invalid).toBeGreaterThan(800);
    expect(equal).toBeGreaterThan(300);
  });

  it('unicase_fold (C) follows the hand-written sample', () => {
    const fold = db.prepare('SELECT unicase_fold(?)').pluck();
    for (const [ch, want, what] of SAMPLE) expect(cps(fold.get(ch) as string), what).toEqual(cps(want));
  });

  it('invalid UTF-8 does not crash and is decoded like from_utf8_lossy', () => {
    const q = cmpStmt();
    const fold = db.prepare('SELECT unicase_fold(CAST(? AS TEXT))').pluck();
    const bad = [[0x80], [0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f, 0x98]];
    for (const bytes of bad) {
      const b = Buffer.from([0x41, ...bytes, 0x42]);
      expect(q.get(b, b)).toBe(0);
      expect(typeof fold.get(b)).toBe('string');
    }
    // maximal subparts: E2 82 is one U+FFFD, ED A0 80 is three (ED is not followed by A0..)
    expect(fold.get(Buffer.from([0xe2, 0x82, 0x41]))).toBe('\ufffda');
    expect(fold.get(Buffer.from([0xed, 0xa0, 0x80]))).toBe('\ufffd\ufffd\ufffd');
    expect(q.get(Buffer.from([0xc3]), Buffer.from('\ufffd'))).toBe(0);
    // the example of "U+FFFD Substitution of Maximal Subparts" in chapter 3 of the Unicode Standard
    const example = Buffer.from([0x61, 0xf1, 0x80, 0x80, 0xe1, 0x80, 0xc2, 0x62, 0x80, 0x63, 0x80, 0xbf, 0x64]);
    expect(fold.get(example)).toBe('a\ufffd\ufffd\ufffdb\ufffdc\ufffd\ufffdd');
    expect(lossy(example)).toBe('a\ufffd\ufffd\ufffdb\ufffdc\ufffd\ufffdd'); // the JS model used above
    expect(lossy(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toBe('\ufeffA'); // a BOM is kept, as by from_utf8_lossy
  });

  it('unicase_fold (C) agrees with unicaseFold (JS) on every code point', () => {
    const fold = db.prepare('SELECT unicase_fold(?)').pluck();
    for (let start = 0; start < 0x110000; start += 8192) {
      const chars: number[] = [];
      for (let cp = start; cp < start + 8192; cp++) if (cp < 0xd800 || cp > 0xdfff) chars.push(cp);
      const s = String.fromCodePoint(...chars);
      expect(fold.get(s) === unicaseFold(s), `chunk at ${start.toString(16)}`).toBe(true);
    }
  });

  it('ORDER BY name COLLATE unicase equals Array.sort with unicaseCompare (random names)', () => {
    const alphabet = [...'aAbBsSkKiIzZ09 _:-', '\x1f', ...'ßẞéÉÄäσςΣİıﬂﬃΐ中日本한😀𐐀𐐨\ue000ЁёK'];
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const names: string[] = [];
    for (let i = 0; i < 4000; i++) {
      let s = '';
      const len = 1 + rnd(8);
      for (let j = 0; j < len; j++) s += alphabet[rnd(alphabet.length)];
      names.push(s);
      if (rnd(3) === 0) names.push(rnd(2) ? s.toUpperCase() : s.toLowerCase());
    }
    db.exec('CREATE TEMP TABLE r (name TEXT)');
    const ins = db.prepare('INSERT INTO r VALUES (?)');
    db.transaction(() => names.forEach((n) => ins.run(n)))();
    // tie-break on BINARY so that the order is total and comparable
    const fromSql = db.prepare('SELECT name FROM r ORDER BY name COLLATE unicase, name COLLATE BINARY').pluck().all() as string[];
    const fromJs = [...names].sort((a, b) => unicaseCompare(a, b) || binary(a, b));
    expect(fromSql.length).toBe(names.length);
    expect(fromSql).toEqual(fromJs);
    // and the equality classes agree
    const groups = db.prepare('SELECT count(DISTINCT name COLLATE unicase) FROM r').pluck().get() as number;
    let jsGroups = 0;
    for (let i = 0; i < fromJs.length; i++) if (i === 0 || unicaseCompare(fromJs[i - 1], fromJs[i]) !== 0) jsGroups++;
    expect(groups).toBe(jsGroups);
    db.exec('DROP TABLE r');
  });

  it('a UNIQUE unicase index rejects names equal under folding; integrity_check is ok', () => {
    db.exec('CREATE TABLE decks (id INTEGER PRIMARY KEY, name TEXT NOT NULL COLLATE unicase)');
    db.exec('CREATE UNIQUE INDEX idx_decks_name ON decks (name)');
    const ins = db.prepare('INSERT INTO decks (name) VALUES (?)');
    ins.run('Maße');
    expect(() => ins.run('MASSE')).toThrow(/UNIQUE constraint failed/);
    ins.run('ﬂour');
    expect(() => ins.run('FLOUR')).toThrow(/UNIQUE constraint failed/);
    ins.run('σοφία');
    expect(() => ins.run('ΣΟΦΊΑ')).toThrow(/UNIQUE constraint failed/);
    ins.run('i');
    ins.run('İ'); // different under full folding
    ins.run('ı');
    for (let i = 0; i < 500; i++) ins.run(`Deck ${i}\x1fÜbung ${i % 7} ß${i}`);
    expect(db.prepare("SELECT id FROM decks WHERE name = 'MASSE'").pluck().get()).toBe(1);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    db.exec('REINDEX');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it.skipIf(!FIXTURE)('opens the real schema-18 fixture: integrity_check, SELECT * FROM tags, ORDER BY name', () => {
    const copy = join(tmp, 'collection.anki2');
    copyFileSync(FIXTURE!, copy); // never open the shared file itself
    const col = new Database(copy, { readonly: true, fileMustExist: true });
    try {
      registerUnicase(col);
      expect(col.pragma('integrity_check', { simple: true })).toBe('ok');
      const tags = col.prepare('SELECT * FROM tags').all();
      expect(Array.isArray(tags)).toBe(true);
      const tagNames = col.prepare('SELECT tag FROM tags ORDER BY tag').pluck().all() as string[];
      expect(tagNames).toEqual([...tagNames].sort(unicaseCompare));
      const decks = col.prepare('SELECT name FROM decks ORDER BY name').pluck().all() as string[];
      expect(decks).toEqual(expect.arrayContaining(['JavaScript', '流媒体', '系统默认']));
      expect(decks).toEqual([...decks].sort(unicaseCompare));
      const notetypes = col.prepare('SELECT name FROM notetypes ORDER BY name').pluck().all() as string[];
      expect(notetypes.length).toBe(7);
      expect(notetypes).toEqual([...notetypes].sort(unicaseCompare));
      expect(col.prepare('SELECT id FROM decks WHERE name = ?').pluck().get('JAVASCRIPT')).toBeTypeOf('number');
    } finally {
      col.close();
    }
  });

  it('throws a clear error when the extension file is missing', () => {
    const before = process.env[UNICASE_EXT_ENV];
    process.env[UNICASE_EXT_ENV] = join(tmp, 'nope', 'unicase.so');
    const other = new Database(':memory:');
    try {
      expect(() => registerUnicase(other)).toThrow(/unicase SQLite extension is missing.*Fix:/);
    } finally {
      other.close();
      if (before === undefined) delete process.env[UNICASE_EXT_ENV];
      else process.env[UNICASE_EXT_ENV] = before;
    }
  });

  it('without the collation the schema is unusable (sanity check of the premise)', () => {
    const plain = new Database(':memory:');
    try {
      expect(() => plain.exec('CREATE TABLE t (name TEXT COLLATE unicase)')).toThrow(/no such collation sequence: unicase/);
      registerUnicase(plain);
      plain.exec('CREATE TABLE t (name TEXT COLLATE unicase)');
    } finally {
      plain.close();
    }
  });
});
