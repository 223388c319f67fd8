// Deckhand profiles: one folder per profile under the data folder, laid out like an Anki profile
// (collection.anki2, collection.media/, collection.media.db2, backups/) plus `profile.json`.
// Also imports (copies) an Anki profile, or opens one in place.

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Collection, type OpenOptions } from '../collection/collection';
import { DeckhandError, notFound } from '../collection/errors';
import { MediaDbStore } from '../storage/media-store';
import { assertSqliteFileNotLocked, copySqliteFile } from '../storage/profile-dbs';
import { unicaseCompare, unicaseEquals } from '../storage/unicase';
import type { AnkiProfile } from './anki-profiles';
import { deckhandDataDir, type PlatformInfo } from './paths';
import { assertNoSecrets, mergeProfileSettings, parseProfileSettings, type ProfileSettings, type ProfileSettingsPatch } from './profile-settings';

export const COLLECTION_FILE = 'collection.anki2';
export const MEDIA_DIR = 'collection.media';
export const MEDIA_DB_FILE = 'collection.media.db2';
export const BACKUPS_DIR = 'backups';
export const PROFILE_SETTINGS_FILE = 'profile.json';
/** Deckhand-wide state in the data folder (last opened profile). */
export const STATE_FILE = 'deckhand.json';

export interface ProfileInfo {
  name: string;
  dir: string;
  collectionPath: string;
  mediaDir: string;
  mediaDbPath: string;
  backupsDir: string;
  hasCollection: boolean;
}

/** The files of a profile folder (Deckhand's and Anki's use the same names). */
export function profileLayout(dir: string, name: string): ProfileInfo {
  return {
    name,
    dir,
    collectionPath: join(dir, COLLECTION_FILE),
    mediaDir: join(dir, MEDIA_DIR),
    mediaDbPath: join(dir, MEDIA_DB_FILE),
    backupsDir: join(dir, BACKUPS_DIR),
    hasCollection: existsSync(join(dir, COLLECTION_FILE)),
  };
}

// Anki refuses : * ? " < > | / \ and a leading '.'; Windows also refuses control characters,
// trailing dots/spaces and device names, and we want names that work on every OS.
// eslint-disable-next-line no-control-regex
const BAD_CHARS = /[:*?"<>|/\\\x00-\x1f\x7f]/;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\..*)?$/i;

/** A profile name a person typed, checked and NFC-normalised; throws `invalid-input`. */
export function checkProfileName(input: string): string {
  const name = input.trim().normalize('NFC');
  if (!name) throw new DeckhandError('invalid-input', 'a profile needs a name');
  const bad = BAD_CHARS.exec(name);
  if (bad) throw new DeckhandError('invalid-input', `a profile name cannot contain “${bad[0] < ' ' ? `\\x${bad[0].charCodeAt(0).toString(16)}` : bad[0]}”`);
  if (name.startsWith('.')) throw new DeckhandError('invalid-input', 'a profile name cannot start with “.”');
  if (name.endsWith('.')) throw new DeckhandError('invalid-input', 'a profile name cannot end with “.”');
  if (WINDOWS_DEVICE.test(name)) throw new DeckhandError('invalid-input', `“${name}” is reserved by Windows and cannot be a profile name`);
  if (Buffer.byteLength(name) > 200) throw new DeckhandError('invalid-input', 'that profile name is too long');
  return name;
}

function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
  renameSync(tmp, path);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DeckhandError('corrupt', `${path} cannot be read (${(e as Error).message})`);
  }
}

export interface ProfileManagerOptions extends PlatformInfo {
  /** The data folder; default deckhandDataDir(). */
  baseDir?: string;
  /** Passed to Collection.open/create (tests use a fixed clock). */
  clock?: OpenOptions['clock'];
}

export interface ImportOptions {
  /** Name of the new Deckhand profile; default the Anki profile's name. */
  name?: string;
  /** Copy collection.media/ and its database too. Default true. */
  includeMedia?: boolean;
}

/** Lists, creates, opens, renames and deletes Deckhand profiles in one data folder. */
export class ProfileManager {
  readonly baseDir: string;
  private readonly clock: OpenOptions['clock'];

  constructor(opts: ProfileManagerOptions = {}) {
    this.baseDir = opts.baseDir ?? deckhandDataDir(opts);
    this.clock = opts.clock;
  }

