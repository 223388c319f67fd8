#!/usr/bin/env node
/* global process, Buffer */
// Deterministic test pairs for the oracle: prints "HEX_A<TAB>HEX_B" lines (UTF-8 bytes in hex) on
// stdout. Mostly names built from characters where the collation is tricky, many of them
// case-variants of each other, plus some invalid UTF-8. Usage: node make-pairs.mjs [count]
const count = Number(process.argv[2] ?? 3000);

let seed = 0x2545f491;
function rnd(n) {
  // xorshift32
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed % n;
}

const cps = [
  ...'aAbBsSzZkKiIfFlLtT09 _:-.~',
  '\x1f', '\x7f',
  'ß', 'ẞ', 'é', 'É', 'ÿ', 'Ÿ', 'µ', 'Μ', 'μ', 'Å', 'å', 'Å', 'K', 'ſ', 'ŉ', 'ǰ', 'İ', 'ı', 'ǅ', 'Ǆ',
  'Σ', 'σ', 'ς', 'ΐ', 'ΰ', 'ᾲ', 'ᾼ', 'ͅ', 'ι', '\u0301', '\u0308', '\u0307',
  'ﬀ', 'ﬁ', 'ﬂ', 'ﬃ', 'ﬄ', 'ﬅ', 'ﬆ', 'և', 'Д', 'д', 'Ё', 'ё',
  '中', '日', '本', '한', '글', 'Ａ', 'ａ', '\ufffd', '\ue000', '\uffee',
  '😀', '🎉', '𐐀', '𐐨', '𞤀', '𞤢', '\u{10ffff}',
  '\u2c2f', '\ua7c0', '\u{10570}', // letters newer than Unicode 12.1: not folded by unicase 2.6
];

function randomName() {
  const len = rnd(7);
  let s = '';
  for (let i = 0; i < len; i++) s += cps[rnd(cps.length)];
  return s;
}

function variant(s) {
  // flip case / swap equivalent spellings of some characters, or change one character
  let out = '';
  for (const ch of s) {
    const r = rnd(6);
    if (r === 0) out += ch.toUpperCase();
    else if (r === 1) out += ch.toLowerCase();
    else if (r === 2 && ch === 'ß') out += 'ss';
    else if (r === 2 && ch === 'ﬃ') out += 'ffi';
    else out += ch;
  }
  if (rnd(4) === 0) out += cps[rnd(cps.length)];
  return out;
}

const hex = (b) => Buffer.from(b).toString('hex');
const lines = [];
for (let i = 0; i < count; i++) {
  const a = randomName();
  const b = rnd(2) ? variant(a) : randomName();
  let ba = Buffer.from(a, 'utf8');
  let bb = Buffer.from(b, 'utf8');
  if (i % 15 === 0) {
    // invalid UTF-8: a random byte (or a truncated sequence) spliced in
    const junk = [[0x80], [0xc0], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf0, 0x9f], [0xff], [0xf4, 0x90, 0x80, 0x80]][rnd(8)];
    const at = rnd(ba.length + 1);
    ba = Buffer.concat([ba.subarray(0, at), Buffer.from(junk), ba.subarray(at)]);
    if (rnd(2)) bb = Buffer.concat([bb, Buffer.from(junk)]);
  }
  lines.push(`${hex(ba)}\t${hex(bb)}`);
}
process.stdout.write(lines.join('\n') + '\n');
