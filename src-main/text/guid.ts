// Note GUIDs: a random unsigned 64-bit integer in Anki's base-91 alphabet.

import { randomFillSync } from 'node:crypto';

export const BASE91_TABLE =
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~';

/** Anki's `to_base_n`: most-significant digit first; 0 gives ''. */
export function toBaseN(n: bigint, table: string): string {
  const base = BigInt(table.length);
  let out = '';
  while (n > 0n) {
    out = table[Number(n % base)] + out;
    n /= base;
  }
  return out;
}

/** Anki's `anki_base91` for an unsigned 64-bit value. */
export function guidFromU64(n: bigint): string {
  return toBaseN(BigInt.asUintN(64, n), BASE91_TABLE);
}

// Random bytes are drawn 4 KiB at a time: one syscall per 512 GUIDs instead of one each.
const pool = Buffer.alloc(4096);
let poolPos = pool.length;

/** A new random note GUID (usually 10 characters). */
export function newGuid(): string {
  if (poolPos + 8 > pool.length) {
    randomFillSync(pool);
    poolPos = 0;
  }
  const n = pool.readBigUInt64BE(poolPos);
  poolPos += 8;
  return guidFromU64(n);
}
