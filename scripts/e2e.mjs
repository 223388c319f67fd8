// Runs the Playwright e2e specs (e2e/) in Debian's Chromium and writes {passed, failed, skipped}
// to --report=FILE for scripts/test-all.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const report = process.argv.find((a) => a.startsWith('--report='))?.slice(9);
const jsonOut = join(root, 'test-results', 'playwright.json');
const r = spawnSync('npx', ['playwright', 'test', '--reporter=list,json', '--pass-with-no-tests'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: jsonOut },
});
const totals = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(jsonOut)) {
  const s = JSON.parse(readFileSync(jsonOut, 'utf8')).stats ?? {};
  totals.passed = (s.expected ?? 0) + (s.flaky ?? 0);
  totals.failed = s.unexpected ?? 0;
  totals.skipped = s.skipped ?? 0;
}
if (r.status !== 0 && totals.failed === 0) totals.failed = 1;
if (report) writeFileSync(report, JSON.stringify(totals));
process.exit(r.status ?? 1);
