#!/usr/bin/env node
// Generates the case-folding table used by the `unicase` collation, in two forms from one data set:
//   native/unicase/unicase_table.h           (C, for the SQLite extension)
//   src-main/storage/unicase.ts              (the region between the GENERATED markers)
//
// What the table must reproduce: Rust's `unicase` crate v2.6.0 (pinned by Anki), whose map was
// generated on 2019-08-31 from the then-latest CaseFolding.txt, i.e. Unicode 12.1.0, statuses C
// and F (full folding). Newer Unicode versions add foldings the crate does not know (Python 3.11's
// str.casefold() is Unicode 14 and folds 42 more letters, e.g. U+2C2F, U+A7C0, U+10570..), so
// data from a newer Unicode would order/compare some names differently from Anki.
// The crate emits the three code points of a 3-code-point folding in rotated order (3rd, 1st,
// 2nd); that is what its comparison sees, so the table stores that emission order.
//
// Data sources (use one):
//   --ucd-npm DIR        the npm package @unicode/unicode-12.1.0 (a devDependency; its Case_Folding/C
//                        and Case_Folding/F code-points modules). This is how the committed table was
//                        made:  node native/unicase/gen-table.mjs --ucd-npm node_modules/@unicode/unicode-12.1.0
//   --casefolding FILE   a CaseFolding.txt (must be Unicode 12.1.0 to match the crate)
// Optional:
//   --check              do not write anything; fail if the committed files differ from what would be written
// src-main/storage/unicase.test.ts checks the committed table against the same npm package.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const here = import.meta.dirname ?? new URL('.', import.meta.url).pathname;
const root = resolve(here, '..', '..');
const headerPath = join(here, 'unicase_table.h');
const tsPath = join(root, 'src-main', 'storage', 'unicase.ts');
const BEGIN = '// BEGIN GENERATED CASE-FOLD TABLE (native/unicase/gen-table.mjs; do not edit by hand)';
const END = '// END GENERATED CASE-FOLD TABLE';
const PAGE_SHIFT = 8;

