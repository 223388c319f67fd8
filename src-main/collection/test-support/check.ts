import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SHARED_DIR = resolve(import.meta.dirname, '../../../../shared');
export const FIXTURES_DIR = join(SHARED_DIR, 'fixtures/anki');
const CHECKER = join(SHARED_DIR, 'checks/anki_collection_check.py');

export interface CheckReport {
  ok: boolean;
  passed: number;
  failed: number;
  checks: { name: string; status: string; detail: string; findings: { severity: string; message: string }[] }[];
}

/** Runs the independent Anki-format checker on a (closed) collection file. */
export function runChecker(path: string, strict = true): CheckReport {
  const args = [CHECKER, path, '--json', ...(strict ? ['--strict'] : [])];
  try {
    return JSON.parse(execFileSync('python3', args, { encoding: 'utf8' })) as CheckReport;
  } catch (e) {
    const out = (e as { stdout?: string }).stdout;
    if (out) return JSON.parse(out) as CheckReport;
    throw e;
  }
}

/** Fails with the checker's findings unless the file passes `--strict`. */
export function expectCollectionPasses(path: string): void {
  const r = runChecker(path, true);
  if (!r.ok) {
    const bad = r.checks.filter((c) => c.status === 'FAIL' || c.status === 'WARN').map((c) => `${c.status} ${c.name}: ${c.detail} ${c.findings.map((f) => f.message).join('; ')}`);
    throw new Error(`anki_collection_check --strict failed for ${path}:\n${bad.join('\n')}`);
  }
}

export function tempDir(prefix = 'deckhand-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
