// AST → search text, in Anki's normalised form: implicit ANDs as spaces, " OR ", quotes only
// where needed. Used to show a normalised search, to build searches from UI actions and to
// replace one term of an existing search (e.g. the deck clicked in the sidebar).

import type { FieldSearchMode, Node, PropertyKind, PropertyOperator, RatingKind, SearchNode } from './ast';
import { rustF32Display } from './number-format';
import { parseSearch } from './parser';
import { escapeAnkiWildcards } from './wildcards';

/** Write a node list (the content of a group) as search text. */
export function writeNodes(nodes: readonly Node[]): string {
  return nodes.map(writeNode).join('');
}

export function writeNode(node: Node): string {
  switch (node.type) {
    case 'and':
      return ' ';
    case 'or':
      return ' OR ';
    case 'not':
      return `-${writeNode(node.node)}`;
    case 'group':
      return `(${writeNodes(node.nodes)})`;
    case 'search':
      return writeSearchNode(node.search);
  }
}

/** Parse and re-write a search in normalised form. Throws SearchError for invalid input. */
export function normalizeSearch(input: string): string {
  return writeNodes(parseSearch(input));
}

/**
 * If `replacement` is a single term (e.g. `deck:foo`), replace every term of the same kind in
 * `existing` with it, and return the result as text.
 */
export function replaceSearchNode(existing: readonly Node[], replacement: Node): string {
  if (replacement.type !== 'search') return writeNodes(existing);
  const newNode = replacement.search;
  const update = (node: Node): Node => {
    switch (node.type) {
      case 'not':
        return { type: 'not', node: update(node.node) };
      case 'group':
        return { type: 'group', nodes: node.nodes.map(update) };
      case 'search':
        return node.search.kind === newNode.kind ? { type: 'search', search: newNode } : node;
      default:
        return node;
    }
  };
  return writeNodes(existing.map(update));
}

/** Join search texts with AND (or OR), grouping each when it has more than one term. */
export function joinSearches(searches: readonly string[], joiner: 'and' | 'or' = 'and'): string {
  const parts: Node[] = [];
  for (const s of searches) {
    const nodes = parseSearch(s);
    if (nodes.length === 1 && nodes[0].type === 'search' && nodes[0].search.kind === 'wholeCollection' && searches.length > 1) {
      continue;
    }
    if (parts.length > 0) parts.push({ type: joiner });
    parts.push(nodes.length === 1 ? nodes[0] : { type: 'group', nodes });
  }
  return parts.length === 0 ? '' : writeNodes(parts);
}

/** A `deck:` search for a deck's human name (wildcards escaped, quoted when needed). */
export function deckSearchText(humanName: string): string {
  return writeSearchNode({ kind: 'deck', deck: escapeAnkiWildcards(humanName) });
}

/** A `note:` search for a notetype name (wildcards escaped, quoted when needed). */
export function notetypeSearchText(name: string): string {
  return writeSearchNode({ kind: 'notetype', name: escapeAnkiWildcards(name) });
}

/** A `tag:` search for a tag name (wildcards escaped). */
export function tagSearchText(tag: string): string {
  return writeSearchNode({ kind: 'tag', tag: escapeAnkiWildcards(tag), mode: 'normal' });
}

