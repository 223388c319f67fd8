// Rows: what the emitter builds for a node, per end state (see emitter), and the helpers that
// render and combine them.

export interface Row {
  base: string;
  ent: Map<string, string[]>;
}

export const DEAD: Row = { base: '', ent: new Map() };
/** Emitted patterns larger than this (pathological boundary/repetition mixes) are refused. */
export const MAX_SOURCE = 2_000_000;

export function render(alts: readonly string[]): string {
  return alts.length === 1 ? alts[0] : `(?:${alts.join('|')})`;
}

export function group(src: string): string {
  return `(?:${src})`;
}

export function quantifier(min: number, max: number): string {
  if (min === 0 && max === Infinity) return '*';
  if (min === 1 && max === Infinity) return '+';
  if (min === 0 && max === 1) return '?';
  if (max === Infinity) return `{${min},}`;
  if (min === max) return `{${min}}`;
  return `{${min},${max}}`;
}

export function single(state: string, src: string): Row {
  return { base: '', ent: new Map([[state, [src]]]) };
}

export function addAlt(ent: Map<string, string[]>, state: string, src: string): void {
  const alts = ent.get(state);
  if (!alts) ent.set(state, [src]);
  else if (!alts.includes(src)) alts.push(src);
}

export function sameRow(a: Row, b: Row): boolean {
  if (a === b) return true;
  if (a.base !== b.base || a.ent.size !== b.ent.size) return false;
  for (const [k, alts] of a.ent) {
    const other = b.ent.get(k);
    if (!other || render(other) !== render(alts)) return false;
  }
  return true;
}

export function rowSize(r: Row): number {
  let n = r.base.length;
  for (const alts of r.ent.values()) for (const a of alts) n += a.length;
  return n;
}
