// Writing the ZIP of an .apkg/.colpkg as Anki's `export_collection` does: `meta`, the collection
// (zstd, or deflated for legacy), the compatibility stub `collection.anki2`, the media files
// `0..n` (each zstd-compressed in latest packages) and the `media` list. The file is written
// beside its destination and renamed into place, so a failed export never leaves half a file.

import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createZstdCompress } from 'node:zlib';
import { Collection } from '../collection/collection';
import { DeckhandError } from '../collection/errors';
import { filenameIfNormalized } from '../media/filenames';
import { addNoteInTx } from '../notes/notes-service';
import { PackageStore } from '../storage/package-store';
import { OriginalStockKind } from '../storage/proto/messages';
import { downgradeFileToSchema11 } from './legacy-schema';
import {
  collectionEntryName,
  encodeMediaList,
  encodeMeta,
  LEGACY1_COLLECTION,
  MEDIA_LIST_ENTRY,
  META_ENTRY,
  type PackageMeta,
  sha1Bytes,
  zstdCompress,
  zstdCompressed,
} from './package-format';
import { type ExportProgressCallback, ProgressReporter } from './progress';
import { METHOD_DEFLATE, METHOD_STORED, ZipWriter } from './zip';

/** A media file to put in a package: its (normalised) name and where its bytes are. */
export interface MediaSource {
  name: string;
  path: string;
}

/** A temporary directory, removed by `dispose`. */
export function makeTempDir(prefix = 'deckhand-pkg-'): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** English text of Anki's `exporting-colpkg-too-new`. */
export const DUMMY_NOTE_TEXT = 'Please update to the latest Anki version, then import the .colpkg/.apkg file again.';

let dummyCollection: Buffer | null = null;

/**
 * The stub `collection.anki2` every modern package carries: a schema-11 collection with 512-byte
 * pages and a rollback journal, holding one Basic note that asks to update Anki (so clients older
 * than 2.1.50 import something harmless). Built once per process.
 */
export function dummyCollectionBytes(): Buffer {
  if (dummyCollection) return dummyCollection;
  const tmp = makeTempDir('deckhand-stub-');
  try {
    const path = join(tmp.dir, 'collection.anki2');
    const col = Collection.create(path);
    try {
      const basic = col.storage.notetypes.all().find((nt) => nt.config.originalStockKind === OriginalStockKind.Basic) ?? col.storage.notetypes.all()[0];
      col.transact('Add Note', (tx) => addNoteInTx(tx, { notetypeId: basic.id, deckId: 1, fields: [DUMMY_NOTE_TEXT, ''] }), { undoable: false });
      new PackageStore(col.db).compact(512);
    } finally {
      col.close();
    }
    downgradeFileToSchema11(path);
    dummyCollection = readFileSync(path);
    return dummyCollection;
  } finally {
    tmp.dispose();
  }
}

/** Files directly in the media folder (no subfolders); names must be normalised (else Check Media is needed). */
export function mediaFolderSources(folder: string, names?: Iterable<string>): MediaSource[] {
  const out: MediaSource[] = [];
  const list = names ? [...names] : existsSync(folder) ? readdirSync(folder).sort() : [];
  for (const raw of list) {
    const path = join(folder, raw);
    if (names && !existsSync(path)) continue;
    try {
      if (!statSync(path).isFile()) continue;
    } catch {
      continue;
    }
    const name = filenameIfNormalized(raw);
    if (name === null) throw new DeckhandError('invalid-input', `The media file "${raw}" has an invalid name. Run Tools ▸ Check Media, then export again.`);
    out.push({ name, path });
  }
  return out;
}

export interface WritePackageInput {
  meta: PackageMeta;
  /** A closed collection file at the package's schema (18 latest, 11 legacy). */
  collectionPath: string;
  media: MediaSource[];
  outPath: string;
  progress?: ExportProgressCallback;
}

async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) yield c;
}

/** zstd-compresses a file as a stream (one frame, like Anki's encoder). */
async function* zstdFileChunks(path: string): AsyncGenerator<Uint8Array> {
  const z = createZstdCompress();
  const src = createReadStream(path, { highWaterMark: 1 << 20 });
  src.pipe(z);
  for await (const c of z as AsyncIterable<Buffer>) yield c;
}

/** Writes the package to a temporary file beside `outPath` and renames it into place. */
export async function writePackage(input: WritePackageInput): Promise<{ mediaCount: number }> {
  const { meta, outPath } = input;
  const reporter = new ProgressReporter(input.progress);
  mkdirSync(dirname(outPath), { recursive: true });
  const tmpPath = join(dirname(outPath), `.${basename(outPath)}.${process.pid}.${Date.now()}.tmp`);
  const zip = new ZipWriter(tmpPath);
  try {
    reporter.report('file', 0, undefined, true);
    zip.add(META_ENTRY, encodeMeta(meta));
    const colSize = statSync(input.collectionPath).size;
    const onBytes = (n: number) => reporter.report('file', n, colSize);
    if (zstdCompressed(meta)) await zip.addStream(collectionEntryName(meta), zstdFileChunks(input.collectionPath), METHOD_STORED, onBytes);
    else await zip.addStream(collectionEntryName(meta), fileChunks(input.collectionPath), METHOD_DEFLATE, onBytes);
    zip.add(LEGACY1_COLLECTION, dummyCollectionBytes());
    const tick = reporter.counter('media', input.media.length);
    const listed: { name: string; size: number; sha1: Uint8Array }[] = [];
    for (const [i, m] of input.media.entries()) {
      let data: Buffer;
      try {
        data = readFileSync(m.path);
      } catch (e) {
        throw new DeckhandError('io', `cannot read media file ${m.name}: ${(e as Error).message}`);
      }
      zip.add(String(i), zstdCompressed(meta) ? zstdCompress(data) : data, METHOD_STORED);
      listed.push({ name: m.name, size: data.length, sha1: sha1Bytes(data) });
      tick();
    }
    zip.add(MEDIA_LIST_ENTRY, encodeMediaList(meta, listed));
    zip.finish();
    renameSync(tmpPath, outPath);
    return { mediaCount: listed.length };
  } catch (e) {
    zip.abort();
    rmSync(tmpPath, { force: true });
    throw e;
  }
}