  private now(): number {
    return this.clock ? this.clock.nowMs() : Date.now();
  }

  /** Profiles: folders holding profile.json or collection.anki2, sorted by name. */
  list(): ProfileInfo[] {
    if (!existsSync(this.baseDir)) return [];
    return readdirSync(this.baseDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .filter((e) => existsSync(join(this.baseDir, e.name, PROFILE_SETTINGS_FILE)) || existsSync(join(this.baseDir, e.name, COLLECTION_FILE)))
      .map((e) => profileLayout(join(this.baseDir, e.name), e.name))
      .sort((a, b) => unicaseCompare(a.name, b.name) || (a.name < b.name ? -1 : 1));
  }

  /** The profile with this name (exact, else the one equal ignoring case); throws `not-found`. */
  get(name: string): ProfileInfo {
    const all = this.list();
    const n = name.normalize('NFC');
    const p = all.find((x) => x.name === n) ?? all.find((x) => unicaseEquals(x.name, n));
    if (!p) throw notFound(`profile “${name}”`);
    return p;
  }

  /** Refuses a name another profile (ignoring case) or another folder already has. */
  private assertFree(name: string, renaming?: ProfileInfo): void {
    for (const p of this.list()) {
      if (renaming && p.dir === renaming.dir) continue;
      if (unicaseEquals(p.name, name)) throw new DeckhandError('duplicate-name', `a profile named “${p.name}” already exists`);
    }
    const dir = join(this.baseDir, name);
    if (existsSync(dir) && !(renaming && unicaseEquals(renaming.name, name)))
      throw new DeckhandError('duplicate-name', `${dir} already exists; choose another profile name`);
  }

  /** Makes a new profile with an empty collection, media folder, media DB and backups folder. */
  create(name: string, settings: ProfileSettingsPatch = {}): ProfileInfo {
    const n = checkProfileName(name);
    this.assertFree(n);
    assertNoSecrets(settings);
    const info = profileLayout(join(this.baseDir, n), n);
    mkdirSync(this.baseDir, { recursive: true });
    mkdirSync(info.dir);
    try {
      const s = mergeProfileSettings(parseProfileSettings({ createdAt: this.now() }), settings);
      Collection.create(info.collectionPath, { clock: this.clock }).close();
      this.ensureFolders(info);
      writeJsonAtomic(join(info.dir, PROFILE_SETTINGS_FILE), s);
    } catch (e) {
      rmSync(info.dir, { recursive: true, force: true });
      throw e;
    }
    return profileLayout(info.dir, n);
  }

  private ensureFolders(info: ProfileInfo): void {
    mkdirSync(info.mediaDir, { recursive: true });
    mkdirSync(info.backupsDir, { recursive: true });
    if (!existsSync(info.mediaDbPath)) MediaDbStore.open(info.mediaDbPath).close();
  }

  /**
   * Opens a profile's collection (upgrading an older schema, with the pre-upgrade copy in
   * backups/), creating it if the folder has none. Fails with `collection-locked` while another
   * program holds it. Remembers the profile as the last one opened.
   */
  open(name: string, opts: OpenOptions = {}): Collection {
    const info = this.get(name);
    this.ensureFolders(info);
    const col = info.hasCollection
      ? Collection.open(info.collectionPath, { clock: this.clock, backupDir: info.backupsDir, ...opts })
      : Collection.create(info.collectionPath, { clock: this.clock, ...opts });
    this.setLastProfile(info.name);
    return col;
  }

  /** Renames a profile (its folder). Refused while its collection is open. */
  rename(oldName: string, newName: string): ProfileInfo {
    const info = this.get(oldName);
    const n = checkProfileName(newName);
    if (n === info.name) return info;
    this.assertFree(n, info);
    if (info.hasCollection) assertSqliteFileNotLocked(info.collectionPath);
    const target = join(this.baseDir, n);
    if (unicaseEquals(n, info.name)) {
      // only the case changes: go through a temporary name (case-insensitive file systems)
      const tmp = join(this.baseDir, `.${info.name}-renaming-${process.pid}`);
      renameSync(info.dir, tmp);
      renameSync(tmp, target);
    } else {
      renameSync(info.dir, target);
    }
    if (this.lastProfile() === info.name) this.setLastProfile(n);
    return profileLayout(target, n);
  }

  /** Deletes a profile folder with everything in it. Refused while its collection is open. */
  delete(name: string): void {
    const info = this.get(name);
    if (info.hasCollection) assertSqliteFileNotLocked(info.collectionPath);
    rmSync(info.dir, { recursive: true, force: false });
    if (this.lastProfile() === info.name) this.setLastProfile(null);
  }

  readSettings(name: string): ProfileSettings {
    const info = this.get(name);
    return parseProfileSettings(readJson(join(info.dir, PROFILE_SETTINGS_FILE)) ?? { createdAt: Math.floor(statSync(info.dir).birthtimeMs) });
  }

  /** Changes settings (sync endpoint, AnkiConnect port…); passwords/keys are refused. */
  updateSettings(name: string, patch: ProfileSettingsPatch): ProfileSettings {
    const info = this.get(name);
    const next = mergeProfileSettings(this.readSettings(name), patch);
    writeJsonAtomic(join(info.dir, PROFILE_SETTINGS_FILE), next);
    return next;
  }

  lastProfile(): string | null {
    const s = readJson(join(this.baseDir, STATE_FILE)) as { lastProfile?: unknown } | undefined;
    return typeof s?.lastProfile === 'string' ? s.lastProfile : null;
  }

  setLastProfile(name: string | null): void {
    mkdirSync(this.baseDir, { recursive: true });
    const path = join(this.baseDir, STATE_FILE);
    const s = (readJson(path) as Record<string, unknown> | undefined) ?? {};
    writeJsonAtomic(path, { ...s, lastProfile: name });
  }

  /**
   * Copies an Anki profile into a new Deckhand profile: the collection through SQLite's backup
   * (consistent even with a -wal file), the media folder and media DB; then opens the copy once
   * so an older schema is upgraded (the copy, never Anki's file). Refused with
   * `collection-locked` while Anki has the profile open. Anki's files are not modified.
   */
  async importAnkiProfile(src: AnkiProfile, opts: ImportOptions = {}): Promise<ProfileInfo> {
    if (!src.hasCollection) throw notFound(`a collection in the Anki profile “${src.name}” (${src.collectionPath})`);
    const n = checkProfileName(opts.name ?? src.name);
    this.assertFree(n);
    assertSqliteFileNotLocked(src.collectionPath);
    const info = profileLayout(join(this.baseDir, n), n);
    mkdirSync(this.baseDir, { recursive: true });
    mkdirSync(info.dir);
    try {
      await copySqliteFile(src.collectionPath, info.collectionPath);
      if ((opts.includeMedia ?? true) && existsSync(src.mediaDir)) {
        cpSync(src.mediaDir, info.mediaDir, { recursive: true, preserveTimestamps: true });
        if (existsSync(src.mediaDbPath)) await copySqliteFile(src.mediaDbPath, info.mediaDbPath);
      }
      this.ensureFolders(info);
      Collection.open(info.collectionPath, { clock: this.clock, backupDir: info.backupsDir }).close();
      const settings = parseProfileSettings({ createdAt: this.now(), importedFrom: { ankiBase: src.baseDir, profile: src.name, at: this.now() } });
      writeJsonAtomic(join(info.dir, PROFILE_SETTINGS_FILE), settings);
    } catch (e) {
      rmSync(info.dir, { recursive: true, force: true });
      throw e;
    }
    return profileLayout(info.dir, n);
  }
}

/**
 * Opens an Anki profile's collection where it is, for people who use Anki and Deckhand on the same
 * files (never both at once). Refused with `collection-locked` while Anki has it open. Like Anki,
 * an older schema is upgraded in place (a copy of the old file goes to the profile's backups/).
 */
export function openAnkiProfileInPlace(src: AnkiProfile, opts: OpenOptions = {}): Collection {
  if (!src.hasCollection) throw notFound(`a collection in the Anki profile “${src.name}” (${src.collectionPath})`);
  try {
    return Collection.open(src.collectionPath, { backupDir: join(src.dir, BACKUPS_DIR), ...opts });
  } catch (e) {
    if (e instanceof DeckhandError && e.code === 'collection-locked')
      throw new DeckhandError('collection-locked', `Anki has the profile “${src.name}” open. Close Anki (or switch it to another profile) and try again.`);
    throw e;
  }
}
