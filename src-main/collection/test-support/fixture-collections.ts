import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zstdDecompressSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { FIXTURES_DIR } from './check';

/** Every fixture file that holds a collection: raw files and packages, top level and `real/`. */
export const FIXTURE_FILES = [
  ...readdirSync(FIXTURES_DIR).filter((f) => /\.(anki2?|db|apkg|colpkg)$/.test(f)),
  ...readdirSync(join(FIXTURES_DIR, 'real'))
    .filter((f) => /\.(anki2|apkg|colpkg)$/.test(f))
    .map((f) => `real/${f}`),
];

/** Copies of every collection file a fixture holds: raw files as they are, packages unzipped (anki21b decompressed). */
export function collectionsIn(file: string, dir: string): { label: string; path: string }[] {
  const src = join(FIXTURES_DIR, file);
  if (!/\.(apkg|colpkg)$/.test(file)) {
    const path = join(dir, file.replace(/[^\w.-]/g, '_'));
    copyFileSync(src, path);
    return [{ label: file, path }];
  }
  const entries = unzipSync(readFileSync(src));
  const out: { label: string; path: string }[] = [];
  for (const name of ['collection.anki21b', 'collection.anki21', 'collection.anki2']) {
    const data = entries[name];
    if (!data) continue;
    const path = join(dir, `${file.replace(/[^\w.-]/g, '_')}.${name}`);
    writeFileSync(path, name.endsWith('b') ? zstdDecompressSync(data) : data);
    out.push({ label: `${file} → ${name}`, path });
  }
  return out;
}
