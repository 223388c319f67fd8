// Automatic backups as Anki makes them (rslib/src/collection/backup.rs): a latest-format .colpkg
// without media named `backup-YYYY-MM-DD-HH.MM.SS.colpkg` (local time) in the profile's
// `backups/` folder, made only when the collection changed since the last backup and no backup
// is younger than `minimum_interval_mins` (unless forced); then old backups are thinned: all of
// today and yesterday are kept, then one per day for `daily` days, one per week for `weekly`
// weeks, one per month for `monthly` months (config key `backups`, defaults 12/10/9/30).

import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Collection } from '../collection/collection';
import { type BackupLimits, getConfig } from '../config/config-service';
import { snapshotCollection } from './colpkg';
import { PackageVersion } from './package-format';
import { makeTempDir, writePackage } from './package-writer';

const BACKUP_RE = /^backup-(\d{4})-(\d{2})-(\d{2})-(\d{2})\.(\d{2})\.(\d{2})\.colpkg$/;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `backup-%Y-%m-%d-%H.%M.%S.colpkg` in local time. */
export function backupFileName(d: Date): string {
  return `backup-${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}-${pad(d.getHours())}.${pad(d.getMinutes())}.${pad(d.getSeconds())}.colpkg`;
}

/** The local time a backup file name stands for, or null if it is not a backup name. */
export function backupDateFromName(name: string): Date | null {
  const m = BACKUP_RE.exec(name);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(y, mo - 1, d, h, mi, s);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date;
}

export interface BackupInfo {
  path: string;
  name: string;
  date: Date;
  size: number;
}

/** Backups in a folder, newest first. */
export function listBackups(folder: string): BackupInfo[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const out: BackupInfo[] = [];
  for (const name of names) {
    const date = backupDateFromName(name);
    if (!date) continue;
    const path = join(folder, name);
    out.push({ path, name, date, size: statSync(path).size });
  }
  return out.sort((a, b) => b.date.getTime() - a.date.getTime());
}

/** chrono's `num_days_from_ce` of the local date (0001-01-01 is day 1). */
function dayFromCe(d: Date): number {
  return Math.round(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86_400_000) + 719_163;
}
const weekOf = (d: Date) => Math.trunc((dayFromCe(d) - 1) / 7);
const monthOf = (d: Date) => d.getFullYear() * 12 + d.getMonth() + 1;

/** Anki's `BackupFilter`: which backups to delete, given "now" and the limits. */
export function obsoleteBackups<T extends { date: Date }>(backups: readonly T[], now: Date, limits: BackupLimits): T[] {
  const yesterday = dayFromCe(now) - 1;
  let lastDay = Number.MAX_SAFE_INTEGER;
  let lastWeek = Number.MAX_SAFE_INTEGER;
  let lastMonth = Number.MAX_SAFE_INTEGER;
  let { daily, weekly, monthly } = limits;
  const obsolete: T[] = [];
  const keep = (b: T) => {
    lastDay = dayFromCe(b.date);
    lastWeek = weekOf(b.date);
    lastMonth = monthOf(b.date);
  };
  const sorted = [...backups].sort((a, b) => Math.floor(b.date.getTime() / 1000) - Math.floor(a.date.getTime() / 1000));
  for (const b of sorted) {
    if (dayFromCe(b.date) >= yesterday) {
      keep(b);
    } else if (daily > 0) {
      if (dayFromCe(b.date) < lastDay) {
        keep(b);
        daily--;
      } else obsolete.push(b);
    } else if (weekly > 0) {
      if (weekOf(b.date) < lastWeek) {
        keep(b);
        weekly--;
      } else obsolete.push(b);
    } else if (monthly > 0) {
      if (monthOf(b.date) < lastMonth) {
        keep(b);
        monthly--;
      } else obsolete.push(b);
    } else obsolete.push(b);
  }
  return obsolete;
}

/** Deletes the backups the limits no longer keep; returns their paths. */
export function thinBackups(folder: string, limits: BackupLimits, now = new Date()): string[] {
  const gone: string[] = [];
  for (const b of obsoleteBackups(listBackups(folder), now, limits)) {
    try {
      rmSync(b.path);
      gone.push(b.path);
    } catch {
      /* like Anki: a file that cannot be removed is left */
    }
  }
  return gone;
}

/** True if a file in the folder was created less than `minutes` ago. */
function hasRecentBackup(folder: string, minutes: number, nowMs: number): boolean {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return false;
  }
  return names.some((n) => {
    try {
      const st = statSync(join(folder, n));
      const created = st.birthtimeMs > 0 ? st.birthtimeMs : st.mtimeMs;
      const age = nowMs - created;
      return age >= 0 && age < minutes * 60_000;
    } catch {
      return false;
    }
  });
}

/** `col.mod` at the last backup of each open collection (Anki keeps it in the collection state). */
const lastBackupMod = new WeakMap<Collection, number>();

export interface BackupOptions {
  /** Back up even if a recent backup exists (still only if the collection changed). */
  force?: boolean;
  /** The time the backup is named after and thinned against (default: now). */
  now?: Date;
}

/**
 * Anki's `maybe_backup`: returns the new backup's path, or null when the collection has not
 * changed since the last backup or a backup is younger than the minimum interval.
 */
export async function maybeBackup(col: Collection, folder: string, opts: BackupOptions = {}): Promise<string | null> {
  const mod = col.storage.col.get().mod;
  if (lastBackupMod.get(col) === mod) return null;
  const limits = getConfig(col, 'backups');
  mkdirSync(folder, { recursive: true });
  const now = opts.now ?? new Date();
  // recency is judged from the files' creation times against the real clock, as Anki does
  if (!opts.force && hasRecentBackup(folder, limits.minimum_interval_mins, Date.now())) return null;
  const tmp = makeTempDir('deckhand-backup-');
  try {
    const copy = join(tmp.dir, 'collection.anki2');
    await snapshotCollection(col, copy);
    lastBackupMod.set(col, mod);
    // never over an existing backup (two forced backups within a second): the next free second
    let stamp = now;
    while (existsSync(join(folder, backupFileName(stamp)))) stamp = new Date(stamp.getTime() + 1000);
    const out = join(folder, backupFileName(stamp));
    await writePackage({ meta: { version: PackageVersion.Latest }, collectionPath: copy, media: [], outPath: out });
    thinBackups(folder, limits, now);
    return out;
  } finally {
    tmp.dispose();
  }
}

/**
 * Backs up every `intervalMs` (Anki's desktop checks every 5 minutes; `maybeBackup` decides).
 * `getCollection` returns the open collection or null. Returns a function that stops the timer.
 */
export function schedulePeriodicBackups(getCollection: () => Collection | null, folder: string, opts: { intervalMs?: number; onError?: (e: unknown) => void } = {}): () => void {
  let running = false;
  const timer = setInterval(() => {
    const col = getCollection();
    if (!col || col.isClosed || running) return;
    running = true;
    maybeBackup(col, folder)
      .catch((e) => opts.onError?.(e))
      .finally(() => (running = false));
  }, opts.intervalMs ?? 5 * 60_000);
  timer.unref?.();
  return () => clearInterval(timer);
}
