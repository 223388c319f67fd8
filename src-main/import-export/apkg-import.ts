// Importing an .apkg with Anki's rules (package/apkg/import/{mod,media,notes,decks,cards}.rs):
// the package's collection is opened and gathered like an export (so scheduling is stripped
// unless `withScheduling`), then in one undoable operation: media prepared (existing identical
// files reused, different ones renamed `stem-<sha1>.ext`), notetypes matched by id (updated,
// duplicated on a schema change, or merged), notes matched by guid (added, updated per the update
// condition, or logged as duplicate/conflicting), decks matched by name, deck configs added if
// their id is free, cards added where the note lacks that ordinal (due dates shifted to the
// target's day), revlog for added cards, and the media that is used copied into the folder.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Card } from '../cards/card';
import { CardQueue, CardType } from '../cards/card';
import type { Collection } from '../collection/collection';
import { DeckhandError } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx, TxOptions } from '../collection/tx';
import { schedulerVersion, setConfigInTx } from '../config/config-service';
import type { Deck } from '../decks/deck';
import { deckNameComponents, immediateParentName } from '../decks/deck-names';
import { addDeckInTx, updateDeckInTx } from '../decks/decks-service';
import { addHashSuffixToFileStem, normalizeFilename, sha1Hex } from '../media/filenames';
import { MediaManager, mtimeMs } from '../media/media-service';
import { noteDerivedColumns } from '../notes/derived';
import type { Note } from '../notes/note';
import { generateCardsForNote } from '../cards/new-cards';
import { isCloze, type Notetype } from '../notetypes/notetype';
import { removeNotetypeInTx, updateNotetypeInTx } from '../notetypes/notetypes-service';
import { prepareNotetypeForSave } from '../notetypes/prepare';
import type { RevlogRow } from '../storage/misc-stores';
import { type NoteMetaRow, PackageStore } from '../storage/package-store';
import { defaultDeckCommon, defaultNormalDeck } from '../storage/proto/codecs';
import type { DayLimit, NormalDeck } from '../storage/proto/messages';
import { canonifyAndRegister } from '../tags/tags-service';
import { normalizeFieldText } from '../text/normalize';
import { replaceMediaRefs } from '../text/media-refs';
import { collectionTimingToday, type ExchangeData, gatherData, normalizedCardData } from './exchange';
import { emptyImportLog, type ImportLog, logNote } from './import-log';
import {
  combineFieldMaps,
  combineTemplateMaps,
  copyOrigins,
  equalSchema,
  merge,
  reorderFields,
  templateMapFromOrigins,
  working,
  type WorkingNotetype,
} from './notetype-merge';
import { filenameIsSafe, hex, type PackageMediaEntry, type PackageMeta, readMediaData, readMediaList, readPackageMeta, sha1Bytes } from './package-format';
import { extractCollection, maybeFixInvalidIds, maybeUpgradeScheduler, openPackageCollection } from './package-reader';
import { makeTempDir } from './package-writer';
import { type ImportProgressCallback, type ImportStage, ProgressReporter } from './progress';
import { ZipReader } from './zip';

/** When an incoming note or notetype replaces the one already in the collection. */
export type UpdateCondition = 'ifNewer' | 'always' | 'never';

export interface ImportApkgOptions {
  /** Merge notetypes with the same original id instead of keeping a copy per schema. Default false. */
  mergeNotetypes?: boolean;
  /** Default 'ifNewer'. */
  updateNotes?: UpdateCondition;
  /** Default 'ifNewer'. */
  updateNotetypes?: UpdateCondition;
  /** Keep review state, revlog and filtered decks from the package. Default false. */
  withScheduling?: boolean;
  /** Add the package's deck options presets (when their id is free). Default false. */
  withDeckConfigs?: boolean;
  progress?: ImportProgressCallback;
}

/** Serde names of Anki's `ImportAnkiPackageUpdateCondition`, as stored in the config. */
const CONDITION_CONFIG: Record<UpdateCondition, string> = { ifNewer: 'IfNewer', always: 'Always', never: 'Never' };

export function shouldUpdate(cond: UpdateCondition, existingMtime: number, incomingMtime: number): boolean {
  switch (cond) {
    case 'ifNewer':
      return existingMtime < incomingMtime;
    case 'always':
      return existingMtime !== incomingMtime;
    case 'never':
      return false;
  }
}

/**
 * Runs `fn` with the transaction keeping the stamps the caller set (incoming `mod`, usn −1)
 * instead of stamping "now". Relies on `Collection.transact` handing its options object to the Tx.
 */
