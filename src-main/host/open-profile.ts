import type { Collection } from '../collection/collection';
import type { OpChanges } from '../collection/op-changes';
import type { ProfileInfo, ProfileManager } from '../profiles/profiles-service';
import type { ProfileSettings, ProfileSettingsPatch } from '../profiles/profile-settings';

/** The op name of changes that sync itself made (normal sync, full upload/download). */
export const SYNC_OP = 'Sync';

export type ChangeListener = (op: string, changes: OpChanges) => void;

/**
 * A profile whose collection this process holds open: what the AnkiConnect actions, IPC handlers,
 * the CLI and the sync loop work on. One per running Deckhand.
 *
 * `col` is the *current* instance: a full sync download replaces the collection file and reopens
 * it, after which `col` returns the new instance and the old one is closed. Read `session.col`
 * each time (don't keep it), or re-bind on `onCollectionReplaced`; `onChange` follows the
 * replacement by itself.
 */
export interface OpenProfile {
  readonly name: string;
  readonly info: ProfileInfo;
  readonly col: Collection;
  readonly manager: ProfileManager;
  settings(): ProfileSettings;
  updateSettings(patch: ProfileSettingsPatch): ProfileSettings;
  /**
   * Makes `next` the profile's collection (after a full download reopened the file). The
   * previous instance is closed if it is not already. Listeners of `onCollectionReplaced` are
   * told, then `onChange` listeners get one change event with everything changed (op `Sync`).
   */
  replaceCollection(next: Collection): void;
  /** Told after `replaceCollection`, with the new and the old instance. Returns an unsubscribe. */
  onCollectionReplaced(listener: (col: Collection, previous: Collection) => void): () => void;
  /** Committed changes of whichever collection is current (re-subscribed across replacements). */
  onChange(listener: ChangeListener): () => void;
  close(): void;
}

const everythingChanged = (): OpChanges => ({
  notes: true,
  cards: true,
  decks: true,
  deckConfigs: true,
  notetypes: true,
  tags: true,
  config: true,
  revlog: true,
  studyQueues: true,
});

class ProfileSession implements OpenProfile {
  private current: Collection;
  private readonly replacedListeners = new Set<(col: Collection, previous: Collection) => void>();
  /** listener → its unsubscribe from the current collection */
  private readonly changeListeners = new Map<ChangeListener, () => void>();

  constructor(
    readonly manager: ProfileManager,
    readonly info: ProfileInfo,
    col: Collection,
  ) {
    this.current = col;
  }

  get name(): string {
    return this.info.name;
  }

  get col(): Collection {
    return this.current;
  }

  settings(): ProfileSettings {
    return this.manager.readSettings(this.info.name);
  }

  updateSettings(patch: ProfileSettingsPatch): ProfileSettings {
    return this.manager.updateSettings(this.info.name, patch);
  }

  replaceCollection(next: Collection): void {
    const previous = this.current;
    if (next === previous) return;
    for (const off of this.changeListeners.values()) off();
    this.current = next;
    if (!previous.isClosed) previous.close();
    for (const [listener] of this.changeListeners) this.changeListeners.set(listener, next.onChange(listener));
    for (const l of [...this.replacedListeners]) {
      try {
        l(next, previous);
      } catch {
        /* a listener's failure must not stop the others */
      }
    }
    for (const l of [...this.changeListeners.keys()]) {
      try {
        l(SYNC_OP, everythingChanged());
      } catch {
        /* as Collection.emit */
      }
    }
  }

  onCollectionReplaced(listener: (col: Collection, previous: Collection) => void): () => void {
    this.replacedListeners.add(listener);
    return () => this.replacedListeners.delete(listener);
  }

  onChange(listener: ChangeListener): () => void {
    if (!this.changeListeners.has(listener)) this.changeListeners.set(listener, this.current.onChange(listener));
    return () => {
      this.changeListeners.get(listener)?.();
      this.changeListeners.delete(listener);
    };
  }

  close(): void {
    this.current.close();
  }
}

const exclusiveQueues = new WeakMap<OpenProfile, Promise<unknown>>();

/**
 * Runs `fn` after every earlier exclusive run on this profile has settled, and before any later
 * one: what a sync and a collection replacement (.colpkg import, backup restore) take, so they
 * never overlap.
 */
export function exclusive<T>(session: OpenProfile, fn: () => Promise<T>): Promise<T> {
  const prev = exclusiveQueues.get(session) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  exclusiveQueues.set(
    session,
    run.catch(() => undefined),
  );
  return run;
}

/** Opens (creating when new) a profile by name. */
export function openProfile(manager: ProfileManager, name: string): OpenProfile {
  let info: ProfileInfo;
  try {
    info = manager.get(name);
  } catch {
    info = manager.create(name);
  }
  return new ProfileSession(manager, info, manager.open(info.name));
}