function usage(msg) {
  console.error(`gen-table: ${msg}\nusage: node native/unicase/gen-table.mjs (--ucd-npm DIR | --casefolding FILE) [--check]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const opt = {};
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--check') opt.check = true;
  else if (a === '--ucd-npm' || a === '--casefolding') opt[a.slice(2)] = args[++i];
  else usage(`unknown argument ${a}`);
}

/** @type {Map<number, number[]>} code point -> full folding, in Unicode order */
const folds = new Map();
let source;
if (opt['ucd-npm']) {
  const dir = resolve(opt['ucd-npm']);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const m = /^@unicode\/unicode-(\d+\.\d+\.\d+)$/.exec(pkg.name);
  if (!m) usage(`${dir} is not an @unicode/unicode-X.Y.Z package`);
  source = `Unicode ${m[1]} CaseFolding C+F, from npm ${pkg.name}@${pkg.version}`;
  for (const status of ['C', 'F']) {
    const mod = await import(pathToFileURL(join(dir, 'Case_Folding', status, 'code-points.mjs')).href);
    for (const [from, to] of mod.default) {
      if (folds.has(from)) throw new Error(`duplicate mapping for U+${hex(from)}`);
      folds.set(from, Array.isArray(to) ? to : [to]);
    }
  }
} else if (opt.casefolding) {
  const text = readFileSync(opt.casefolding, 'utf8');
  const ver = /CaseFolding-(\d+\.\d+\.\d+)\.txt/.exec(text);
  source = `Unicode ${ver ? ver[1] : '(version not stated)'} CaseFolding C+F, from ${opt.casefolding}`;
  for (const line of text.split('\n')) {
    const body = line.replace(/#.*/, '').trim();
    if (!body) continue;
    const [code, status, mapping] = body.split(';').map((s) => s.trim());
    if (status !== 'C' && status !== 'F') continue;
    const from = parseInt(code, 16);
    if (folds.has(from)) throw new Error(`duplicate mapping for U+${code}`);
    folds.set(from, mapping.split(/\s+/).map((h) => parseInt(h, 16)));
  }
} else {
  usage('no data source given');
}

function hex(n) {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

// The sequence as the crate's comparison sees it.
function emitted(seq) {
  if (seq.length === 1 || seq.length === 2) return seq;
  if (seq.length === 3) return [seq[2], seq[0], seq[1]];
  throw new Error(`unexpected folding length ${seq.length}`);
}

const keys = [...folds.keys()].sort((a, b) => a - b);
const vals = [];
const multi = [];
for (const k of keys) {
  const seq = emitted(folds.get(k));
  if (seq.length === 1) {
    vals.push(seq[0]);
  } else {
    // multi-code-point entry: bit 30 set, length in bits 16..17, index into multi[] below
    vals.push(0x40000000 | (seq.length << 16) | multi.length);
    multi.push(...seq);
  }
}
if (multi.length > 0xffff) throw new Error('multi table too large');
// The C and TS fast paths assume ASCII folds exactly like ASCII lower-casing (the crate's Ascii path).
for (const k of keys) {
  if (k >= 0x80) break;
  const isUpper = k >= 0x41 && k <= 0x5a;
  if (!isUpper || folds.get(k).length !== 1 || folds.get(k)[0] !== k + 32) throw new Error(`unexpected ASCII folding of U+${hex(k)}`);
}

// Page index over the sorted keys: entries for code points in page p (cp >> PAGE_SHIFT) are at
// keys[pageStart[p] .. pageStart[p+1]).
const maxKey = keys[keys.length - 1];
const npages = (maxKey >> PAGE_SHIFT) + 1;
const pageStart = [];
for (let p = 0, i = 0; p <= npages; p++) {
  while (i < keys.length && keys[i] >> PAGE_SHIFT < p) i++;
  pageStart.push(i);
}

function rows(nums, fmt, perLine, indent) {
  const out = [];
  for (let i = 0; i < nums.length; i += perLine) out.push(indent + nums.slice(i, i + perLine).map(fmt).join(', ') + ',');
  return out.join('\n');
}
const hx = (n) => '0x' + n.toString(16);

const header = `/* Generated by native/unicase/gen-table.mjs; do not edit by hand.
 * Source: ${source}.
 * Matches the table of Rust's unicase crate 2.6.0 (Unicode 12.1.0), which Anki pins.
 * 3-code-point foldings are stored in the order the crate emits them (3rd, 1st, 2nd). */
#ifndef DECKHAND_UNICASE_TABLE_H
#define DECKHAND_UNICASE_TABLE_H

#include <stdint.h>

#define UC_FOLD_COUNT ${keys.length}
#define UC_FOLD_MAX_KEY ${hx(maxKey)}
#define UC_PAGE_SHIFT ${PAGE_SHIFT}
#define UC_PAGE_COUNT ${npages}
#define UC_MULTI_FLAG 0x40000000u

/* sorted code points that have a folding */
static const uint32_t uc_fold_keys[UC_FOLD_COUNT] = {
${rows(keys, hx, 12, '  ')}
};

/* folding of uc_fold_keys[i]: a code point, or UC_MULTI_FLAG | length << 16 | index into uc_fold_multi */
static const uint32_t uc_fold_vals[UC_FOLD_COUNT] = {
${rows(vals, hx, 12, '  ')}
};

static const uint32_t uc_fold_multi[${multi.length}] = {
${rows(multi, hx, 12, '  ')}
};

/* keys of page p (code point >> UC_PAGE_SHIFT) are uc_fold_keys[uc_page_start[p] .. uc_page_start[p + 1]) */
static const uint16_t uc_page_start[UC_PAGE_COUNT + 1] = {
${rows(pageStart, String, 16, '  ')}
};

#endif
`;

const tsBlock = `${BEGIN}
// Source: ${source} (= the table of unicase 2.6.0).
// Same data and layout as native/unicase/unicase_table.h.
const FOLD_KEYS: readonly number[] = [
${rows(keys, hx, 12, '  ')}
];
const FOLD_VALS: readonly number[] = [
${rows(vals, hx, 12, '  ')}
];
const FOLD_MULTI: readonly number[] = [
${rows(multi, hx, 12, '  ')}
];
${END}`;

const tsOld = readFileSync(tsPath, 'utf8');
const b = tsOld.indexOf(BEGIN);
const e = tsOld.indexOf(END);
if (b < 0 || e < b) throw new Error(`${tsPath} lacks the GENERATED markers`);
const tsNew = tsOld.slice(0, b) + tsBlock + tsOld.slice(e + END.length);

if (opt.check) {
  const stale = [];
  if (readFileSync(headerPath, 'utf8') !== header) stale.push(headerPath);
  if (tsOld !== tsNew) stale.push(`the generated region of ${tsPath}`);
  if (stale.length) {
    console.error(`gen-table: out of date: ${stale.join(', ')}`);
    process.exit(1);
  }
  console.log('gen-table: committed tables are up to date');
} else {
  writeFileSync(headerPath, header);
  writeFileSync(tsPath, tsNew);
  console.log(`gen-table: wrote ${headerPath} and ${tsPath} (${keys.length} foldings, ${source})`);
}
