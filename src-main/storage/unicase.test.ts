import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUnicase, UNICASE_EXT_ENV, unicaseCompare, unicaseEquals, unicaseExtensionPath, unicaseFold } from './unicase';

const root = resolve(import.meta.dirname, '..', '..');
const oracleDir = join(root, 'native', 'unicase', 'oracle');
const FIXTURE_REL = join('fixtures', 'anki', 'real', 'schema18-raw_zh-ui-fsrs_collection.anki2');
// shared/ sits beside the repo (CI) or at /work/shared (development machines)
const FIXTURE = [join(root, '..', 'shared', FIXTURE_REL), join('/work/shared', FIXTURE_REL)].find((p) => existsSync(p));

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const cps = (s: string) => [...s].map((c) => c.codePointAt(0)!.toString(16));

/** Crate output: code point -> folded sequence (as the crate emits it). */
function oracleFolds(): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (const line of readFileSync(join(oracleDir, 'fold-unicase-2.6.0.txt'), 'utf8').trim().split('\n')) {
    const [k, v] = line.split(': ');
    m.set(
      parseInt(k, 16),
      v.split(' ').map((h) => parseInt(h, 16)),
    );
  }
  return m;
}

/** Crate output: pairs of UTF-8 byte strings and UniCase's cmp (after from_utf8_lossy). */
function oraclePairs(): { a: Buffer; b: Buffer; want: number }[] {
  return readFileSync(join(oracleDir, 'cmp-unicase-2.6.0.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [a, b, r] = line.split('\t');
      return { a: Buffer.from(a, 'hex'), b: Buffer.from(b, 'hex'), want: Number(r) };
    });
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

  it('unicaseFold matches the crate for every code point', () => {
    const want = oracleFolds();
    expect(want.size).toBe(1487);
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

  it('unicaseCompare matches the crate on the oracle pairs', () => {
    let checked = 0;
    for (const { a, b, want } of oraclePairs()) {
      if (!isValidUtf8(a) || !isValidUtf8(b)) continue; // JS strings cannot carry invalid UTF-8
      const sa = a.toString('utf8');
      const sb = b.toString('utf8');
      expect(sign(unicaseCompare(sa, sb)), `${JSON.stringify(sa)} vs ${JSON.stringify(sb)}`).toBe(want);
      expect(sign(unicaseCompare(sb, sa))).toBe(-want || 0);
      checked++;
    }
    expect(checked).toBeGreaterThan(2500);
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

  it('matches the crate on the oracle pairs, including invalid UTF-8', () => {
    const q = cmpStmt();
    let invalid = 0;
    for (const { a, b, want } of oraclePairs()) {
      if (!isValidUtf8(a) || !isValidUtf8(b)) invalid++;
      expect(q.get(a, b), `${a.toString('hex')} vs ${b.toString('hex')}`).toBe(want);
      expect(q.get(b, a)).toBe(-want || 0);
    }
    expect(invalid).toBeGreaterThan(100);
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
