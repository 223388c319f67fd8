// The deck hierarchy as a tree (Anki's `deck_tree` without counts; the scheduler adds them).

import { unicaseEquals } from '../storage/unicase';
import { DEFAULT_DECK_ID } from './deck';
import { isFilteredDeck, type Reader } from './deck-lookup';
import { DECK_NAME_SEPARATOR, deckBaseName, deckNameComponents, deckNameLevel } from './deck-names';

export interface DeckTreeNode {
  /** 0 for the root. */
  deckId: number;
  /** The last level of the name ("" for the root). */
  name: string;
  /** The full human name ("" for the root). */
  fullName: string;
  /** 0 for the root, 1 for top-level decks. */
  level: number;
  /** Collapsed on the deck list / study screen (`study_collapsed`). */
  collapsed: boolean;
  /** Collapsed in the browser sidebar (`browser_collapsed`). */
  browserCollapsed: boolean;
  filtered: boolean;
  children: DeckTreeNode[];
}

export interface DeckTreeOptions {
  /** Hide deck 1 when it is empty, childless and not the only deck (Anki does). Default true. */
  hideEmptyDefault?: boolean;
}

/**
 * The deck hierarchy (Anki's `deck_tree` without counts; the scheduler adds counts). Decks whose
 * parent is missing are left out, as Anki does until "Check Database" recreates the parent.
 */
export function deckTree(col: Reader, opts: DeckTreeOptions = {}): DeckTreeNode {
  const s = col.storage;
  const decks = s.decks.all();
  const root: DeckTreeNode = { deckId: 0, name: '', fullName: '', level: 0, collapsed: false, browserCollapsed: false, filtered: false, children: [] };
  let i = 0;
  /** Whether `node` is `name`'s ancestor (unicase, as the names are unique under it). */
  const under = (name: string, node: DeckTreeNode) =>
    node.level === 0 || unicaseEquals(deckNameComponents(name).slice(0, node.level).join(DECK_NAME_SEPARATOR), node.fullName);
  const addChildren = (parent: DeckTreeNode): void => {
    while (i < decks.length) {
      const deck = decks[i];
      // protobuf refuses 100+ levels of nesting; Anki caps the level at 99
      const level = Math.min(deckNameLevel(deck.name), 99);
      if (level <= parent.level || !under(deck.name, parent)) return;
      if (level === parent.level + 1) {
        parent.children.push({
          deckId: deck.id,
          name: deckBaseName(deck.name),
          fullName: deck.name,
          level,
          collapsed: deck.common.studyCollapsed,
          browserCollapsed: deck.common.browserCollapsed,
          filtered: isFilteredDeck(deck),
          children: [],
        });
        i++;
      } else {
        // Deeper: belongs under the last child, or its parent is missing and it is skipped.
        // (Deviation: Anki descends into the last child without comparing names, which can show
        // a deck whose parent is missing under an unrelated sibling.)
        const last = parent.children.at(-1);
        if (last && under(deck.name, last)) addChildren(last);
        else i++;
      }
    }
  };
  addChildren(root);
  if ((opts.hideEmptyDefault ?? true) && s.decks.hasNoCards(DEFAULT_DECK_ID)) {
    const idx = root.children.findIndex((c) => c.deckId === DEFAULT_DECK_ID && c.children.length === 0);
    if (idx >= 0 && root.children.length > 1) root.children.splice(idx, 1);
  }
  return root;
}
/** Finds a deck's node in a tree (a plain one, or one with counts). */
export function findDeckInTree<T extends { deckId: number; children: readonly T[] }>(node: T, deckId: number): T | undefined {
  if (node.deckId === deckId) return node;
  for (const c of node.children) {
    const hit = findDeckInTree(c, deckId);
    if (hit) return hit;
  }
  return undefined;
}
