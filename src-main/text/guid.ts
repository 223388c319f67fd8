// Note GUIDs: a random unsigned 64-bit integer in Anki's base-91 alphabet.

import { randomBytes } from 'node:crypto';

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

/** A new random note GUID (usually 10 characters). */
export function newGuid(): string {
  return guidFromU64(randomBytes(8).readBigUInt64BE(0));
}
