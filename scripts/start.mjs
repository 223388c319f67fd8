// `npm start`: build the app with electron-vite and launch Electron. Where no Electron binary
// exists (ELECTRON_BIN unset and none installed) say so in one line and name the headless command.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
function electronBinary() {
  if (process.env.ELECTRON_BIN && existsSync(process.env.ELECTRON_BIN)) return process.env.ELECTRON_BIN;
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathTxt = join(dir, 'path.txt');
    if (existsSync(pathTxt)) {
      const bin = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim());
      if (existsSync(bin)) return bin;
    }
  } catch {
    /* electron package missing: handled below */
  }
  return null;
}

const bin = electronBinary();
if (!bin) {
  console.log('deckhand: no Electron binary on this machine (set ELECTRON_BIN to one); run the headless app instead: npx deckhand serve');
  process.exit(0);
}
const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const r = spawnSync(bin, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 0);
