import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Builds the app (renderer, preload, main) so the specs test the current sources. */
export default function globalSetup(): void {
  if (process.env.DECKHAND_E2E_SKIP_BUILD) return;
  const root = join(import.meta.dirname, '..', '..');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('electron-vite build failed');
}
