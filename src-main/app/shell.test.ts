import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../collection/test-support/check';
import { safeExternalUrl } from './external-url';
import { desktopEntry, linuxOpenAtLogin, quoteExecArg, setLinuxOpenAtLogin } from './login-item';
import { loadWindowState, saveWindowState } from './window-state';

const SCREEN = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('window state', () => {
  it('round-trips bounds and maximised state', () => {
    const p = join(tempDir(), 'sub', 'window-state.json');
    expect(loadWindowState(p, SCREEN)).toEqual({ bounds: null, maximized: false });
    saveWindowState(p, { bounds: { x: 100, y: 50, width: 900, height: 700 }, maximized: true });
    expect(loadWindowState(p, SCREEN)).toEqual({ bounds: { x: 100, y: 50, width: 900, height: 700 }, maximized: true });
  });

  it('forgets a position that is off every display, and junk', () => {
    const p = join(tempDir(), 'w.json');
    saveWindowState(p, { bounds: { x: 3000, y: 50, width: 900, height: 700 }, maximized: false });
    expect(loadWindowState(p, SCREEN).bounds).toBeNull();
    writeFileSync(p, '{not json');
    expect(loadWindowState(p, SCREEN)).toEqual({ bounds: null, maximized: false });
    writeFileSync(p, JSON.stringify({ bounds: { x: 0, y: 0, width: 'big' } }));
    expect(loadWindowState(p, SCREEN).bounds).toBeNull();
    writeFileSync(p, JSON.stringify({ bounds: { x: 10, y: 10, width: 20, height: 20 } }));
    expect(loadWindowState(p, SCREEN).bounds).toEqual({ x: 10, y: 10, width: 480, height: 360 });
  });
});

describe('start at login on Linux', () => {
  it('writes and removes an XDG autostart entry that starts hidden', () => {
    const dir = join(tempDir(), 'autostart');
    expect(linuxOpenAtLogin(dir)).toBe(false);
    setLinuxOpenAtLogin(true, ['/opt/Deck Hand/deckhand'], dir);
    expect(linuxOpenAtLogin(dir)).toBe(true);
    expect(readFileSync(join(dir, 'deckhand.desktop'), 'utf8')).toContain('Exec="/opt/Deck Hand/deckhand" --hidden');
    setLinuxOpenAtLogin(false, [], dir);
    expect(linuxOpenAtLogin(dir)).toBe(false);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'deckhand.desktop'), desktopEntry(['x']) + 'Hidden=true\n');
    expect(linuxOpenAtLogin(dir)).toBe(false);
  });

  it('quotes Exec arguments per the Desktop Entry spec', () => {
    expect(quoteExecArg('/usr/bin/electron')).toBe('/usr/bin/electron');
    expect(quoteExecArg('a b')).toBe('"a b"');
    expect(quoteExecArg('say "hi" $HOME')).toBe('"say \\"hi\\" \\$HOME"');
    expect(quoteExecArg('100%')).toBe('100%%');
  });
});

describe('external links', () => {
  it('lets only clean web URLs out', () => {
    expect(safeExternalUrl('https://apps.ankiweb.net/')).toBe('https://apps.ankiweb.net/');
    expect(safeExternalUrl('http://example.com/a?b')).toBe('http://example.com/a?b');
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'app://deckhand/index.html', 'https://user:pw@example.com/', 'smb://host/share', 'not a url']) {
      expect(safeExternalUrl(bad), bad).toBeNull();
    }
  });
});