export function writeSearchNode(node: SearchNode): string {
  switch (node.kind) {
    case 'unqualifiedText':
      return maybeQuote(node.text.replaceAll(':', '\\:'));
    case 'singleField':
      return writeSingleField(node.field, node.text, node.mode);
    case 'addedInDays':
      return `added:${node.days}`;
    case 'editedInDays':
      return `edited:${node.days}`;
    case 'introducedInDays':
      return `introduced:${node.days}`;
    case 'cardTemplate':
      return node.template.kind === 'ordinal'
        ? `card:${node.template.ord + 1}`
        : maybeQuote(`card:${node.template.name}`);
    case 'deck':
      return maybeQuote(`deck:${node.deck}`);
    case 'deckIdsWithoutChildren':
      return `did:${node.ids}`;
    case 'notetypeId':
      return `mid:${node.id}`;
    case 'notetype':
      return maybeQuote(`note:${node.name}`);
    case 'rated':
      return writeRated(node.days, node.ease);
    case 'tag':
      return writeSingleField('tag', node.tag, node.mode);
    case 'duplicates':
      return maybeQuote(`dupe:${node.notetypeId},${node.text.replaceAll('\\', '\\\\')}`);
    case 'state':
      return `is:${node.state}`;
    case 'flag':
      return `flag:${node.flag}`;
    case 'noteIds':
      return `nid:${node.ids}`;
    case 'cardIds':
      return `cid:${node.ids}`;
    case 'property':
      return writeProperty(node.operator, node.prop);
    case 'wholeCollection':
      return 'deck:*';
    case 'regex':
      return maybeQuote(`re:${node.regex}`);
    case 'noCombining':
      return maybeQuote(`nc:${node.text}`);
    case 'stripClozes':
      return maybeQuote(`sc:${node.text}`);
    case 'wordBoundary':
      return maybeQuote(`w:${node.text}`);
    case 'customData':
      return maybeQuote(`has-cd:${node.key}`);
    case 'preset':
      return maybeQuote(`preset:${node.name}`);
    case 'deckIdWithChildren':
    case 'hasMemoryState':
      // programmatic only; no text form
      return '';
  }
}

/** Escape double quotes, and wrap in quotes when the text would otherwise parse differently. */
function maybeQuote(txt: string): string {
  const escaped = txt.replaceAll('"', '\\"');
  return needsQuotation(txt) ? `"${escaped}"` : escaped;
}

/** The words and/or, a leading hyphen, spaces and parentheses need quotes. */
function needsQuotation(txt: string): boolean {
  return /^and$/i.test(txt) || /^or$/i.test(txt) || /^-.| |\u3000|\(|\)/.test(txt);
}

function writeSingleField(field: string, text: string, mode: FieldSearchMode): string {
  const prefix = mode === 'regex' ? 're:' : mode === 'noCombining' ? 'nc:' : '';
  const value = mode === 'normal' && (text.startsWith('re:') || text.startsWith('nc:')) ? text.replace(':', '\\:') : text;
  return maybeQuote(`${field.replaceAll(':', '\\:')}:${prefix}${value}`);
}

function writeRated(days: number, ease: RatingKind): string {
  switch (ease.kind) {
    case 'answerButton':
      return `rated:${days}:${ease.button}`;
    case 'anyAnswerButton':
      return `rated:${days}`;
    case 'manualReschedule':
      return `resched:${days}`;
  }
}

function writeProperty(op: PropertyOperator, prop: PropertyKind): string {
  switch (prop.kind) {
    case 'due':
      return `prop:due${op}${prop.days}`;
    case 'interval':
      return `prop:ivl${op}${prop.days}`;
    case 'reps':
      return `prop:reps${op}${prop.count}`;
    case 'lapses':
      return `prop:lapses${op}${prop.count}`;
    case 'ease':
      return `prop:ease${op}${rustF32Display(prop.ease)}`;
    case 'position':
      return `prop:pos${op}${prop.pos}`;
    case 'stability':
      return `prop:s${op}${rustF32Display(prop.value)}`;
    case 'difficulty':
      return `prop:d${op}${rustF32Display(prop.value)}`;
    case 'retrievability':
      return `prop:r${op}${rustF32Display(prop.value)}`;
    case 'rated':
      switch (prop.ease.kind) {
        case 'answerButton':
          return `prop:rated${op}${prop.days}:${prop.ease.button}`;
        case 'anyAnswerButton':
          return `prop:rated${op}${prop.days}`;
        case 'manualReschedule':
          return `prop:resched${op}${prop.days}`;
      }
      break;
    case 'customDataNumber':
      return `prop:cdn:${prop.key}${op}${rustF32Display(prop.value)}`;
    case 'customDataString':
      return maybeQuote(`prop:cds:${prop.key}${op}${prop.value}`);
  }
  return '';
}
