// Which tables a search must read (cards, notes or both), from its terms and its sort order.

import type { Node, SearchNode } from '../../search/ast';
import type { SortMode } from '../../search/context';

export type RequiredTable = 'notes' | 'cards' | 'cardsAndNotes' | 'cardsOrNotes';

export function combineTables(a: RequiredTable, b: RequiredTable): RequiredTable {
  if (a === 'cardsAndNotes' || b === 'cardsAndNotes') return 'cardsAndNotes';
  if (a === 'cardsOrNotes') return b;
  if (b === 'cardsOrNotes') return a;
  return a === b ? a : 'cardsAndNotes';
}

export function nodeRequiredTable(node: Node): RequiredTable {
  switch (node.type) {
    case 'and':
    case 'or':
      return 'cardsOrNotes';
    case 'not':
      return nodeRequiredTable(node.node);
    case 'group':
      return node.nodes.reduce<RequiredTable>((t, n) => combineTables(t, nodeRequiredTable(n)), 'cardsOrNotes');
    case 'search':
      return searchRequiredTable(node.search);
  }
}

function searchRequiredTable(node: SearchNode): RequiredTable {
  switch (node.kind) {
    case 'addedInDays':
    case 'introducedInDays':
    case 'deck':
    case 'deckIdsWithoutChildren':
    case 'deckIdWithChildren':
    case 'rated':
    case 'state':
    case 'flag':
    case 'cardIds':
    case 'property':
    case 'customData':
    case 'preset':
    case 'hasMemoryState':
      return 'cards';
    case 'unqualifiedText':
    case 'singleField':
    case 'tag':
    case 'duplicates':
    case 'regex':
    case 'noCombining':
    case 'stripClozes':
    case 'wordBoundary':
    case 'notetypeId':
    case 'notetype':
    case 'editedInDays':
      return 'notes';
    case 'noteIds':
    case 'wholeCollection':
      return 'cardsOrNotes';
    case 'cardTemplate':
      return 'cardsAndNotes';
  }
}

export function sortRequiredTable(order: SortMode | undefined): RequiredTable {
  if (!order || order.kind === 'none') return 'cardsOrNotes';
  if (order.kind === 'custom') {
    if (order.orderBy.includes('n.')) return order.orderBy.includes('c.') ? 'cardsAndNotes' : 'notes';
    return 'cards';
  }
  switch (order.column) {
    case 'template':
    case 'noteCrt':
    case 'noteMod':
    case 'note':
    case 'noteFld':
    case 'noteTags':
      return 'notes';
    default:
      return 'cardsOrNotes';
  }
}

