// Anki's scheduler computes in f32. Every arithmetic step is rounded with Math.fround so that
// results (and the .5 rounding cases that follow) match Rust bit for bit. +, −, ×, ÷ of two f32
// values computed in f64 and then rounded to f32 are exactly the f32 results.

export const f32 = Math.fround;

export const add = (a: number, b: number): number => f32(f32(a) + f32(b));
export const sub = (a: number, b: number): number => f32(f32(a) - f32(b));
export const mul = (a: number, b: number): number => f32(f32(a) * f32(b));
export const div = (a: number, b: number): number => f32(f32(a) / f32(b));

/** Rust `f32::round`: half away from zero. */
export function roundHalfAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/** Rust `x as u32` for a float: truncate, saturate to [0, 2^32−1], NaN → 0. */
export function asU32(v: number): number {
  if (Number.isNaN(v) || v <= 0) return 0;
  if (v >= 4294967295) return 4294967295;
  return Math.trunc(v);
}

/** Rust `x as i32` for a float. */
export function asI32(v: number): number {
  if (Number.isNaN(v)) return 0;
  if (v <= -2147483648) return -2147483648;
  if (v >= 2147483647) return 2147483647;
  return Math.trunc(v);
}

/** Rust `u32::clamp` without the panic when min > max (returns max in that case, like min(max(x))). */
export function clampInt(v: number, min: number, max: number): number {
  return Math.min(Math.max(v, min), max);
}

/**
 * The shortest decimal string that reads back as the same f32, in the style of Rust's ryu as used
 * by serde_json (integral values keep ".0", e.g. "1.0"). Used for the numbers in `cards.data`.
 * Exact for magnitudes in [1e-6, 1e13), which covers every value card data holds.
 */
export function formatF32(v: number): string {
  const x = f32(v);
  if (!Number.isFinite(x)) return 'null';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  let shortest = String(x);
  for (let p = 1; p <= 9; p++) {
    const candidate = x.toPrecision(p);
    if (f32(Number(candidate)) === x) {
      shortest = String(Number(candidate));
      break;
    }
  }
  if (/e/i.test(shortest)) {
    const [mant, exp] = shortest.split(/e/i);
    return `${mant}e${Number(exp)}`;
  }
  return shortest.includes('.') ? shortest : `${shortest}.0`;
}
