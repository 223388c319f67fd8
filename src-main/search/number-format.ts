// Numbers printed the way Rust's `Display` prints them (used in SQL text and normalised searches).

/** An f32 as Rust's `Display` prints it (shortest round-trip digits, no exponent). */
export function rustF32Display(v: number): string {
  const x = Math.fround(v);
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let repr = x.toPrecision(9);
  for (let p = 1; p <= 9; p++) {
    const candidate = x.toPrecision(p);
    if (Math.fround(Number(candidate)) === x) {
      repr = candidate;
      break;
    }
  }
  return toPlainDecimal(repr);
}

function toPlainDecimal(s: string): string {
  let sign = '';
  if (s.startsWith('-')) {
    sign = '-';
    s = s.slice(1);
  }
  const [mant, expStr] = s.toLowerCase().split('e');
  const exp = expStr ? Number(expStr) : 0;
  const [intPart, frac = ''] = mant.split('.');
  const digits = intPart + frac;
  const point = intPart.length + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  if (out.includes('.')) out = out.replace(/0+$/, '').replace(/\.$/, '');
  out = out.replace(/^0+(?=\d)/, '');
  return sign + out;
}

