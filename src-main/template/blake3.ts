// A small BLAKE3 hash (default 32-byte output, unkeyed), written from the BLAKE3 specification.
// Anki's `hint` filter derives its DOM id from BLAKE3; node:crypto does not provide it.

const IV = new Uint32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const MSG_PERMUTATION = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];

const CHUNK_START = 1;
const CHUNK_END = 2;
const PARENT = 4;
const ROOT = 8;
const BLOCK_LEN = 64;
const CHUNK_LEN = 1024;

function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n));
}

function g(s: Uint32Array, a: number, b: number, c: number, d: number, mx: number, my: number): void {
  s[a] = (s[a] + s[b] + mx) | 0;
  s[d] = rotr(s[d] ^ s[a], 16);
  s[c] = (s[c] + s[d]) | 0;
  s[b] = rotr(s[b] ^ s[c], 12);
  s[a] = (s[a] + s[b] + my) | 0;
  s[d] = rotr(s[d] ^ s[a], 8);
  s[c] = (s[c] + s[d]) | 0;
  s[b] = rotr(s[b] ^ s[c], 7);
}

/** The compression function; returns the full 16-word state. */
function compress(cv: Uint32Array, block: Uint32Array, counter: number, blockLen: number, flags: number): Uint32Array {
  const s = new Uint32Array(16);
  s.set(cv, 0);
  s.set(IV.subarray(0, 4), 8);
  s[12] = counter >>> 0;
  s[13] = Math.floor(counter / 0x100000000) >>> 0;
  s[14] = blockLen;
  s[15] = flags;
  let m = Uint32Array.from(block);
  for (let round = 0; round < 7; round++) {
    g(s, 0, 4, 8, 12, m[0], m[1]);
    g(s, 1, 5, 9, 13, m[2], m[3]);
    g(s, 2, 6, 10, 14, m[4], m[5]);
    g(s, 3, 7, 11, 15, m[6], m[7]);
    g(s, 0, 5, 10, 15, m[8], m[9]);
    g(s, 1, 6, 11, 12, m[10], m[11]);
    g(s, 2, 7, 8, 13, m[12], m[13]);
    g(s, 3, 4, 9, 14, m[14], m[15]);
    if (round < 6) {
      const permuted = new Uint32Array(16);
      for (let i = 0; i < 16; i++) permuted[i] = m[MSG_PERMUTATION[i]];
      m = permuted;
    }
  }
  for (let i = 0; i < 8; i++) {
    s[i] ^= s[i + 8];
    s[i + 8] ^= cv[i];
  }
  return s;
}

function blockWords(bytes: Uint8Array, offset: number, len: number): Uint32Array {
  const padded = new Uint8Array(BLOCK_LEN);
  padded.set(bytes.subarray(offset, offset + len));
  const words = new Uint32Array(16);
  const view = new DataView(padded.buffer);
  for (let i = 0; i < 16; i++) words[i] = view.getUint32(i * 4, true);
  return words;
}

/** A pending compression whose flags may still gain ROOT. */
interface Output {
  cv: Uint32Array;
  block: Uint32Array;
  counter: number;
  blockLen: number;
  flags: number;
}

function chunkOutput(input: Uint8Array, start: number, end: number, chunkIndex: number): Output {
  let cv: Uint32Array = IV;
  const len = end - start;
  const blocks = Math.max(1, Math.ceil(len / BLOCK_LEN));
  for (let b = 0; b < blocks - 1; b++) {
    const flags = b === 0 ? CHUNK_START : 0;
    cv = compress(cv, blockWords(input, start + b * BLOCK_LEN, BLOCK_LEN), chunkIndex, BLOCK_LEN, flags).subarray(0, 8);
  }
  const lastLen = len - (blocks - 1) * BLOCK_LEN;
  return {
    cv,
    block: blockWords(input, start + (blocks - 1) * BLOCK_LEN, lastLen),
    counter: chunkIndex,
    blockLen: lastLen,
    flags: (blocks === 1 ? CHUNK_START : 0) | CHUNK_END,
  };
}

function chainingValue(out: Output): Uint32Array {
  return compress(out.cv, out.block, out.counter, out.blockLen, out.flags).subarray(0, 8);
}

function parentOutput(left: Uint32Array, right: Uint32Array): Output {
  const block = new Uint32Array(16);
  block.set(left, 0);
  block.set(right, 8);
  return { cv: IV, block, counter: 0, blockLen: BLOCK_LEN, flags: PARENT };
}

/** BLAKE3 hash (32 bytes) of the input. */
export function blake3(input: Uint8Array | string): Uint8Array {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK_LEN));
  const stack: Uint32Array[] = [];
  for (let c = 0; c < chunks - 1; c++) {
    let cv = chainingValue(chunkOutput(bytes, c * CHUNK_LEN, (c + 1) * CHUNK_LEN, c));
    let total = c + 1;
    while ((total & 1) === 0) {
      cv = chainingValue(parentOutput(stack.pop()!, cv));
      total >>= 1;
    }
    stack.push(cv);
  }
  let out = chunkOutput(bytes, (chunks - 1) * CHUNK_LEN, bytes.length, chunks - 1);
  while (stack.length > 0) out = parentOutput(stack.pop()!, chainingValue(out));
  const root = compress(out.cv, out.block, out.counter, out.blockLen, out.flags | ROOT);
  const result = new Uint8Array(32);
  const view = new DataView(result.buffer);
  for (let i = 0; i < 8; i++) view.setUint32(i * 4, root[i], true);
  return result;
}

export function blake3Hex(input: Uint8Array | string): string {
  return Array.from(blake3(input), (b) => b.toString(16).padStart(2, '0')).join('');
}
