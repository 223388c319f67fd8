import type { Collection } from '../collection/collection';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { unicaseFold } from '../storage/unicase';
import { normalizeTagName, parentTag, sortUniqueTags, splitTags } from './canonical';

/**
 * The tag a note will carry: the case of an already registered tag, else the case of its first
 * registered parent (Anki's `prepare_tag_for_registering`). Registers it when new.
 */
export function registerTag(tx: Tx, raw: string): string {
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
