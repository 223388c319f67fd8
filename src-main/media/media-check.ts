// Tools → Check Media, as Anki's rslib/src/media/check.rs does it: fix badly named files in the
// folder, fix references to them in notes, then report missing and unused files.

import { closeSync, lstatSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Collection } from '../collection/collection';
import type { Tx } from '../collection/tx';
import { noteDerivedColumns } from '../notes/derived';
import { unicaseFold } from '../storage/unicase';
import { extractLatexExpandingClozes } from '../template/latex';
import { escapeHtml } from '../text/html';
import { extractMediaRefs, type MediaRef } from '../text/media-refs';
import { normalizeFieldText } from '../text/normalize';
import { filenameIfNormalized, MAX_INDIVIDUAL_MEDIA_FILE_SIZE, normalizeNfcFilename, sha1Hex } from './filenames';
import { compareCodePoints, MediaManager } from './media-service';

export interface MediaCheckResult {
  /** Referenced by notes but not in the folder, sorted. */
  missing: string[];
  /** In the folder, not referenced and not starting with `_`, sorted. */
  unused: string[];
  /** Notes that reference a missing file. */
  missingMediaNotes: number[];
  /** Files renamed on disk to a valid name: old → new (note references were updated too). */
  renamed: Record<string, string>;
  /** Subfolders of the media folder (not supported), sorted. */
  dirs: string[];
  /** Files over 100 MiB (cannot be synced), sorted. */
  oversize: string[];
  trashCount: number;
  trashBytes: number;
  /** `data:image/…;base64` images moved out of notes into `paste-<sha1>.<ext>` files. */
  inlinedImageCount: number;
  /** Anki's text summary (English). */
  report: string;
}

const REMOTE_FILENAME = /^https?:\/\//i;
const BASE64_IMG = /^data:image\/(jpg|jpeg|png|gif|webp|avif);base64,([^]+)$/i;

/** Standard base64 with padding, canonical (what Anki's strict decoder accepts), or null. */
function decodeStrictBase64(s: string): Buffer | null {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  const buf = Buffer.from(s, 'base64');
  return buf.toString('base64') === s ? buf : null;
}

