// `npm run bench`: runs every bench/*.bench.ts in turn; each prints its figures with same-run baselines.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const only = process.argv[2];
for (const f of readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts')).sort()) {
  if (only && !f.includes(only)) continue;
  console.log(`\n== ${f}`);
  const r = spawnSync('npx', ['tsx', join('bench', f)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
