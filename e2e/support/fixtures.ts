// Playwright fixtures: each test gets a fresh profile served by the real core over the browser
// transport (e2e/support/start-ui.mjs), and a page opened on it. Console errors and page errors
// fail the test.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base, expect, type Page } from '@playwright/test';

export interface Served {
  url: string;
  openUrl: string;
  dataDir: string;
  collectionPath: string;
  stop(): Promise<void>;
}

const root = join(import.meta.dirname, '..', '..');

export async function startServer(): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, [join(root, 'e2e', 'support', 'start-ui.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`start-ui exited with ${code}: ${stderr}`)));
    setTimeout(() => reject(new Error(`start-ui did not start in time: ${stderr}`)), 30_000).unref();
  });
  const info = JSON.parse(line) as Omit<Served, 'stop'>;
  return {
    ...info,
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
