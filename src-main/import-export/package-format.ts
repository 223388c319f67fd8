// What an .apkg/.colpkg holds (spec §5.1, §5.2): the version in `meta`, which entry holds the
// collection, how it is compressed, and the media list (protobuf in latest packages, a JSON map
// in legacy ones). Restated from Anki's package/{meta,media}.rs.

import { createHash } from 'node:crypto';
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { DeckhandError } from '../collection/errors';
import { normalizeFilename } from '../media/filenames';
import { decodeMediaEntries, decodePackageMetadata, encodeMediaEntries, encodePackageMetadata } from '../storage/proto/codecs';
import { type MediaEntry, PackageVersion } from '../storage/proto/messages';
import type { ZipReader } from './zip';

export { PackageVersion };

export const META_ENTRY = 'meta';
export const MEDIA_LIST_ENTRY = 'media';
export const LEGACY1_COLLECTION = 'collection.anki2';
export const LEGACY2_COLLECTION = 'collection.anki21';
export const LATEST_COLLECTION = 'collection.anki21b';

/** Zstandard magic number: every zstd frame starts with these bytes. */
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

export interface PackageMeta {
  version: PackageVersion.Legacy1 | PackageVersion.Legacy2 | PackageVersion.Latest;
}

export const isLegacy = (m: PackageMeta) => m.version !== PackageVersion.Latest;
/** Latest packages zstd-compress the collection, the media list and every media file. */
export const zstdCompressed = (m: PackageMeta) => m.version === PackageVersion.Latest;

export function collectionEntryName(m: PackageMeta): string {
  switch (m.version) {
    case PackageVersion.Legacy1:
      return LEGACY1_COLLECTION;
    case PackageVersion.Legacy2:
      return LEGACY2_COLLECTION;
    case PackageVersion.Latest:
      return LATEST_COLLECTION;
  }
}

/** Schema the package's collection is written in: 11 for legacy packages, 18 for latest. */
export const schemaVersionFor = (m: PackageMeta): 11 | 18 => (isLegacy(m) ? 11 : 18);

export const tooNew = () =>
  new DeckhandError('schema-too-new', 'This file was made by a newer version of Anki than Deckhand understands. Update Deckhand, or export it from Anki with "Support older Anki versions" ticked.');

export const corruptPackage = (why: string) => new DeckhandError('corrupt', `The provided file is not a valid .apkg/.colpkg file (${why}).`);

/**
 * Anki's `Meta::from_archive`: `meta` decides (version 0 or beyond the latest → "too new"); without
 * one, `collection.anki21` means legacy 2, else legacy 1.
 */
export function readPackageMeta(zip: ZipReader): PackageMeta {
  if (zip.has(META_ENTRY)) {
    let version: number;
    try {
      version = decodePackageMetadata(zip.read(META_ENTRY)).version;
    } catch (e) {
      if (e instanceof DeckhandError) throw e;
      throw corruptPackage('unreadable meta entry');
    }
    if (version === PackageVersion.Legacy1 || version === PackageVersion.Legacy2 || version === PackageVersion.Latest) return { version };
    throw tooNew();
  }
  return { version: zip.has(LEGACY2_COLLECTION) ? PackageVersion.Legacy2 : PackageVersion.Legacy1 };
}

export const encodeMeta = (m: PackageMeta): Uint8Array => encodePackageMetadata({ version: m.version });

export function zstdCompress(data: Uint8Array): Buffer {
  return zstdCompressSync(data);
}

export function zstdDecompress(data: Uint8Array, what: string): Buffer {
  if (data.length < 4 || ZSTD_MAGIC.some((b, i) => data[i] !== b)) throw corruptPackage(`${what} is not zstd-compressed`);
  try {
    return zstdDecompressSync(data);
  } catch (e) {
    throw corruptPackage(`${what} cannot be decompressed: ${(e as Error).message}`);
  }
}

