// The search AST. It mirrors the shape Anki's parser produces (see
// shared/spec/anki-search.md): a group is a flat list in which search terms alternate with
// `and` / `or` operators (implicit ANDs are inserted by the parser), because the list is written
// into SQL unchanged and SQL's precedence (NOT > AND > OR) applies.

/** How a field / tag value is matched. */
export type FieldSearchMode = 'normal' | 'regex' | 'noCombining';

/** Values after `is:` (case-sensitive in the search syntax). */
export type StateKind =
  | 'new'
  | 'review'
  | 'learn'
  | 'due'
  | 'buried'
  | 'buried-manually'
  | 'buried-sibling'
  | 'suspended';

export const STATE_KINDS: readonly StateKind[] = [
  'new',
  'review',
  'learn',
  'due',
  'buried',
  'buried-manually',
  'buried-sibling',
  'suspended',
];

export type TemplateKind =
  /** 0-based template ordinal (cloze: cloze number − 1). */
  | { kind: 'ordinal'; ord: number }
  /** Template name, possibly with `*` / `_` wildcards (still escaped). */
  | { kind: 'name'; name: string };

export type RatingKind =
  | { kind: 'answerButton'; button: 1 | 2 | 3 | 4 }
  | { kind: 'anyAnswerButton' }
  | { kind: 'manualReschedule' };

export type PropertyOperator = '<=' | '>=' | '!=' | '=' | '<' | '>';

export type PropertyKind =
  | { kind: 'due'; days: number }
  | { kind: 'interval'; days: number }
  | { kind: 'reps'; count: number }
  | { kind: 'lapses'; count: number }
  /** Float (f32) ease, e.g. 2.5. */
  | { kind: 'ease'; ease: number }
  | { kind: 'position'; pos: number }
  /** days ≤ 0 (0 = today, -1 = yesterday …). */
  | { kind: 'rated'; days: number; ease: RatingKind }
  | { kind: 'stability'; value: number }
  | { kind: 'difficulty'; value: number }
  | { kind: 'retrievability'; value: number }
  | { kind: 'customDataNumber'; key: string; value: number }
  | { kind: 'customDataString'; key: string; value: string };

export type SearchNode =
  /** Text without a key: substring of the note's fields. Still contains `\*`, `\_`, `\\`. */
  | { kind: 'unqualifiedText'; text: string }
  /** `field:value` where `field` is not a known keyword. */
  | { kind: 'singleField'; field: string; text: string; mode: FieldSearchMode }
  | { kind: 'addedInDays'; days: number }
  | { kind: 'editedInDays'; days: number }
  | { kind: 'introducedInDays'; days: number }
  | { kind: 'cardTemplate'; template: TemplateKind }
  /** Deck name in human form (`a::b`), with wildcards; `*`, `filtered`, `current` are special. */
  | { kind: 'deck'; deck: string }
  /** `did:1,2` — a validated list of digits and commas, no children. */
  | { kind: 'deckIdsWithoutChildren'; ids: string }
  /** Not produced by the parser (API use): a deck and its children, home deck not checked. */
  | { kind: 'deckIdWithChildren'; deckId: number }
  /** Not produced by the parser (API use): the card has an FSRS memory state. */
  | { kind: 'hasMemoryState' }
  /** `mid:123`, as a canonical decimal i64 string. */
  | { kind: 'notetypeId'; id: string }
  | { kind: 'notetype'; name: string }
  | { kind: 'rated'; days: number; ease: RatingKind }
  | { kind: 'tag'; tag: string; mode: FieldSearchMode }
  /** `dupe:ntid,text`; notetype id is a canonical decimal i64 string. */
  | { kind: 'duplicates'; notetypeId: string; text: string }
  | { kind: 'state'; state: StateKind }
  | { kind: 'flag'; flag: number }
  /** `nid:1,2` — a validated list of digits and commas. */
  | { kind: 'noteIds'; ids: string }
  /** `cid:1,2` — a validated list of digits and commas. */
  | { kind: 'cardIds'; ids: string }
  | { kind: 'property'; operator: PropertyOperator; prop: PropertyKind }
  | { kind: 'wholeCollection' }
  /** `re:` — a Rust-syntax regex over the joined fields. */
  | { kind: 'regex'; regex: string }
  | { kind: 'noCombining'; text: string }
  | { kind: 'stripClozes'; text: string }
  | { kind: 'wordBoundary'; text: string }
  /** `has-cd:key` */
  | { kind: 'customData'; key: string }
  | { kind: 'preset'; name: string };

export type SearchNodeKind = SearchNode['kind'];

export type Node =
  | { type: 'and' }
  | { type: 'or' }
  | { type: 'not'; node: Node }
  | { type: 'group'; nodes: Node[] }
  | { type: 'search'; search: SearchNode };

// ---- small constructors (handy for code that builds searches programmatically) ----

export const AND: Node = Object.freeze({ type: 'and' }) as Node;
export const OR: Node = Object.freeze({ type: 'or' }) as Node;

export function searchNode(search: SearchNode): Node {
  return { type: 'search', search };
}

export function notNode(node: Node): Node {
  return node.type === 'not' ? node.node : { type: 'not', node };
}

export function groupNode(nodes: Node[]): Node {
  return { type: 'group', nodes };
}

/** Join nodes with AND (each wrapped in a group if it is itself a multi-node group). */
export function andNodes(nodes: Node[]): Node {
  return joinNodes(nodes, AND);
}

/** Join nodes with OR. */
export function orNodes(nodes: Node[]): Node {
  return joinNodes(nodes, OR);
}

function joinNodes(nodes: Node[], joiner: Node): Node {
  const out: Node[] = [];
  for (const node of nodes) {
    if (out.length > 0) out.push(joiner);
    out.push(node);
  }
  return groupNode(out.length > 0 ? out : [searchNode({ kind: 'wholeCollection' })]);
}
