// Playwright fixtures: each test gets a fresh profile served by `deckhand serve` (the real core,
// AnkiConnect on a free port, the browser transport), and a page opened on it. Console errors
// and page errors fail the test.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base, expect, type Page } from '@playwright/test';

export interface Served {
  /** The URL to open (carries the per-launch token once). */
  openUrl: string;
  /** The AnkiConnect listener of the same process. */
  ankiConnectUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

const root = join(import.meta.dirname, '..', '..');

/** `node bin/deckhand.mjs serve --data-dir TMP --port 0 --ui-port 0`, until it prints the UI's URL. */
export async function startServer(dataDir = mkdtempSync(join(tmpdir(), 'deckhand-e2e-'))): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, [join(root, 'bin', 'deckhand.mjs'), 'serve', '--data-dir', dataDir, '--profile', 'E2E', '--port', '0', '--ui-port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  let ankiConnectUrl = '';
  const openUrl = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      output += `${line}\n`;
      const ac = /AnkiConnect listening on (\S+)/.exec(line);
      if (ac) ankiConnectUrl = ac[1];
      const m = /Open the app in a browser: (\S+)/.exec(line);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`deckhand serve exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`deckhand serve printed no UI URL in time:\n${output}`)), 30_000).unref();
  });
  return {
    openUrl,
    ankiConnectUrl,
    dataDir,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** `SYNC_USER1=user:pass deckhand sync-server --port 0` in a temp folder; resolves with its URL. */
export async function startSyncServer(user: string): Promise<{ url: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'deckhand-syncserver-'));
  const child = spawn(process.execPath, [join(root, 'bin', 'deckhand.mjs'), 'sync-server', '--port', '0', '--data-dir', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SYNC_USER1: user },
  });
  let output = '';
  child.stderr.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      output += `${line}\n`;
      const m = /Sync server listening on (\S+)/.exec(line);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`sync-server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export const test = base.extend<{ served: Served; app: Page; allowConsole: RegExp | null }>({
  /** Console errors matching this are expected (e.g. CSP refusals a test provokes on purpose). */
  allowConsole: [null, { option: true }],
  // eslint-disable-next-line no-empty-pattern
  served: async ({}, use) => {
    const served = await startServer();
    await use(served);
    await served.stop();
  },
  app: async ({ page, served, allowConsole }, use, testInfo) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/favicon/.test(m.text())) problems.push(`console error: ${m.text()}`);
    });
    await page.goto(served.openUrl);
    await expect(page.getByRole('heading', { name: 'Decks' })).toBeVisible();
    await use(page);
    await testInfo.attach('console', { body: problems.join('\n') || '(clean)', contentType: 'text/plain' });
    expect(problems.filter((p) => !allowConsole?.test(p)), 'console/page errors').toEqual([]);
  },
});

export { expect };

/** Saves a named screenshot into the test's output folder (kept as an artifact). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
}
