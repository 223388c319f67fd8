// Start at login. macOS and Windows use Electron's login item settings (the shell calls them);
// Linux has no such API, so we write or remove an XDG autostart entry. Pure Node, tested here.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const AUTOSTART_FILE = 'deckhand.desktop';
/** The argument that makes a login launch start in the tray without a window. */
export const HIDDEN_ARG = '--hidden';

export function autostartDir(env: Record<string, string | undefined> = process.env, home = homedir()): string {
  const config = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(config, 'autostart');
}

/** Quotes one Exec argument as the Desktop Entry spec asks. */
export function quoteExecArg(arg: string): string {
  if (!/[\s"'\\$`<>~|&;*?#()]/.test(arg) && arg !== '') return arg.replace(/%/g, '%%');
  return `"${arg.replace(/[\\"$`]/g, (c) => `\\${c}`).replace(/%/g, '%%')}"`;
}

export function desktopEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Deckhand',
    'Comment=Flashcards that work with Anki',
    `Exec=${[...command, HIDDEN_ARG].map(quoteExecArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function linuxOpenAtLogin(dir = autostartDir()): boolean {
  const path = join(dir, AUTOSTART_FILE);
  return existsSync(path) && !/^Hidden=true$/m.test(readFileSync(path, 'utf8'));
}

/** Writes or removes the autostart entry. `command` is the executable and its leading arguments. */
export function setLinuxOpenAtLogin(enabled: boolean, command: readonly string[], dir = autostartDir()): void {
  const path = join(dir, AUTOSTART_FILE);
  if (!enabled) {
    rmSync(path, { force: true });
    return;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, desktopEntry(command));
}
