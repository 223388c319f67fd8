// `npm test`: type check, lint, unit/integration tests (vitest), then the browser e2e specs.
// Prints one closing line "N passed, M failed" summing every stage that counts tests.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
mkdirSync(join(root, 'test-results'), { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;
let broken = [];

function run(name, cmd, args) {
  console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) broken.push(name);
  return r.status === 0;
}

run('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
run('lint', 'npx', ['eslint', '.']);

const vitestJson = join(root, 'test-results', 'vitest.json');
rmSync(vitestJson, { force: true });
run('unit', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
try {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
} catch {
  broken.push('unit (no report)');
}

const e2eJson = join(root, 'test-results', 'e2e.json');
rmSync(e2eJson, { force: true });
run('e2e', 'node', ['scripts/e2e.mjs', `--report=${e2eJson}`]);
try {
  const r = JSON.parse(readFileSync(e2eJson, 'utf8'));
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
} catch {
  broken.push('e2e (no report)');
}

if (broken.length) console.log(`\nstages that failed: ${broken.join(', ')}`);
if (broken.length && failed === 0) failed = broken.length;
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || broken.length ? 1 : 0);
