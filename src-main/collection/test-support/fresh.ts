// Fresh collections for tests: each in its own temp folder, closed after the test that made it.

import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Collection } from '../collection';
import { expectCollectionPasses, tempDir } from './check';

export interface FreshCollection {
  col: Collection;
  dir: string;
  path: string;
}

export interface FreshCollectionOptions {
  /** Prefix of the temp folder (default `deckhand-`). */
  prefix?: string;
  /** File name of the collection (default `collection.anki2`). */
  name?: string;
  /** After each test, also run the strict checker on every collection it made. */
  checkAfterEach?: boolean;
}

/** A new collection in a new temp folder (closing it is the caller's business). */
export function createFreshCollection(opts: Pick<FreshCollectionOptions, 'prefix' | 'name'> = {}): FreshCollection {
  const dir = tempDir(opts.prefix ?? 'deckhand-');
  const path = join(dir, opts.name ?? 'collection.anki2');
  return { col: Collection.create(path), dir, path };
}

/**
 * For a test file: registers an afterEach that closes (and with `checkAfterEach` checks) the
 * collections made during the test, and returns the `fresh()` that makes them.
 */
export function freshCollectionsPerTest(opts: FreshCollectionOptions = {}): () => FreshCollection {
  const open: FreshCollection[] = [];
  afterEach(() => {
    for (const { col, path } of open.splice(0)) {
      col.close();
      if (opts.checkAfterEach) expectCollectionPasses(path);
    }
  });
  return () => {
    const f = createFreshCollection(opts);
    open.push(f);
    return f;
  };
}

/** Closes the collection and runs the independent checker on the file. */
export function closeAndCheck(f: { col: Collection; path: string }): void {
  f.col.close();
  expectCollectionPasses(f.path);
}
