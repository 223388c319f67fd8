// Where Deckhand keeps its profiles, and where Anki keeps its own (read-only discovery).

import { homedir } from 'node:os';
import path from 'node:path';

/** Lets tests (and callers) describe another machine. Defaults: this process. */
export interface PlatformInfo {
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  homedir?: string;
}

/** Overrides the data folder (tests, portable installs). */
export const DATA_DIR_ENV = 'DECKHAND_DATA_DIR';
/** Anki's own override of its base folder. */
export const ANKI_BASE_ENV = 'ANKI_BASE';

function resolved(info: PlatformInfo) {
  const platform = info.platform ?? process.platform;
  return {
    platform,
    env: info.env ?? process.env,
    home: info.homedir ?? homedir(),
    p: platform === 'win32' ? path.win32 : path.posix,
  };
}

/** The per-user application-data folder that holds `folderName` on this OS. */
function appDataDir(info: PlatformInfo, folderName: string, xdgAsAnki: boolean): string {
  const { platform, env, home, p } = resolved(info);
  if (platform === 'win32') {
    // %APPDATA% (roaming), what Anki's get_appdata() returns
    return p.join(env.APPDATA || p.join(home, 'AppData', 'Roaming'), folderName);
  }
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', folderName);
  const xdg = env.XDG_DATA_HOME;
  // The XDG spec says to ignore relative values; Anki uses whatever is set.
  const useXdg = xdg !== undefined && xdg !== '' && (xdgAsAnki || p.isAbsolute(xdg));
  return p.join(useXdg ? xdg : p.join(home, '.local', 'share'), folderName);
}

/**
 * Deckhand's data folder: `explicit`, else `$DECKHAND_DATA_DIR`, else per OS — Linux
 * `$XDG_DATA_HOME/Deckhand` or `~/.local/share/Deckhand`, macOS
 * `~/Library/Application Support/Deckhand`, Windows `%APPDATA%\Deckhand`.
 */
export function deckhandDataDir(info: PlatformInfo & { explicit?: string } = {}): string {
  if (info.explicit) return path.resolve(info.explicit);
  const env = info.env ?? process.env;
  if (env[DATA_DIR_ENV]) return path.resolve(env[DATA_DIR_ENV]!);
  return appDataDir(info, 'Deckhand', false);
}

/**
 * Anki's base folder, by Anki's rules (aqt/profiles.py `get_created_base_folder`): `$ANKI_BASE`,
 * else Linux `$XDG_DATA_HOME/Anki2` or `~/.local/share/Anki2`, macOS
 * `~/Library/Application Support/Anki2`, Windows `%APPDATA%\Anki2`. (Anki's `-b` command-line
 * override is not visible to us; pass `explicit` if the user points at such a folder.)
 */
export function ankiBaseDir(info: PlatformInfo & { explicit?: string } = {}): string {
  if (info.explicit) return path.resolve(info.explicit);
  const env = info.env ?? process.env;
  if (env[ANKI_BASE_ENV]) return path.resolve(env[ANKI_BASE_ENV]!);
  return appDataDir(info, 'Anki2', true);
}
