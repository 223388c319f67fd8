import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { registerSearchFunctions } from './sql-functions';

let db: Database.Database;
beforeAll(() => {
  db = new Database(':memory:');
  registerSearchFunctions(db);
  registerSearchFunctions(db); // idempotent
});
afterAll(() => db.close());

const one = (sql: string, ...params: unknown[]) => db.prepare(sql).pluck().get(...params);

describe('search SQL functions', () => {
  it('regexp (X REGEXP Y = regexp(Y, X)), Rust syntax', () => {
    expect(one("select 'Hello' regexp '(?i)^hello$'")).toBe(1);
    expect(one("select 'Hello' regexp '^hello$'")).toBe(0);
    expect(one("select 'a\x1fb' regexp '(?i)a$'")).toBe(0);
    expect(one("select null regexp 'a'")).toBe(0);
    expect(one("select 123 regexp '^12'")).toBe(1);
  });

  it('regexp_fields and regexp_tags', () => {
    expect(one("select regexp_fields('^b$', 'a\x1fb\x1fc')")).toBe(1);
    expect(one("select regexp_fields('^b$', 'a\x1fb\x1fc', 0, 2)")).toBe(0);
    expect(one("select regexp_fields('^b$', 'a\x1fb\x1fc', 1)")).toBe(1);
    expect(one("select regexp_tags('^p$', ' a p b ')")).toBe(1);
    expect(one("select regexp_tags('^p$', ' ap b ')")).toBe(0);
  });

  it('regexes run in linear time (no catastrophic backtracking)', () => {
    const long = `${'a'.repeat(50_000)}!b`;
    const start = performance.now();
    expect(one('select regexp(?, ?)', '(?i)(a+)+b', long)).toBe(0);
    expect(one('select regexp_fields(?, ?)', '(x+x+)+y', `z\x1f${'x'.repeat(50_000)}!y`)).toBe(0);
    expect(one('select regexp_fields(?, ?, 1)', '(a|aa)+$', `b\x1f${'a'.repeat(50_000)}!`)).toBe(0);
    expect(one('select regexp_tags(?, ?)', '(?i)^(a+)+b$', ` ${'a'.repeat(50_000)}!b `)).toBe(0);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('process_text', () => {
    expect(one("select process_text('café', 1)")).toBe('cafe');
    expect(one("select process_text('plain', 1)")).toBe(null); // unchanged → NULL (callers coalesce)
    expect(one("select process_text('{{c1::über::hint}} x', 2)")).toBe('über x');
    expect(one("select process_text('{{c1::über::hint}} x', 3)")).toBe('uber x');
  });

  it('field_at_index', () => {
    expect(one("select field_at_index('a\x1fb', 1)")).toBe('b');
    expect(one("select field_at_index('a\x1fb', 5)")).toBe('');
  });

  it('fnvhash: FNV-1a 64 over little-endian i64s', () => {
    const s = db.prepare('select fnvhash(?) ').pluck().safeIntegers(true);
    expect(s.get(1n)).toBe(-8517097267634966620n);
    expect(s.get(0n)).toBe(-6284781860667377211n);
    expect(s.get(-1n)).toBe(-8289690350564177859n);
    expect(db.prepare('select fnvhash(?, ?)').pluck().safeIntegers(true).get(1234567890123n, 42n)).toBe(-7614292794343225404n);
  });

  it('card data extractors', () => {
    const data = JSON.stringify({ pos: 12, s: 21.5, d: 5, dr: 0.9, lrt: 1000, cd: JSON.stringify({ r: 7, k: 'str', o: { a: 1 } }) });
    expect(one('select extract_original_position(?)', data)).toBe(12);
    expect(one("select extract_original_position('{}')")).toBe(null);
    expect(one("select extract_original_position('not json')")).toBe(null);
    expect(one('select extract_custom_data(?, ?)', data, 'r')).toBe('7');
    expect(one('select extract_custom_data(?, ?)', data, 'k')).toBe('str');
    expect(one('select extract_custom_data(?, ?)', data, 'o')).toBe('{"a":1}');
    expect(one('select extract_custom_data(?, ?)', data, 'zz')).toBe(null);
    expect(one("select extract_custom_data('', 'r')")).toBe(null);
    expect(one('select extract_fsrs_variable(?, ?)', data, 's')).toBe(21.5);
    expect(one('select extract_fsrs_variable(?, ?)', data, 'd')).toBe(5);
    expect(one('select extract_fsrs_variable(?, ?)', data, 'dr')).toBe(Math.fround(0.9));
    expect(one("select extract_fsrs_variable('{}', 's')")).toBe(null);
  });

  it('extract_fsrs_retrievability', () => {
    const data = JSON.stringify({ s: 10, d: 5, lrt: 1_000_000 });
    // 10 days elapsed at S = 10 → 0.9 (FSRS-5 decay 0.5)
    const r = one('select extract_fsrs_retrievability(?, 0, 0, 0, 0, ?)', data, 1_000_000 + 10 * 86400) as number;
    expect(r).toBeCloseTo(0.9, 5);
    // without lrt: review day = due - ivl, days elapsed = today - review day
    const noLrt = JSON.stringify({ s: 10, d: 5 });
    const r2 = one('select extract_fsrs_retrievability(?, 110, 10, 110, 0, 0)', noLrt) as number;
    expect(r2).toBeCloseTo(0.9, 5);
    expect(one("select extract_fsrs_retrievability('{}', 1, 1, 1, 1, 1)")).toBe(null);
    const rel = one('select extract_fsrs_relative_retrievability(?, 110, 10, 110, 0, 0)', JSON.stringify({ s: 10, d: 5, dr: 0.9 }));
    expect(rel as number).toBeCloseTo(-1, 4);
    // SM-2 fallback: -(days elapsed + 0.001) / ivl
    expect(one("select extract_fsrs_relative_retrievability('', 110, 10, 110, 0, 0)") as number).toBeCloseTo(-1.0001, 4);
  });
});
