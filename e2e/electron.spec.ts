// The real desktop shell, driven through Playwright's Electron support. Needs an Electron binary,
// which cannot be downloaded on every machine: set ELECTRON_BIN to one, else this spec skips.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const bin = process.env.ELECTRON_BIN;
const reason = !bin ? 'ELECTRON_BIN is not set (no Electron binary on this machine)' : !existsSync(bin) ? `ELECTRON_BIN=${bin} does not exist` : null;
if (reason) console.log(`e2e/electron.spec.ts skipped: ${reason}`);

test.describe('desktop shell', () => {
  test.skip(!!reason, reason ?? '');

  test('opens a hardened window that exposes only invoke/on and serves the contract', async () => {
    const root = join(import.meta.dirname, '..');
    const dataDir = mkdtempSync(join(tmpdir(), 'deckhand-electron-'));
    const app = await electron.launch({
      executablePath: bin!,
      args: [root, `--data-dir=${dataDir}`],
      env: { ...process.env, DECKHAND_DATA_DIR: dataDir, XDG_CONFIG_HOME: join(dataDir, 'config') },
    });
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('heading', { name: 'Decks' })).toBeVisible();
      expect(page.url()).toBe('app://deckhand/index.html');
      expect(await page.evaluate(() => Object.keys(window.deckhand ?? {}).sort())).toEqual(['invoke', 'on']);
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined');
      const info = await page.evaluate(() => window.deckhand!.invoke('app.info', {}));
      expect(info).toMatchObject({ ok: true, value: { mediaBase: 'app://deckhand/media/' } });
      await page.screenshot({ path: test.info().outputPath('electron-window.png') });
      // closing the window keeps the app in the tray
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].close());
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().filter((w) => w.isVisible()).length)).toBe(0);
    } finally {
      await app.evaluate(({ app: a }) => a.quit()).catch(() => undefined);
      await app.close().catch(() => undefined);
    }
  });
});
