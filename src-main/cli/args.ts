/** A small argv parser: `--name value`, `--name=value`, repeatable options, boolean flags, positionals. */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: { flags?: string[]; options?: string[] }): ParsedArgs {
  const flags = new Set(spec.flags ?? []);
  const options = new Set(spec.options ?? []);
  const out: ParsedArgs = { positionals: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '--') {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (flags.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      out.flags.add(name);
      continue;
    }
    if (!options.has(name)) throw new UsageError(`unknown option --${name}`);
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    out.options.set(name, [...(out.options.get(name) ?? []), value]);
  }
  return out;
}

export const opt = (p: ParsedArgs, name: string): string | undefined => p.options.get(name)?.at(-1);
export const opts = (p: ParsedArgs, name: string): string[] => p.options.get(name) ?? [];

export function intOpt(p: ParsedArgs, name: string): number | undefined {
  const v = opt(p, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, not “${v}”`);
  return Number(v);
}

/** `Name=value` pairs of repeated `--field` options, in the order given. */
export function fieldPairs(p: ParsedArgs, name = 'field'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of opts(p, name)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${name} takes Name=value, not “${pair}”`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
