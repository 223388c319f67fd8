// Bit-exact reimplementation of the random numbers Anki draws for fuzz:
// `StdRng::seed_from_u64(seed)` from Rust's rand 0.9 (StdRng = ChaCha12, seeded through PCG32),
// followed by `random_range(0.0..1.0)` (f32) or `random_range(lo..hi)` (u32, rand's biased
// widening-multiply sampler). Written from the algorithm descriptions (ChaCha: D. J. Bernstein;
// PCG: M. O'Neill) and rand's documented value-stability test vectors; see rng.test.ts.

const MASK64 = (1n << 64n) - 1n;
const PCG_MUL = 6364136223846793005n;
const PCG_INC = 11634580027462260723n;

/** Expands a u64 seed into the 32-byte key, as rand_core's default `seed_from_u64` does. */
export function seedBytesFromU64(seed: bigint): Uint8Array {
  let state = BigInt.asUintN(64, seed);
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) {
    state = (state * PCG_MUL + PCG_INC) & MASK64;
    const xorshifted = Number((((state >> 18n) ^ state) >> 27n) & 0xffffffffn) >>> 0;
    const rot = Number(state >> 59n);
    const x = ((xorshifted >>> rot) | (xorshifted << ((32 - rot) & 31))) >>> 0;
    view.setUint32(i * 4, x, true);
  }
  return out;
}

function rotl(v: number, n: number): number {
  return ((v << n) | (v >>> (32 - n))) >>> 0;
}

/** ChaCha with 12 rounds, 64-bit block counter (words 12–13), 64-bit stream id 0 (words 14–15). */
export class ChaCha12Rng {
  private readonly key: Uint32Array;
  private counter = 0n;
  private buf = new Uint32Array(16);
  private idx = 16;

  constructor(seed: Uint8Array) {
    if (seed.length !== 32) throw new Error('ChaCha12Rng needs a 32-byte seed');
    const view = new DataView(seed.buffer, seed.byteOffset, 32);
    this.key = new Uint32Array(8);
    for (let i = 0; i < 8; i++) this.key[i] = view.getUint32(i * 4, true);
  }

  static seedFromU64(seed: bigint | number): ChaCha12Rng {
    return new ChaCha12Rng(seedBytesFromU64(BigInt(seed)));
  }

  private refill(): void {
    const s = new Uint32Array(16);
    s[0] = 0x61707865;
    s[1] = 0x3320646e;
    s[2] = 0x79622d32;
    s[3] = 0x6b206574;
    s.set(this.key, 4);
    s[12] = Number(this.counter & 0xffffffffn);
    s[13] = Number((this.counter >> 32n) & 0xffffffffn);
    s[14] = 0;
    s[15] = 0;
    const x = Uint32Array.from(s);
    const qr = (a: number, b: number, c: number, d: number): void => {
      x[a] = (x[a] + x[b]) >>> 0;
      x[d] = rotl(x[d] ^ x[a], 16);
      x[c] = (x[c] + x[d]) >>> 0;
      x[b] = rotl(x[b] ^ x[c], 12);
      x[a] = (x[a] + x[b]) >>> 0;
      x[d] = rotl(x[d] ^ x[a], 8);
      x[c] = (x[c] + x[d]) >>> 0;
      x[b] = rotl(x[b] ^ x[c], 7);
    };
    for (let i = 0; i < 6; i++) {
      qr(0, 4, 8, 12);
      qr(1, 5, 9, 13);
      qr(2, 6, 10, 14);
      qr(3, 7, 11, 15);
      qr(0, 5, 10, 15);
      qr(1, 6, 11, 12);
      qr(2, 7, 8, 13);
      qr(3, 4, 9, 14);
    }
    for (let i = 0; i < 16; i++) this.buf[i] = (x[i] + s[i]) >>> 0;
    this.counter = (this.counter + 1n) & MASK64;
    this.idx = 0;
  }

  nextU32(): number {
    if (this.idx >= 16) this.refill();
    return this.buf[this.idx++];
  }

  /** Low word first, as rand's BlockRng does (only exact at word boundaries, which is all we use). */
  nextU64(): bigint {
    const lo = BigInt(this.nextU32());
    const hi = BigInt(this.nextU32());
    return (hi << 32n) | lo;
  }

  /** rand 0.9 `random_range(0.0f32..1.0)`: 23 high bits of one u32 as a fraction (an f32 value). */
  randomF32Unit(): number {
    return (this.nextU32() >>> 9) / 8388608;
  }

  /** rand 0.9 `random_range(lo..hi)` for u32 (exclusive upper bound, biased Canon sampler). */
  randomRangeU32(lo: number, hiExclusive: number): number {
    if (!(lo < hiExclusive)) throw new RangeError('empty range');
    const range = BigInt((hiExclusive - 1 - lo + 1) >>> 0);
    if (range === 0n) return this.nextU32();
    const prod = BigInt(this.nextU32()) * range;
    let result = prod >> 32n;
    const loOrder = prod & 0xffffffffn;
    if (loOrder > ((1n << 32n) - range)) {
      const newHi = (BigInt(this.nextU32()) * range) >> 32n;
      if (loOrder + newHi > 0xffffffffn) result += 1n;
    }
    return lo + Number(result);
  }
}
