import type { Collection } from '../collection/collection';
import { notFound } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { noteDerivedColumns } from '../notes/derived';
import type { Note } from '../notes/note';
import { unicaseFold } from '../storage/unicase';
import { normalizeTagName, parentTag, sortUniqueTags, splitTags, tagsEqual } from './canonical';

/**
 * The tag a note will carry: the case of an already registered tag, else the case of its first
 * registered parent (Anki's `prepare_tag_for_registering`). Registers it when new.
 */
export function registerTag(tx: Tx, raw: string): string {
  // The same tag on thousands of added notes is looked up once per operation.
  return tx.memoize(`tags:register:${raw}`, () => registerTagUncached(tx, raw));
}

function registerTagUncached(tx: Tx, raw: string): string {
  const name = normalizeTagName(raw);
  const existing = tx.storage.tags.getRow(name);
  if (existing) return existing.tag;
  let adjusted = name;
  for (let parent = parentTag(name); parent; parent = parentTag(parent)) {
    const preferred = preferredCase(tx, parent);
    if (preferred) {
      adjusted = preferred + name.slice(parent.length);
      break;
    }
  }
  tx.putTag(adjusted, true);
  return adjusted;
}

function preferredCase(tx: Tx, tag: string): string | null {
  const rows = tx.storage.tags.withChildren(tag);
  return rows.length ? rows[0].tag.slice(0, tag.length) : null;
}

/** Canonical tags for a note: split, normalised, registered, de-duplicated and sorted. */
export function canonifyAndRegister(tx: Tx, tags: Iterable<string>): string[] {
  const out: string[] = [];
  for (const t of tags) for (const part of splitTags(t)) out.push(registerTag(tx, part));
  return sortUniqueTags(out);
}

export function allTags(col: Collection): string[] {
  return col.storage.tags.all().map((r) => r.tag);
}

/** Removes registered tags that no note uses any more (Anki's "Clear Unused Tags"). */
export function clearUnusedTags(col: Collection): OpResult<number> {
  return col.transact('Clear Unused Tags', (tx) => {
    const used = new Set<string>();
    for (const t of tx.storage.notes.allTagStrings()) for (const tag of splitTags(t)) used.add(unicaseFold(tag));
    let removed = 0;
    for (const row of tx.storage.tags.all()) {
      if (!used.has(unicaseFold(row.tag))) {
        tx.removeTag(row.tag);
        removed++;
      }
    }
    return removed;
  });
}

// ---------------------------------------------------------------------------------------------
// Tags on notes (Anki's bulk add / remove / replace)

/** Writes a note whose tags changed (fields untouched). */
function putNoteTags(tx: Tx, note: Note): void {
  const nt = tx.storage.notetypes.get(note.notetypeId);
  if (!nt) throw notFound(`notetype ${note.notetypeId}`);
  tx.putNote(note, noteDerivedColumns(note, nt));
}

const sameTagList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * Adds space-separated `tags` to notes (Anki's `add_tags_to_notes`): each new tag is normalised
 * and registered; a note already carrying a tag (ignoring case) keeps its spelling; only notes
 * that change are written. Unknown note ids are skipped. Returns how many notes changed.
 */
export function addTagsToNotesInTx(tx: Tx, noteIds: readonly number[], tags: string): number {
  const wanted = splitTags(tags);
  if (!wanted.length) return 0;
  let n = 0;
  for (const note of tx.storage.notes.getMany([...new Set(noteIds)])) {
    const next = canonifyAndRegister(tx, [...note.tags, ...wanted]);
    if (sameTagList(next, note.tags)) continue;
    note.tags = next;
    putNoteTags(tx, note);
    n++;
  }
  return n;
}

export function addTagsToNotes(col: Collection, noteIds: readonly number[], tags: string): OpResult<number> {
  return col.transact('Add Tags', (tx) => addTagsToNotesInTx(tx, noteIds, tags));
}

/** Anki's tag matcher: a tag (`*` = any text), ignoring case, also matches its `::` children. */
export function tagMatcher(tags: string): (tag: string) => boolean {
  const patterns = splitTags(tags).map((t) =>
    normalizeTagName(t)
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
  );
  if (!patterns.length) return () => false;
  const re = new RegExp(`^(?:${patterns.join('|')})(?:::.*)?$`, 'isu');
  return (tag) => re.test(tag);
}

/**
 * Removes space-separated `tags` from notes (Anki's `remove_tags`): matching ignores case,
 * supports `*`, and takes the tags' `::` children too. Returns how many notes changed.
 */
export function removeTagsFromNotesInTx(tx: Tx, noteIds: readonly number[], tags: string): number {
  const matches = tagMatcher(tags);
  let n = 0;
  for (const note of tx.storage.notes.getMany([...new Set(noteIds)])) {
    const kept = note.tags.filter((t) => !matches(t));
    if (kept.length === note.tags.length) continue;
    note.tags = kept;
    putNoteTags(tx, note);
    n++;
  }
  return n;
}

export function removeTagsFromNotes(col: Collection, noteIds: readonly number[], tags: string): OpResult<number> {
  return col.transact('Remove Tags', (tx) => removeTagsFromNotesInTx(tx, noteIds, tags));
}

/**
 * On each note carrying `from` (ignoring case), replaces it with `to` (pylib's `has_tag` /
 * `remove_tag` / `add_tag` on a note, as AnkiConnect's replaceTags uses them). Children of
 * `from` are not touched. Returns how many notes changed.
 */
export function replaceTagOnNotesInTx(tx: Tx, noteIds: readonly number[] | 'all', from: string, to: string): number {
  const ids = noteIds === 'all' ? tx.storage.notes.allIds() : [...new Set(noteIds)];
  let n = 0;
  for (const note of tx.storage.notes.getMany(ids)) {
    if (!note.tags.some((t) => tagsEqual(t, from))) continue;
    const next = canonifyAndRegister(tx, [...note.tags.filter((t) => !tagsEqual(t, from)), to]);
    if (sameTagList(next, note.tags)) continue;
    note.tags = next;
    putNoteTags(tx, note);
    n++;
  }
  return n;
}

export function replaceTagOnNotes(col: Collection, noteIds: readonly number[] | 'all', from: string, to: string): OpResult<number> {
  return col.transact('Replace Tag', (tx) => replaceTagOnNotesInTx(tx, noteIds, from, to));
}

/** A note's tags; throws `not-found`. */
export function noteTags(col: Collection, noteId: number): string[] {
  const note = col.storage.notes.get(noteId);
  if (!note) throw notFound(`note ${noteId}`);
  return note.tags;
}