/** Anki's `is_case_sensitive`: probe the folder with a temporary file and its upper-case twin. */
function folderIsCaseSensitive(dir: string): boolean {
  for (let i = 0; i < 100; i++) {
    const name = `__case-test-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    let fd: number;
    try {
      fd = openSync(join(dir, name), 'wx');
    } catch {
      continue;
    }
    closeSync(fd);
    let sensitive = false;
    try {
      closeSync(openSync(join(dir, name.toUpperCase()), 'wx'));
      sensitive = true;
    } catch {
      sensitive = false;
    }
    unlinkSync(join(dir, name));
    if (sensitive) unlinkSync(join(dir, name.toUpperCase()));
    return sensitive;
  }
  return process.platform !== 'darwin' && process.platform !== 'win32';
}

function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a, { bigint: true });
    const y = statSync(b, { bigint: true });
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return false;
  }
}

/** Referenced names, case-sensitive or not like the folder; keeps the first spelling seen. */
class References {
  private map = new Map<string, { name: string; notes: Set<number> }>();
  constructor(private readonly caseSensitive: boolean) {}
  private key = (f: string) => (this.caseSensitive ? f : unicaseFold(f));
  add(fname: string, nid: number): void {
    const k = this.key(fname);
    const e = this.map.get(k);
    if (e) e.notes.add(nid);
    else this.map.set(k, { name: fname, notes: new Set([nid]) });
  }
  has(fname: string): boolean {
    return this.map.has(this.key(fname));
  }
  remove(fname: string): void {
    this.map.delete(this.key(fname));
  }
  entries() {
    return this.map.values();
  }
}

interface FolderCheck {
  files: string[];
  renamed: Map<string, string>;
  dirs: string[];
  oversize: string[];
}

/**
 * Checks media like Anki's Tools → Check Media. It changes things: files whose names are not
 * normalised (or that clash with another file ignoring case) are re-added under a valid name
 * and the old file removed; note fields are updated to renamed, NFC-normalised names, and inline
 * base64 images are written out as `paste-<sha1>.<ext>` files. The note changes are one operation
 * that clears the undo history, as Anki's does.
 */
export function checkMedia(col: Collection): MediaCheckResult {
  const media = MediaManager.forCollection(col.path);
  try {
    const folder = checkFolder(media);
    let inlined = 0;
    const refs = new References(folderIsCaseSensitive(media.folder));
    col.transact(
      'Check Media',
      (tx) => {
        inlined = checkReferences(tx, media, folder.renamed, refs);
      },
      { undoable: false },
    );
    const unused: string[] = [];
    for (const f of folder.files) {
      if (!f.startsWith('_') && !refs.has(f)) unused.push(f);
      else refs.remove(f);
    }
    const missing: string[] = [];
    const missingNotes = new Set<number>();
    for (const e of refs.entries()) {
      missing.push(e.name);
      for (const n of e.notes) missingNotes.add(n);
    }
    const trash = media.trashStats();
    const result: MediaCheckResult = {
      missing: missing.sort(compareCodePoints),
      unused: unused.sort(compareCodePoints),
      missingMediaNotes: [...missingNotes].sort((a, b) => a - b),
      renamed: Object.fromEntries([...folder.renamed].sort((a, b) => compareCodePoints(a[0], b[0]))),
      dirs: folder.dirs.sort(compareCodePoints),
      oversize: folder.oversize.sort(compareCodePoints),
      trashCount: trash.count,
      trashBytes: trash.bytes,
      inlinedImageCount: inlined,
      report: '',
    };
    result.report = mediaCheckReport(result);
    return result;
  } finally {
    media.close();
  }
}

function checkFolder(media: MediaManager): FolderCheck {
  const out: FolderCheck = { files: [], renamed: new Map(), dirs: [], oversize: [] };
  const candidates: string[] = [];
  for (const d of readdirSync(media.folder, { withFileTypes: true })) {
    if (d.name.includes('\ufffd')) continue; // not valid UTF-8 on disk
    if (d.name === '.DS_Store') continue;
    const p = join(media.folder, d.name);
    if (d.isDirectory()) {
      out.dirs.push(d.name);
      continue;
    }
    let size: number;
    try {
      size = statSync(p).size;
    } catch {
      continue;
    }
    if (size > MAX_INDIVIDUAL_MEDIA_FILE_SIZE) {
      out.oversize.push(d.name);
      continue;
    }
    if (size === 0) continue;
    candidates.push(d.name);
  }
  // reverse code-point order: of names equal ignoring case, the lower-case one comes first
  candidates.sort(compareCodePoints).reverse();
  const seen = new Set<string>();
  for (const name of candidates) {
    const norm = filenameIfNormalized(name);
    if (norm !== null && !seen.has(unicaseFold(name))) {
      seen.add(unicaseFold(name));
      out.files.push(norm);
      continue;
    }
    const p = join(media.folder, name);
    let data: Buffer;
    try {
      data = readFileSync(p);
    } catch {
      continue;
    }
    const newName = media.addFile(name.toLowerCase(), data);
    if (newName !== name && !sameFile(p, join(media.folder, newName))) {
      try {
        if (lstatSync(p).isFile()) unlinkSync(p);
      } catch {
        /* already gone */
      }
    }
    out.renamed.set(name, newName);
    out.files.push(newName);
  }
  return out;
}

function checkReferences(tx: Tx, media: MediaManager, renamed: Map<string, string>, refs: References): number {
  let inlined = 0;
  const notetypes = new Map<number, ReturnType<typeof tx.storage.notetypes.get>>();
  for (const nid of tx.storage.notes.allIds()) {
    const note = tx.storage.notes.get(nid)!;
    if (!notetypes.has(note.notetypeId)) notetypes.set(note.notetypeId, tx.storage.notetypes.get(note.notetypeId));
    const nt = notetypes.get(note.notetypeId);
    let modified = false;
    note.fields = note.fields.map((field) => {
      const r = fixField(field, media, renamed, (f) => refs.add(f, nid), () => inlined++);
      if (r !== field) modified = true;
      return r;
    });
    if (modified && nt) {
      // Anki saves such notes without NFC-normalising them (only control characters go)
      note.fields = note.fields.map((f) => normalizeFieldText(f, false));
      tx.putNote(note, noteDerivedColumns(note, nt));
    }
    const svg = nt?.config.latexSvg ?? false;
    for (const field of note.fields) for (const l of extractLatexExpandingClozes(field, svg).latex) refs.add(l.fname, nid);
  }
  return inlined;
}

/** Anki's `normalize_and_maybe_rename_files` for one field; reports each referenced name. */
function fixField(field: string, media: MediaManager, renamed: Map<string, string>, track: (f: string) => void, onInline: () => void): string {
  let out = field;
  for (const ref of extractMediaRefs(field)) {
    if (REMOTE_FILENAME.test(ref.fname)) continue;
    let fname = ref.fnameDecoded;
    let changed = false;
    const inline = BASE64_IMG.exec(fname);
    if (inline) {
      const data = decodeStrictBase64(inline[2].trim());
      if (data) {
        const external = `paste-${sha1Hex(data)}.${inline[1]}`;
        writeFileSync(join(media.folder, external), data);
        onInline();
        fname = external;
        changed = true;
      }
    }
    const nfc = fname.normalize('NFC');
    if (nfc !== fname) {
      fname = nfc;
      changed = true;
    }
    const renamedTo = renamed.get(fname);
    if (renamedTo !== undefined) {
      fname = renamedTo;
      changed = true;
    }
    if (!changed) {
      // already renamed by an earlier sync? then follow the name that exists on disk
      const normName = normalizeNfcFilename(fname);
      if (normName !== fname && fileExists(join(media.folder, normName))) {
        fname = normName;
        changed = true;
      }
    }
    if (changed) out = renameRefInField(out, ref, fname);
    track(fname);
  }
  return out;
}

function fileExists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Anki's `rename_media_ref_in_field`: replace the name inside the reference, then the reference in the field. */
function renameRefInField(field: string, ref: MediaRef, newName: string): string {
  const name = ref.fnameDecoded !== ref.fname ? escapeHtml(newName) : newName;
  const updatedTag = ref.fullRef.split(ref.fname).join(name);
  return field.split(ref.fullRef).join(updatedTag);
}

/** Anki's Check Media summary text (English). */
export function mediaCheckReport(r: Omit<MediaCheckResult, 'report'>): string {
  const lines: string[] = [];
  if (r.trashCount > 0) {
    const megs = Math.round((r.trashBytes / 1024 / 1024) * 100) / 100;
    lines.push(`Trash folder: ${r.trashCount} ${r.trashCount === 1 ? 'file' : 'files'}, ${megs}MB`);
  }
  lines.push(`Missing files: ${r.missing.length}`);
  lines.push(`Unused files: ${r.unused.length}`);
  if (r.inlinedImageCount > 0) lines.push(`Extracted images: ${r.inlinedImageCount}`);
  const renamed = Object.entries(r.renamed);
  if (renamed.length) lines.push(`Renamed files: ${renamed.length}`);
  if (r.oversize.length) lines.push(`Over 100MB: ${r.oversize.length}`);
  if (r.dirs.length) lines.push(`Subfolders: ${r.dirs.length}`);
  let buf = lines.join('\n') + '\n\n';
  if (renamed.length) buf += 'Some files have been renamed for compatibility:\n' + renamed.map(([a, b]) => `Renamed: ${a} -> ${b}\n`).join('') + '\n';
  if (r.oversize.length) buf += 'Files over 100MB can not be synced with AnkiWeb.\n' + r.oversize.map((f) => `Over 100MB: ${f}\n`).join('') + '\n';
  if (r.dirs.length) buf += 'Folders inside the media folder are not supported.\n' + r.dirs.map((f) => `Folder: ${f}\n`).join('') + '\n';
  if (r.missing.length)
    buf += 'The following files are referenced by cards, but were not found in the media folder:\n' + r.missing.map((f) => `Missing: ${f}\n`).join('') + '\n';
  if (r.unused.length)
    buf += 'The following files were found in the media folder, but do not appear to be used on any cards:\n' + r.unused.map((f) => `Unused: ${f}\n`).join('');
  return buf;
}

/** Moves the given (unused) files to the trash, as Check Media's "Delete Unused" does. */
export function trashUnusedMedia(col: Collection, fnames: readonly string[]): void {
  const media = MediaManager.forCollection(col.path);
  try {
    media.trashFiles(fnames);
  } finally {
    media.close();
  }
}
