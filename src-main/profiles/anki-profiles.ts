// Read-only discovery of the user's Anki profiles, by Anki's own rules: the base folder from
// `ankiBaseDir()`, the profile list from `prefs21.db` (table `profiles`, minus the `_global` row),
// each profile in `<base>/<name>/`. Nothing here writes to Anki's folder.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readAnkiProfileNames } from '../storage/profile-dbs';
import { ankiBaseDir, type PlatformInfo } from './paths';
import { COLLECTION_FILE, profileLayout, type ProfileInfo } from './profiles-service';

export const ANKI_PREFS_FILE = 'prefs21.db';

export interface AnkiProfile extends ProfileInfo {
  /** Anki's base folder this profile belongs to. */
  baseDir: string;
  hasMedia: boolean;
  /** Size of collection.anki2 in bytes (0 when missing). */
  collectionBytes: number;
}

export interface AnkiInstallation {
  baseDir: string;
  /** Whether the base folder exists at all. */
  exists: boolean;
  /** Where the list came from: Anki's prefs21.db, a scan of the folders, or nothing found. */
  source: 'prefs21.db' | 'folders' | 'none';
  /** Why prefs21.db could not be used (then the folders were scanned). */
  prefsError?: string;
  profiles: AnkiProfile[];
}

function describe(baseDir: string, name: string): AnkiProfile {
  const info = profileLayout(join(baseDir, name), name);
  let collectionBytes = 0;
  try {
    if (info.hasCollection) collectionBytes = statSync(info.collectionPath).size;
  } catch {
    /* unreadable: reported as 0 */
  }
  return { ...info, baseDir, hasMedia: existsSync(info.mediaDir), collectionBytes };
}

/** Folders of the base that hold a collection.anki2 (used when prefs21.db is missing or unreadable). */
function scanFolders(baseDir: string): string[] {
  return readdirSync(baseDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && existsSync(join(baseDir, e.name, COLLECTION_FILE)))
    .map((e) => e.name)
    .sort();
}

/**
 * Finds Anki's profiles. Never fails because Anki is absent or its preferences cannot be read: it
 * reports what it found. (Whether Anki currently has a profile open shows only when the
 * collection is opened or copied: that fails with `collection-locked`.)
 */
export function discoverAnkiProfiles(opts: PlatformInfo & { baseDir?: string } = {}): AnkiInstallation {
  const baseDir = ankiBaseDir({ ...opts, explicit: opts.baseDir });
  if (!existsSync(baseDir)) return { baseDir, exists: false, source: 'none', profiles: [] };
  const prefs = join(baseDir, ANKI_PREFS_FILE);
  let prefsError: string | undefined;
  if (existsSync(prefs)) {
    try {
      const names = readAnkiProfileNames(prefs);
      return { baseDir, exists: true, source: 'prefs21.db', profiles: names.map((n) => describe(baseDir, n)) };
    } catch (e) {
      prefsError = (e as Error).message;
    }
  }
  let names: string[] = [];
  try {
    names = scanFolders(baseDir);
  } catch (e) {
    prefsError ??= (e as Error).message;
  }
  return { baseDir, exists: true, source: names.length ? 'folders' : 'none', ...(prefsError ? { prefsError } : {}), profiles: names.map((n) => describe(baseDir, n)) };
}
