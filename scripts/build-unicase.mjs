#!/usr/bin/env node
// Builds the `unicase` SQLite extension (native/unicase/unicase.c) into
// native/unicase/build/unicase.{so,dylib,dll}. Runs as npm's postinstall under whatever node runs
// npm (may be Node 20), so: plain ESM JavaScript, node: built-ins only.
//
// Skips the compile when the output exists and its inputs are unchanged (hash stamp). Compiler:
// $CC if set, else the first of cc/gcc/clang found (Windows: gcc/clang/cl, best effort).
// Exits 1 with a one-line error when it cannot build; DECKHAND_UNICASE_OPTIONAL=1 turns that into
// a warning with exit 0 (registerUnicase() will then try again and explain).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'native', 'unicase');
const outDir = join(srcDir, 'build');
const isWin = process.platform === 'win32';
const isMac = process.platform === 'darwin';
const out = join(outDir, `unicase.${isWin ? 'dll' : isMac ? 'dylib' : 'so'}`);
const stampFile = `${out}.stamp`;

function fail(msg) {
  if (process.env.DECKHAND_UNICASE_OPTIONAL === '1') {
    console.warn(`build-unicase: warning: ${msg}`);
    process.exit(0);
  }
  console.error(`build-unicase: error: ${msg}`);
  process.exit(1);
}

function sqliteIncludeDir() {
  const candidates = [];
  if (process.env.DECKHAND_SQLITE_INCLUDE) candidates.push(process.env.DECKHAND_SQLITE_INCLUDE);
  try {
    const pkg = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
    candidates.push(join(dirname(pkg), 'deps', 'sqlite3'));
  } catch {
    // not resolvable (e.g. not installed yet): fall through to the plain path
  }
  candidates.push(join(root, 'node_modules', 'better-sqlite3', 'deps', 'sqlite3'));
  return candidates.find((d) => existsSync(join(d, 'sqlite3ext.h')));
}

function findCompiler() {
  const names = process.env.CC ? [process.env.CC] : isWin ? ['gcc', 'clang', 'cc', 'cl'] : ['cc', 'gcc', 'clang'];
  for (const name of names) {
    const probe = spawnSync(name, name === 'cl' ? [] : ['--version'], { encoding: 'utf8', shell: false });
    if (!probe.error) return name;
  }
  return null;
}

const source = join(srcDir, 'unicase.c');
const table = join(srcDir, 'unicase_table.h');
const inc = sqliteIncludeDir();
if (!inc) fail('sqlite3ext.h not found (is better-sqlite3 installed? or set DECKHAND_SQLITE_INCLUDE)');
const cc = findCompiler();
if (!cc) {
  fail(
    `no C compiler found (tried ${process.env.CC ? '$CC=' + process.env.CC : isWin ? 'gcc, clang, cc, cl' : 'cc, gcc, clang'}); ` +
      'install one (Debian/Ubuntu: apt-get install gcc libc6-dev; macOS: xcode-select --install) and run "node scripts/build-unicase.mjs"',
  );
}

const tmp = `${out}.${process.pid}.tmp`;
const isCl = /(^|[\\/])cl(\.exe)?$/i.test(cc);
const args = isCl
  ? ['/nologo', '/O2', '/LD', `/I${inc}`, `/I${srcDir}`, source, `/Fe${tmp}`, `/Fo${join(outDir, 'unicase.obj')}`]
  : ['-O2', '-shared', ...(isWin ? [] : ['-fPIC']), ...(isMac ? ['-undefined', 'dynamic_lookup'] : []), '-I', inc, '-I', srcDir, '-o', tmp, source];

const hash = createHash('sha256');
hash.update(JSON.stringify({ v: 1, cc, platform: process.platform, arch: process.arch, flags: args.filter((a) => a !== tmp && !a.startsWith('/Fe')) }));
for (const f of [source, table, join(inc, 'sqlite3ext.h'), join(inc, 'sqlite3.h')]) {
  if (!existsSync(f)) fail(`missing ${f}`);
  hash.update(readFileSync(f));
}
const stamp = hash.digest('hex');
if (existsSync(out) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp) {
  console.log(`build-unicase: up to date (${out})`);
  process.exit(0);
}

mkdirSync(outDir, { recursive: true });
const r = spawnSync(cc, args, { cwd: outDir, encoding: 'utf8' });
if (r.error || r.status !== 0) {
  rmSync(tmp, { force: true });
  const msg = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (msg) console.error(msg);
  fail(`compiling ${source} with ${cc} failed${r.error ? `: ${r.error.message}` : ` (exit ${r.status})`}`);
}
renameSync(tmp, out); // atomic: a concurrent loader never sees a half-written file
writeFileSync(stampFile, `${stamp}\n`);
console.log(`build-unicase: built ${out} with ${cc}`);