export function sha1Bytes(data: Uint8Array): Uint8Array {
  return createHash('sha1').update(data).digest();
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Anki's `filename_is_safe`: exactly one normal path component — no separators, not `.`/`..`,
 * not absolute, not a drive prefix.
 */
export function filenameIsSafe(name: string): boolean {
  if (!name || name === '.' || name === '..') return false;
  if (name.includes('/') || name.includes('\0')) return false;
  if (process.platform === 'win32' && (name.includes('\\') || /^[A-Za-z]:/.test(name))) return false;
  return true;
}

/** A media file listed in a package, with a safe, normalised name (Anki's `SafeMediaEntry`). */
export interface PackageMediaEntry {
  /** Normalised file name (may change when the import renames it). */
  name: string;
  /** Uncompressed size (0 when unknown, legacy packages). */
  size: number;
  /** SHA-1 of the uncompressed data; null until known (legacy packages). */
  sha1: Uint8Array | null;
  /** The zip entry holding the data ("0", "1", …). */
  zipName: string;
}

/**
 * The package's media list. Latest: zstd protobuf, every name must already be normalised and
 * safe and every sha1 20 bytes, else the package is corrupt. Legacy: JSON `{ "<zip name>": name }`,
 * names normalised here. A missing list means no media (old AnkiDroid).
 */
export function readMediaList(zip: ZipReader, meta: PackageMeta): PackageMediaEntry[] {
  if (!zip.has(MEDIA_LIST_ENTRY)) return [];
  const raw = zip.read(MEDIA_LIST_ENTRY);
  if (zstdCompressed(meta)) {
    let entries: MediaEntry[];
    try {
      entries = decodeMediaEntries(zstdDecompress(raw, 'the media list')).entries;
    } catch (e) {
      if (e instanceof DeckhandError) throw e;
      throw corruptPackage('unreadable media list');
    }
    return entries.map((e, index) => {
      if (e.sha1.length !== 20 || !filenameIsSafe(e.name) || normalizeFilename(e.name) !== e.name) throw corruptPackage(`bad media entry ${JSON.stringify(e.name)}`);
      return { name: e.name, size: e.size, sha1: e.sha1, zipName: String(index) };
    });
  }
  let map: unknown;
  try {
    map = JSON.parse(raw.toString('utf8'));
  } catch {
    throw corruptPackage('unreadable media map');
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw corruptPackage('the media map is not a JSON object');
  const out: PackageMediaEntry[] = [];
  for (const [zipName, fname] of Object.entries(map as Record<string, unknown>)) {
    if (!/^\d+$/.test(zipName)) throw corruptPackage(`bad media map key ${JSON.stringify(zipName)}`);
    if (typeof fname !== 'string' || !filenameIsSafe(fname)) throw corruptPackage(`bad media file name ${JSON.stringify(fname)}`);
    out.push({ name: normalizeFilename(fname), size: 0, sha1: null, zipName: String(Number(zipName)) });
  }
  return out;
}

/** The raw bytes of a media entry as stored in the package (zstd in latest packages). */
export function readMediaData(zip: ZipReader, meta: PackageMeta, entry: PackageMediaEntry): Buffer {
  if (!zip.has(entry.zipName)) throw new DeckhandError('corrupt', `media file ${entry.zipName} (${entry.name}) is missing from the package`);
  const stored = zip.read(entry.zipName);
  return zstdCompressed(meta) ? zstdDecompress(stored, `media file ${entry.name}`) : stored;
}

/** The `media` entry for a package: JSON map (legacy) or zstd protobuf (latest). */
export function encodeMediaList(meta: PackageMeta, entries: { name: string; size: number; sha1: Uint8Array }[]): Uint8Array {
  if (isLegacy(meta)) {
    const map: Record<string, string> = {};
    entries.forEach((e, i) => (map[String(i)] = e.name));
    return Buffer.from(JSON.stringify(map), 'utf8');
  }
  return zstdCompress(encodeMediaEntries({ entries: entries.map((e) => ({ name: e.name, size: e.size, sha1: e.sha1 })) }));
}