function keepingStamps<T>(tx: Tx, fn: () => T): T {
  const opts = tx.opts as { keepStamps?: boolean };
  const before = opts.keepStamps;
  opts.keepStamps = true;
  try {
    return fn();
  } finally {
    opts.keepStamps = before;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the package

export interface OpenedPackage {
  zip: ZipReader;
  meta: PackageMeta;
  data: ExchangeData;
}

/** Opens the package and gathers its contents as Anki's `gather_from_archive` does. */
export async function readApkg(path: string, withScheduling: boolean, withDeckConfigs: boolean, reporter: ProgressReporter<ImportStage>, nowMs: number): Promise<OpenedPackage> {
  const zip = ZipReader.open(path);
  const tmp = makeTempDir();
  try {
    const meta = readPackageMeta(zip);
    const colPath = join(tmp.dir, 'package.anki2');
    reporter.report('extracting', 0, undefined, true);
    await extractCollection(zip, meta, colPath, reporter);
    const pkg = openPackageCollection(colPath, tmp.dir);
    try {
      maybeFixInvalidIds(pkg);
      maybeUpgradeScheduler(pkg);
      reporter.report('gathering', 0, undefined, true);
      const data = gatherData(pkg, { all: true }, withScheduling, withDeckConfigs, nowMs);
      return { zip, meta, data };
    } finally {
      pkg.close();
    }
  } catch (e) {
    zip.close();
    throw e;
  } finally {
    tmp.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// Media

interface CheckedEntry {
  used: boolean;
  entry: PackageMediaEntry;
}

/** Anki's `MediaUseMap`: incoming files not already present, keyed by their original name. */
class MediaUseMap {
  readonly checked = new Map<string, CheckedEntry>();
  readonly unchecked: PackageMediaEntry[] = [];

  use(name: string): PackageMediaEntry | undefined {
    const c = this.checked.get(name);
    if (!c) return undefined;
    c.used = true;
    return c.entry;
  }

  *usedEntries(): Generator<PackageMediaEntry> {
    for (const c of this.checked.values()) if (c.used) yield c.entry;
    yield* this.unchecked;
  }
}

/**
 * The media DB's checksums. Anki looks names up lower-cased (case-insensitive file systems); we
 * try the exact name first, then a case-folded match, so a same-named file that differs only in
 * case is compared rather than overwritten.
 */
class Checksums {
  private readonly exact = new Map<string, string>();
  private readonly folded = new Map<string, string>();

  constructor(entries: Iterable<{ fname: string; sha1: string | null }>) {
    for (const e of entries) {
      if (!e.sha1) continue;
      this.exact.set(e.fname, e.sha1);
      if (!this.folded.has(e.fname.toLowerCase())) this.folded.set(e.fname.toLowerCase(), e.sha1);
    }
  }

  get(name: string): string | undefined {
    return this.exact.get(name) ?? this.folded.get(name.toLowerCase());
  }
}

const isStaticMedia = (name: string) => name.startsWith('_') || name.startsWith('latex-');

function prepareMedia(zip: ZipReader, meta: PackageMeta, media: MediaManager, reporter: ProgressReporter<ImportStage>): MediaUseMap {
  const map = new MediaUseMap();
  const entries = readMediaList(zip, meta);
  if (!entries.length) return map;
  reporter.report('mediaCheck', 0, undefined, true);
  media.registerChanges();
  const existing = new Checksums(media.db.allEntries());
  const tick = reporter.counter('mediaCheck', entries.length);
  for (const entry of entries) {
    tick();
    if (isStaticMedia(entry.name)) {
      if (existing.get(entry.name) === undefined) map.unchecked.push(entry);
      continue;
    }
    const other = existing.get(entry.name);
    if (other !== undefined) {
      if (!entry.sha1) entry.sha1 = sha1Bytes(readMediaData(zip, meta, entry));
      if (hex(entry.sha1) !== other) {
        const original = entry.name;
        entry.name = addHashSuffixToFileStem(entry.name, hex(entry.sha1));
        map.checked.set(original, { used: false, entry });
      }
    } else {
      map.checked.set(entry.name, { used: false, entry });
    }
  }
  return map;
}

/** Writes the used media into the folder (replacing a file of that name) and registers it. */
function copyMedia(zip: ZipReader, meta: PackageMeta, media: MediaManager, map: MediaUseMap, reporter: ProgressReporter<ImportStage>): number {
  const used = [...map.usedEntries()];
  if (!used.length) return 0;
  const tick = reporter.counter('media', used.length);
  media.db.transact(() => {
    for (const entry of used) {
      tick();
      const data = readMediaData(zip, meta, entry);
      // the media DB gets the checksum of what was written (Anki trusts the list's for latest packages)
      entry.sha1 = sha1Bytes(data);
      const dest = join(media.folder, entry.name);
      const tmp = join(media.folder, `.${entry.name.length > 60 ? sha1Hex(entry.name) : entry.name}.${process.pid}.tmp`);
      try {
        writeFileSync(tmp, data);
        renameSync(tmp, dest);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw new DeckhandError('io', `Failed to import media file ${entry.name}: ${(e as Error).message}`);
      }
      media.db.setEntry({ fname: entry.name, sha1: hex(entry.sha1), mtime: mtimeMs(dest), dirty: true });
    }
  });
  return used.length;
}

// ---------------------------------------------------------------------------------------------
// The import

interface Context {
  tx: Tx;
  store: PackageStore;
  opts: Required<Omit<ImportApkgOptions, 'progress'>>;
  mediaMap: MediaUseMap;
  log: ImportLog;
  normalize: boolean;
  /** Notetypes of the target before anything was imported. */
  targetNotetypes: Notetype[];
  remappedNotetypes: Map<number, number>;
  remappedFields: Map<number, (number | null)[]>;
  remappedTemplates: Map<number, Map<number, number>>;
  mergedNotetypes: Set<number>;
  /** source note id → target note id, for notes added, updated or found as duplicates. */
  noteIdMap: Map<number, number>;
  targetNoteIds: Set<number>;
}

export interface ApkgImportResult {
  log: ImportLog;
  media: number;
}

/** Imports an .apkg into an open collection (one undoable "Import" step). */
export async function importApkg(col: Collection, path: string, options: ImportApkgOptions = {}): Promise<OpResult<ApkgImportResult>> {
  const opts = {
    mergeNotetypes: options.mergeNotetypes ?? false,
    updateNotes: options.updateNotes ?? 'ifNewer',
    updateNotetypes: options.updateNotetypes ?? 'ifNewer',
    withScheduling: options.withScheduling ?? false,
    withDeckConfigs: options.withDeckConfigs ?? false,
  } as const;
  const reporter = new ProgressReporter(options.progress);
  if (schedulerVersion(col) === 1)
    throw new DeckhandError('invalid-input', 'This collection still uses the v1 scheduler. Please upgrade to the v3 scheduler (Preferences ▸ Scheduling) before importing.');
  const pkg = await readApkg(path, opts.withScheduling, opts.withDeckConfigs, reporter, col.clock.nowMs());
  const media = MediaManager.forCollection(col.path);
  try {
    const txOpts: TxOptions = {};
    let copied = 0;
    const r = col.transact(
      'Import',
      (tx) => {
        setConfigInTx(tx, 'mergeNotetypes', opts.mergeNotetypes);
        setConfigInTx(tx, 'withScheduling', opts.withScheduling);
        setConfigInTx(tx, 'withDeckConfigs', opts.withDeckConfigs);
        setConfigInTx(tx, 'updateNotes', CONDITION_CONFIG[opts.updateNotes]);
        setConfigInTx(tx, 'updateNotetypes', CONDITION_CONFIG[opts.updateNotetypes]);
        const store = new PackageStore(tx.storage.db);
        const ctx: Context = {
          tx,
          store,
          opts,
          mediaMap: prepareMedia(pkg.zip, pkg.meta, media, reporter),
          log: emptyImportLog(),
          normalize: tx.storage.config.get<boolean>('normalize_note_text') !== false,
          targetNotetypes: tx.storage.notetypes.all().map((nt) => structuredClone(nt)),
          remappedNotetypes: new Map(),
          remappedFields: new Map(),
          remappedTemplates: new Map(),
          mergedNotetypes: new Set(),
          noteIdMap: new Map(),
          targetNoteIds: store.allNoteIds(),
        };
        const notetypeOfSourceNote = new Map(pkg.data.notes.map((n) => [n.id, n.notetypeId]));
        importNotetypes(ctx, pkg.data.notetypes);
        importNotes(ctx, pkg.data.notes, reporter);
        const deckMap = importDecksAndConfigs(ctx, pkg.data);
        importCardsAndRevlog(ctx, pkg.data, deckMap, notetypeOfSourceNote);
        copied = copyMedia(pkg.zip, pkg.meta, media, ctx.mediaMap, reporter);
        return ctx.log;
      },
      txOpts,
    );
    return { result: { log: r.result, media: copied }, changes: r.changes };
  } finally {
    media.close();
    pkg.zip.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Notetypes

function ensureNotetypeNameUnique(tx: Tx, nt: Notetype): void {
  for (;;) {
    const other = tx.storage.notetypes.idByName(nt.name);
    if (other === undefined || other === nt.id) return;
    nt.name += '+';
  }
}

function importNotetypes(ctx: Context, notetypes: Notetype[]): void {
  for (const incoming of notetypes) {
    incoming.config.originalId = BigInt(incoming.id);
    const existing = ctx.targetNotetypes.find((nt) => nt.id === incoming.id);
    if (!existing) addNotetypeKeepingId(ctx, incoming);
    else if (ctx.opts.mergeNotetypes) updateOrMergeNotetype(ctx, incoming, structuredClone(existing));
    else updateOrDuplicateNotetype(ctx, incoming, structuredClone(existing));
  }
}

/** A notetype whose id is free: added with its id, name made unique, its mtime kept. */
function addNotetypeKeepingId(ctx: Context, nt: Notetype): void {
  const { tx } = ctx;
  prepareNotetypeForSave(nt, { skipChecks: true });
  ensureNotetypeNameUnique(tx, nt);
  nt.usn = -1;
  keepingStamps(tx, () => tx.putNotetype(nt, true));
}

/** Schema changed and no earlier copy fits: added under a new id (and made current), notes remapped. */
function addNotetypeWithNewId(ctx: Context, nt: Notetype): void {
  const { tx } = ctx;
  const oldId = nt.id;
  prepareNotetypeForSave(nt, { skipChecks: true });
  nt.id = 0;
  ensureNotetypeNameUnique(tx, nt);
  nt.id = tx.nextId('notetypes');
  nt.usn = -1;
  keepingStamps(tx, () => tx.putNotetype(nt, true));
  tx.setConfig('curModel', nt.id);
  ctx.remappedNotetypes.set(oldId, nt.id);
}

function updateOrDuplicateNotetype(ctx: Context, incoming: Notetype, existing: Notetype): void {
  if (!equalSchema(existing, incoming)) {
    const previous = ctx.targetNotetypes.find((nt) => nt.id !== incoming.id && nt.config.originalId === BigInt(incoming.id) && equalSchema(nt, incoming));
    if (!previous) return addNotetypeWithNewId(ctx, incoming);
    existing = structuredClone(previous);
    ctx.remappedNotetypes.set(incoming.id, previous.id);
    incoming.id = previous.id;
  }
  if (shouldUpdate(ctx.opts.updateNotetypes, existing.mtimeSecs, incoming.mtimeSecs)) {
    // not modified: the incoming stamps stay (notetype mtime, template stamps), usn −1
    const stamps = { mtime: incoming.mtimeSecs, templates: incoming.templates.map((t) => ({ mtimeSecs: t.mtimeSecs, usn: t.usn })) };
    const saved = updateNotetypeInTx(ctx.tx, incoming, undefined, { skipChecks: true });
    saved.mtimeSecs = stamps.mtime;
    saved.usn = -1;
    saved.templates.forEach((t, i) => Object.assign(t, stamps.templates[i] ?? {}));
    keepingStamps(ctx.tx, () => ctx.tx.putNotetype(saved));
  }
}

function recordRemappedOrds(ctx: Context, incoming: WorkingNotetype): void {
  const id = incoming.nt.id;
  const oldFields = ctx.remappedFields.get(id);
  ctx.remappedFields.set(id, oldFields ? combineFieldMaps(oldFields, incoming.fieldOrigins) : [...incoming.fieldOrigins]);
  const oldTemplates = ctx.remappedTemplates.get(id);
  if (oldTemplates) combineTemplateMaps(oldTemplates, incoming.templateOrigins);
  else ctx.remappedTemplates.set(id, templateMapFromOrigins(incoming.templateOrigins));
}

const kindConflict = () => new DeckhandError('invalid-input', 'Cannot merge note types of different kinds (a cloze and a normal one).');

/** Saves a merged notetype over the stored one (stamped now), remapping its notes and cards. */
function saveMerged(ctx: Context, w: WorkingNotetype): Notetype {
  return updateNotetypeInTx(ctx.tx, w.nt, { fields: w.fieldOrigins, templates: w.templateOrigins }, { skipChecks: true });
}

function updateOrMergeNotetype(ctx: Context, incomingNt: Notetype, existingNt: Notetype): void {
  if (isCloze(existingNt) !== isCloze(incomingNt)) throw kindConflict();
  const siblings = ctx.targetNotetypes.filter((nt) => nt.id !== existingNt.id && nt.config.originalId === BigInt(existingNt.id)).map(working);
  const existing = working(existingNt);
  for (const s of siblings) merge(existing, s.nt);
  const incoming = working(incomingNt);
  merge(incoming, existing.nt);
  merge(existing, incoming.nt);
  recordRemappedOrds(ctx, incoming);
  let saved: Notetype;
  if (shouldUpdate(ctx.opts.updateNotetypes, existing.nt.mtimeSecs, incoming.nt.mtimeSecs)) {
    copyOrigins(incoming, existing);
    saved = saveMerged(ctx, incoming);
  } else {
    saved = saveMerged(ctx, existing);
  }
  for (const s of siblings) {
    merge(s, saved);
    changeNotetypeOfNotes(ctx, ctx.store.noteIdsOfNotetype(s.nt.id), s, saved);
    ctx.mergedNotetypes.add(s.nt.id);
  }
}

/**
 * Anki's `change_notetype_of_notes_inner` for merged notetypes: cards of templates that do not
 * survive are removed, the others renumbered, fields reordered, the notetype switched, and cards
 * the new content calls for generated. Marks the schema changed.
 */
function changeNotetypeOfNotes(ctx: Context, noteIds: number[], from: WorkingNotetype, to: Notetype): void {
  const { tx } = ctx;
  tx.markSchemaChanged();
  const oldTemplateCount = tx.storage.notetypes.get(from.nt.id)?.templates.length ?? from.templateOrigins.length;
  const keep = new Set<number>();
  const moved = new Map<number, number>();
  from.templateOrigins.forEach((o, i) => {
    if (o === null) return;
    keep.add(o);
    if (o !== i) moved.set(o, i);
  });
  const nt = tx.storage.notetypes.get(to.id)!;
  const normalize = ctx.normalize;
  for (const nid of noteIds) {
    const cards = tx.storage.cards.ofNote(nid);
    for (const c of cards) {
      if (c.ord < oldTemplateCount && !keep.has(c.ord)) tx.removeCard(c.id);
      else if (moved.has(c.ord)) tx.putCard({ ...c, ord: moved.get(c.ord)! });
    }
    const note = tx.storage.notes.get(nid);
    if (!note) continue;
    note.fields = reorderFields(note.fields, from.fieldOrigins).map((f) => normalizeFieldText(f, normalize));
    note.notetypeId = to.id;
    tx.putNote(note, noteDerivedColumns(note, nt));
    generateCardsForNote(tx, note, nt, tx.storage.cards.ofNote(nid), { isNewNote: true });
  }
}

/**
 * With merging on, notes whose guid exists under another notetype: the two notetypes are merged
 * into the incoming one and the existing notes moved over (Anki's `resolve_notetype_conflicts`).
 */
function resolveNotetypeConflicts(ctx: Context, notes: Note[], existingGuids: Map<string, NoteMetaRow>): void {
  const conflicts = new Map<string, { existing: number; incoming: number; noteIds: number[] }>();
  for (const note of notes) {
    const meta = existingGuids.get(note.guid);
    if (meta && meta.mid !== note.notetypeId) {
      const k = `${meta.mid}:${note.notetypeId}`;
      const c = conflicts.get(k) ?? { existing: meta.mid, incoming: note.notetypeId, noteIds: [] };
      c.noteIds.push(meta.id);
      conflicts.set(k, c);
    }
  }
  for (const { existing: existingId, incoming: incomingId, noteIds } of conflicts.values()) {
    const existingNt = ctx.tx.storage.notetypes.get(existingId);
    const incomingNt = ctx.tx.storage.notetypes.get(incomingId);
    if (!existingNt || !incomingNt) throw new DeckhandError('not-found', `note type ${existingNt ? incomingId : existingId} not found`);
    if (isCloze(existingNt) !== isCloze(incomingNt)) throw kindConflict();
    const existing = working(existingNt);
    const incoming = working(incomingNt);
    merge(existing, incoming.nt);
    merge(incoming, existing.nt);
    recordRemappedOrds(ctx, incoming);
    // Anki copies the existing notetype's origins onto the incoming one before saving it; we keep
    // the incoming one's own origins, which is what its stored notes need (same result when, as
    // usual, it has none yet).
    const saved = saveMerged(ctx, incoming);
    changeNotetypeOfNotes(ctx, noteIds, existing, saved);
    ctx.mergedNotetypes.add(existingId);
  }
}

// ---------------------------------------------------------------------------------------------
// Notes

function importNotes(ctx: Context, notes: Note[], reporter: ProgressReporter<ImportStage>): void {
  const existingGuids = ctx.store.noteGuidMap();
  if (ctx.opts.mergeNotetypes) resolveNotetypeConflicts(ctx, notes, existingGuids);
  ctx.log.foundNotes = notes.length;
  const tick = reporter.counter('notes', notes.length);
  for (const note of notes) {
    tick();
    const fieldMap = ctx.remappedFields.get(note.notetypeId);
    if (fieldMap) note.fields = reorderFields(note.fields, fieldMap);
    const remapped = ctx.remappedNotetypes.get(note.notetypeId);
    if (remapped !== undefined) note.notetypeId = remapped;
    const existing = existingGuids.get(note.guid);
    if (existing) maybeUpdateExistingNote(ctx, existing, note);
    else addNote(ctx, note);
  }
  // notetypes merged into others are removed once no note uses them
  for (const id of ctx.mergedNotetypes) {
    if (!ctx.store.usedNotetypeIds().has(id) && ctx.tx.storage.notetypes.get(id)) removeNotetypeInTx(ctx.tx, id);
  }
}

function notetypeOf(ctx: Context, id: number): Notetype {
  const nt = ctx.tx.storage.notetypes.get(id);
  if (!nt) throw new DeckhandError('not-found', `note type ${id} not found`);
  return nt;
}

/** Anki's `prepare_for_update`: field count checked, fields normalised; returns sfld/csum. */
function prepareNote(ctx: Context, note: Note, nt: Notetype): { sfld: string; csum: number } {
  const want = Math.max(nt.fields.length, 1);
  if (note.fields.length !== want)
    throw new DeckhandError('corrupt', `A note in the package has ${note.fields.length} fields, but its note type "${nt.name}" has ${want}. Run Check Database on the collection it came from and export it again.`);
  note.fields = note.fields.map((f) => normalizeFieldText(f, ctx.normalize));
  return noteDerivedColumns(note, nt);
}

function maybeUpdateExistingNote(ctx: Context, existing: NoteMetaRow, incoming: Note): void {
  if (!ctx.opts.mergeNotetypes && incoming.notetypeId !== existing.mid) {
    ctx.log.conflicting.push(logNote(incoming.fields, incoming.id));
  } else if (shouldUpdate(ctx.opts.updateNotes, existing.mod, incoming.mtimeSecs)) {
    updateNote(ctx, incoming, existing.id);
  } else {
    ctx.noteIdMap.set(incoming.id, existing.id);
    ctx.log.duplicate.push(logNote(incoming.fields, existing.id));
  }
}

function addNote(ctx: Context, note: Note): void {
  const { tx } = ctx;
  mungeMedia(ctx, note);
  note.tags = canonifyAndRegister(tx, note.tags);
  const derived = prepareNote(ctx, note, notetypeOf(ctx, note.notetypeId));
  note.usn = -1;
  const sourceId = note.id;
  while (ctx.targetNoteIds.has(note.id)) note.id += 999;
  keepingStamps(tx, () => tx.putNote(note, derived, true));
  ctx.targetNoteIds.add(note.id);
  ctx.noteIdMap.set(sourceId, note.id);
  ctx.log.new.push(logNote(note.fields, note.id));
}

/** Updates a note, keeping the incoming modification time (so successive exports import in order). */
function updateNote(ctx: Context, note: Note, targetId: number): void {
  const { tx } = ctx;
  const sourceId = note.id;
  note.id = targetId;
  mungeMedia(ctx, note);
  note.tags = canonifyAndRegister(tx, note.tags);
  const derived = prepareNote(ctx, note, notetypeOf(ctx, note.notetypeId));
  note.usn = -1;
  keepingStamps(tx, () => tx.putNote(note, derived));
  ctx.noteIdMap.set(sourceId, note.id);
  ctx.log.updated.push(logNote(note.fields, note.id));
}

/** Rewrites media references to renamed files (and to the normalised form of the name). */
function mungeMedia(ctx: Context, note: Note): void {
  note.fields = note.fields.map(
    (field) =>
      replaceMediaRefs(field, (name) => {
        if (!filenameIsSafe(name)) return null;
        const normalized = normalizeFilename(name);
        const entry = ctx.mediaMap.use(normalized);
        if (entry) return entry.name !== name ? entry.name : null;
        return normalized !== name ? normalized : null;
      }) ?? field,
  );
}

// ---------------------------------------------------------------------------------------------
// Decks and deck configs

interface DeckContext {
  ctx: Context;
  renamedParents: [string, string][];
  imported: Map<number, number>;
  suffix: string;
  sourceToday: number;
  targetToday: number;
}

function importDecksAndConfigs(ctx: Context, data: ExchangeData): Map<number, number> {
  const { tx } = ctx;
  for (const conf of data.deckConfigs) {
    if (tx.storage.deckConfigs.getRow(conf.id)) continue;
    conf.usn = -1;
    keepingStamps(tx, () => tx.putDeckConfig(conf, true));
  }
  const dctx: DeckContext = {
    ctx,
    renamedParents: [],
    imported: new Map(),
    suffix: String(Math.floor(tx.nowMs / 1000)),
    sourceToday: data.daysElapsed,
    targetToday: collectionTimingToday(tx).daysElapsed,
  };
  const decks = [...data.decks].sort((a, b) => deckNameComponents(a.name).length - deckNameComponents(b.name).length);
  for (const deck of decks) {
    maybeReparent(dctx, deck);
    correctDayLimits(dctx, deck);
    importDeck(dctx, deck);
  }
  return dctx.imported;
}

function maybeReparent(d: DeckContext, deck: { name: string }): void {
  for (const [oldParent, newParent] of d.renamedParents) {
    if (deck.name.startsWith(oldParent)) {
      deck.name = newParent + deck.name.slice(oldParent.length);
      return;
    }
  }
}

function correctDayLimits(d: DeckContext, deck: Deck): void {
  const normal = deck.kind.normal;
  if (!normal) return;
  const fix = (limit: DayLimit | undefined): DayLimit | undefined => {
    if (!limit) return undefined;
    if (limit.today === d.sourceToday) return { ...limit, today: d.targetToday };
    if (d.targetToday > 0) return { ...limit, today: Math.min(limit.today, d.targetToday - 1) };
    return undefined;
  };
  normal.newLimitToday = fix(normal.newLimitToday);
  normal.reviewLimitToday = fix(normal.reviewLimitToday);
}

function uniquifyDeckName(d: DeckContext, deck: { name: string }): void {
  const oldParent = `${deck.name}::`;
  deck.name = `${deck.name} ${d.suffix}`;
  d.renamedParents.push([oldParent, `${deck.name}::`]);
}

function importDeck(d: DeckContext, deck: Deck): void {
  const { tx } = d.ctx;
  const original = tx.storage.decks.byName(deck.name);
  if (original) {
    if (!!original.kind.filtered === !!deck.kind.filtered) return updateDeck(d, deck, original);
    uniquifyDeckName(d, deck);
  }
  ensureValidFirstExistingParent(d, deck);
  const added = addDeckInTx(tx, { name: deck.name, common: deck.common, kind: deck.kind }, 'suffix');
  d.imported.set(deck.id, added.id);
}

function updateNormalWithOther(normal: NormalDeck, other: NormalDeck): void {
  if (other.description !== '') {
    normal.markdownDescription = other.markdownDescription;
    normal.description = other.description;
  }
  if (other.configId !== 1n) normal.configId = other.configId;
  normal.reviewLimit = other.reviewLimit ?? normal.reviewLimit;
  normal.newLimit = other.newLimit ?? normal.newLimit;
  normal.reviewLimitToday = other.reviewLimitToday ?? normal.reviewLimitToday;
  normal.newLimitToday = other.newLimitToday ?? normal.newLimitToday;
}

function updateDeck(d: DeckContext, deck: Deck, original: Deck): void {
  const updated = structuredClone(original);
  if (updated.kind.normal && deck.kind.normal) updateNormalWithOther(updated.kind.normal, deck.kind.normal);
  else if (updated.kind.filtered && deck.kind.filtered) updated.kind.filtered = structuredClone(deck.kind.filtered);
  d.imported.set(deck.id, updated.id);
  updateDeckInTx(d.ctx.tx, updated, 'suffix');
}

/** A filtered deck cannot be a parent: the nearest existing ancestor, if filtered, gets a renamed normal twin. */
function ensureValidFirstExistingParent(d: DeckContext, deck: Deck): void {
  const { tx } = d.ctx;
  let name: string | null = deck.name;
  let ancestor: Deck | undefined;
  while ((name = immediateParentName(name)) !== null) {
    ancestor = tx.storage.decks.byName(name);
    if (ancestor) break;
  }
  if (ancestor?.kind.filtered) {
    const twin = { name: ancestor.name };
    uniquifyDeckName(d, twin);
    addDeckInTx(tx, { name: twin.name, common: { ...defaultDeckCommon(), studyCollapsed: true, browserCollapsed: true }, kind: { normal: defaultNormalDeck() } }, 'suffix');
    maybeReparent(d, deck);
  }
}

// ---------------------------------------------------------------------------------------------
// Cards and revlog

function importCardsAndRevlog(ctx: Context, data: ExchangeData, deckMap: Map<number, number>, notetypeOfSourceNote: Map<number, number>): void {
  const { tx, store } = ctx;
  const existingCards = store.allCardNidOrds();
  const existingCardIds = store.allCardIds();
  const delta = data.daysElapsed - collectionTimingToday(tx).daysElapsed;
  const importedCards = new Map<number, number>();
  const addedNew: Card[] = [];
  for (const card of data.cards) {
    const sourceNid = card.noteId;
    const nid = ctx.noteIdMap.get(sourceNid);
    if (nid === undefined) continue;
    card.noteId = nid;
    if (existingCards.has(`${card.noteId}:${card.ord}`)) continue;
    card.usn = -1;
    card.deckId = deckMap.get(card.deckId) ?? card.deckId;
    card.originalDeckId = deckMap.get(card.originalDeckId) ?? card.originalDeckId;
    const ntid = notetypeOfSourceNote.get(sourceNid);
    const templateMap = ntid === undefined ? undefined : ctx.remappedTemplates.get(ntid);
    card.ord = templateMap?.get(card.ord) ?? card.ord;
    shiftCollectionRelativeDates(card, delta);
    const sourceId = card.id;
    while (existingCardIds.has(card.id)) card.id += 999;
    if (store.cardExists(card.id)) continue;
    card.data = normalizedCardData(card.data);
    keepingStamps(tx, () => tx.putCard(card, true));
    if (card.ctype === CardType.New && card.queue !== CardQueue.Preview && card.originalDeckId === 0) addedNew.push(card);
    existingCardIds.add(card.id);
    importedCards.set(sourceId, card.id);
  }
  renumberOutOfRangePositions(ctx, addedNew);
  for (const entry of data.revlog) {
    const cid = importedCards.get(entry.cid);
    if (cid === undefined) continue;
    if (store.revlogExists(entry.id)) continue;
    const row: RevlogRow = { ...entry, cid, usn: -1 };
    tx.addRevlog(row);
  }
}

/**
 * Deliberate difference: Anki keeps incoming new-card positions as they are and leaves `nextPos`
 * alone. Positions of 1,000,000 and more (old clients used timestamps) are what Anki's Check
 * Database treats as broken, so such cards get the next free positions here (in their old order,
 * siblings together); and `nextPos` moves past the imported positions, so cards added later do
 * not reuse them (Check Database does the same).
 */
function renumberOutOfRangePositions(ctx: Context, added: Card[]): void {
  if (!added.length) return;
  const { tx } = ctx;
  const stored = tx.storage.config.get<unknown>('nextPos');
  let next = Math.max(typeof stored === 'number' && Number.isSafeInteger(stored) ? stored : 0, ctx.store.maxNewPosition() + 1);
  const big = added.filter((c) => c.due >= 1_000_000).sort((a, b) => a.due - b.due || a.id - b.id);
  let lastDue: number | null = null;
  for (const card of big) {
    if (card.due !== lastDue) {
      if (lastDue !== null) next++;
      lastDue = card.due;
    }
    card.due = next;
    keepingStamps(tx, () => tx.putCard(card));
  }
  if (big.length) next++;
  if (stored !== next && (typeof stored !== 'number' || stored < next)) tx.setConfig('nextPos', next);
}

/** Review-type due dates are day numbers: move them by how far the source's "today" is ahead. */
function shiftCollectionRelativeDates(card: Card, delta: number): void {
  if (card.queue === CardQueue.Review || card.queue === CardQueue.DayLearn || card.ctype === CardType.Review) card.due -= delta;
  if (card.ctype === CardType.Review && card.originalDue !== 0) card.originalDue -= delta;
}
