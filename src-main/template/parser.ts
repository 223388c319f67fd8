// Anki's card template language: lexer, parser, emptiness checks, legacy requirements, field
// references and renaming. Behaviour follows rslib/src/template.rs (Anki 26.x).

export type ParsedNode =
  | { type: 'text'; text: string }
  | { type: 'comment'; text: string }
  /** `filters` are in application order (rightmost first), as in `{{f2:f1:Field}}` → [f1, f2]. */
  | { type: 'replacement'; key: string; filters: string[] }
  | { type: 'conditional'; key: string; children: ParsedNode[] }
  | { type: 'negated'; key: string; children: ParsedNode[] };

export type TemplateErrorInfo =
  | { kind: 'NoClosingBrackets'; tag: string }
  | { kind: 'ConditionalNotClosed'; tag: string }
  | { kind: 'ConditionalNotOpen'; closed: string; currentlyOpen: string | null }
  /** `filters` is the written filter prefix including its trailing colon, e.g. `text:`. */
  | { kind: 'FieldNotFound'; field: string; filters: string }
  /** `condition` includes the sigil, e.g. `#Missing` or `^Missing`. */
  | { kind: 'NoSuchConditional'; condition: string };

export class TemplateError extends Error {
  constructor(readonly info: TemplateErrorInfo) {
    super(`template error: ${info.kind}`);
    this.name = 'TemplateError';
  }
}

const COMMENT_START = '<!--';
const COMMENT_END = '-->';
const ALT_HANDLEBAR_DIRECTIVE = '{{=<% %>=}}';

type Token =
  | { type: 'text'; text: string }
  | { type: 'comment'; text: string }
  | { type: 'replacement'; text: string }
  | { type: 'open'; text: string }
  | { type: 'negated'; text: string }
  | { type: 'close'; text: string };

const LEADING_WHITE_SPACE = /^[\p{White_Space}]+/u;
const WHITE_SPACE_BOTH = /^[\p{White_Space}]+|[\p{White_Space}]+$/gu;

function trimStart(s: string): string {
  return s.replace(LEADING_WHITE_SPACE, '');
}

function trim(s: string): string {
  return s.replace(WHITE_SPACE_BOTH, '');
}

/** Classify the text between the delimiters of a handlebar. */
function classifyHandle(inner: string): Token {
  let start = inner;
  let i = 0;
  while (i < start.length && start[i] === '{') i++;
  start = trim(start.slice(i));
  if (start.length < 2) return { type: 'replacement', text: start };
  switch (start[0]) {
    case '#':
      return { type: 'open', text: trimStart(start.slice(1)) };
    case '/':
      return { type: 'close', text: trimStart(start.slice(1)) };
    case '^':
      return { type: 'negated', text: trimStart(start.slice(1)) };
    default:
      return { type: 'replacement', text: start };
  }
}

function* tokens(template: string): Generator<Token> {
  let startTag = '{{';
  let endTag = '}}';
  let text = template;
  if (trimStart(text).startsWith(ALT_HANDLEBAR_DIRECTIVE)) {
    text = trimStart(text);
    while (text.startsWith(ALT_HANDLEBAR_DIRECTIVE)) text = text.slice(ALT_HANDLEBAR_DIRECTIVE.length);
    startTag = '<%';
    endTag = '%>';
  }

  let pos = 0;
  /** The next `open`…`close` pair from `pos`: where it starts and where its `close` is, or null. */
  const nextPair = (open: string, close: string): [number, number] | null => {
    const start = text.indexOf(open, pos);
    if (start === -1) return null;
    const end = text.indexOf(close, start + open.length);
    return end === -1 ? null : [start, end];
  };
  // Once no delimiter pair exists after some point, none exists after any later point either.
  let handlebarsPossible = true;
  let commentsPossible = true;
  while (pos < text.length) {
    const hb = handlebarsPossible ? nextPair(startTag, endTag) : null;
    if (!hb) handlebarsPossible = false;
    const cm = commentsPossible ? nextPair(COMMENT_START, COMMENT_END) : null;
    if (!cm) commentsPossible = false;
    const useHandlebar = hb !== null && (cm === null || hb[0] < cm[0]);
    const pair = useHandlebar ? hb : cm;
    if (!pair) {
      yield { type: 'text', text: text.slice(pos) };
      return;
    }
    const [start, end] = pair;
    if (start > pos) yield { type: 'text', text: text.slice(pos, start) };
    if (useHandlebar) {
      yield classifyHandle(text.slice(start + startTag.length, end));
      pos = end + endTag.length;
    } else {
      yield { type: 'comment', text: text.slice(start + COMMENT_START.length, end) };
      pos = end + COMMENT_END.length;
    }
  }
}

function parseInner(iter: Iterator<Token>, openTag: string | null): ParsedNode[] {
  const nodes: ParsedNode[] = [];
  for (let next = iter.next(); !next.done; next = iter.next()) {
    const token = next.value;
    switch (token.type) {
      case 'text':
        nodes.push({ type: 'text', text: token.text });
        break;
      case 'comment':
        nodes.push({ type: 'comment', text: token.text });
        break;
      case 'replacement': {
        const parts = token.text.split(':').reverse();
        nodes.push({ type: 'replacement', key: parts[0], filters: parts.slice(1) });
        break;
      }
      case 'open':
        nodes.push({ type: 'conditional', key: token.text, children: parseInner(iter, token.text) });
        break;
      case 'negated':
        nodes.push({ type: 'negated', key: token.text, children: parseInner(iter, token.text) });
        break;
      case 'close':
        if (openTag !== null && openTag === token.text) return nodes;
        throw new TemplateError({ kind: 'ConditionalNotOpen', closed: token.text, currentlyOpen: openTag });
    }
  }
  if (openTag !== null) throw new TemplateError({ kind: 'ConditionalNotClosed', tag: openTag });
  return nodes;
}

/** Parse a template; throws TemplateError on unbalanced conditionals. */
export function parseTemplate(template: string): ParsedNode[] {
  return parseInner(tokens(template), null);
}

/** Parse, returning null instead of throwing (Anki's `parsed_question()` etc.). */
export function tryParseTemplate(template: string): ParsedNode[] | null {
  try {
    return parseTemplate(template);
  } catch (e) {
    if (e instanceof TemplateError) return null;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Emptiness

/** Anki's `field_is_empty`: only whitespace and `<br>`, `<br/>`, `<br />`, `<div>`, `</div>` (any case). */
const FIELD_EMPTY = /^(?:[\t\n\v\f\r ]|<\/?(?:br|div) ?\/?>)*$/iu;

export function fieldIsEmpty(text: string): boolean {
  return FIELD_EMPTY.test(text);
}

/** Names of the fields in the map whose values are not empty. */
export function nonemptyFields(fields: ReadonlyMap<string, string>): Set<string> {
  const out = new Set<string>();
  for (const [name, value] of fields) if (!fieldIsEmpty(value)) out.add(name);
  return out;
}

function templateIsEmpty(nonempty: ReadonlySet<string>, nodes: readonly ParsedNode[], checkNegated: boolean): boolean {
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
      case 'comment':
        break;
      case 'replacement':
        if (nonempty.has(node.key)) return false;
        break;
      case 'conditional':
        if (!nonempty.has(node.key)) continue;
        if (!templateIsEmpty(nonempty, node.children, checkNegated)) return false;
        break;
      case 'negated':
        if (checkNegated && nonempty.has(node.key)) continue;
        if (!templateIsEmpty(nonempty, node.children, checkNegated)) return false;
        break;
    }
  }
  return true;
}

/** True if the template would render something given these non-empty fields (card generation). */
export function rendersWithFields(nodes: readonly ParsedNode[], nonempty: ReadonlySet<string>): boolean {
  return !templateIsEmpty(nonempty, nodes, true);
}

/** Like rendersWithFields, but negated conditionals always resolve to their children (legacy reqs). */
export function rendersWithFieldsForReqs(nodes: readonly ParsedNode[], nonempty: ReadonlySet<string>): boolean {
  return !templateIsEmpty(nonempty, nodes, false);
}

// ---------------------------------------------------------------------------------------------
// Legacy field requirements (notetype config `reqs`)

export type FieldRequirements =
  | { kind: 'any'; ords: number[] }
  | { kind: 'all'; ords: number[] }
  | { kind: 'none' };

/**
 * Anki's `ParsedTemplate::requirements`: Any(ords) if some single field renders the template;
 * otherwise All(ords) of the fields that cannot be removed while still rendering; else None.
 * `fieldOrds` maps field name → ord. Returned ords are sorted.
 */
export function templateRequirements(nodes: readonly ParsedNode[], fieldOrds: ReadonlyMap<string, number>): FieldRequirements {
  const any: number[] = [];
  for (const [name, ord] of fieldOrds) {
    if (rendersWithFieldsForReqs(nodes, new Set([name]))) any.push(ord);
  }
  if (any.length > 0) return { kind: 'any', ords: [...new Set(any)].sort((a, b) => a - b) };

  const all = new Set<string>(fieldOrds.keys());
  const ords = new Set<number>(fieldOrds.values());
  for (const [name, ord] of fieldOrds) {
    all.delete(name);
    if (rendersWithFieldsForReqs(nodes, all)) ords.delete(ord);
    all.add(name);
  }
  if (ords.size > 0 && rendersWithFieldsForReqs(nodes, all)) {
    return { kind: 'all', ords: [...ords].sort((a, b) => a - b) };
  }
  return { kind: 'none' };
}

// ---------------------------------------------------------------------------------------------
// Field references, renaming, serialising

/** `c` followed by something Rust parses as a u32 (digits, optional leading `+`). */
export function isClozeConditional(key: string): boolean {
  const m = /^c\+?([0-9]+)$/.exec(key);
  return m !== null && Number(m[1]) <= 0xffffffff;
}

function findFieldReferences(nodes: readonly ParsedNode[], out: Set<string>, clozeOnly: boolean, withConditionals: boolean): void {
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
      case 'comment':
        break;
      case 'replacement':
        if (!clozeOnly || node.filters.includes('cloze')) out.add(node.key);
        break;
      case 'conditional':
      case 'negated':
        if (withConditionals && !isClozeConditional(node.key)) out.add(node.key);
        findFieldReferences(node.children, out, clozeOnly, withConditionals);
        break;
    }
  }
}

/** Every field name referenced by replacements and conditionals (except `cN`); may be invalid names. */
export function allReferencedFieldNames(nodes: readonly ParsedNode[]): Set<string> {
  const out = new Set<string>();
  findFieldReferences(nodes, out, false, true);
  return out;
}

/** Field names used with the `cloze` filter. */
export function allReferencedClozeFieldNames(nodes: readonly ParsedNode[]): Set<string> {
  const out = new Set<string>();
  findFieldReferences(nodes, out, true, false);
  return out;
}

export function containsClozeReplacement(nodes: readonly ParsedNode[]): boolean {
  return allReferencedClozeFieldNames(nodes).size > 0;
}

export function containsFieldReplacement(nodes: readonly ParsedNode[]): boolean {
  const out = new Set<string>();
  findFieldReferences(nodes, out, false, false);
  return out.size > 0;
}

/**
 * Anki's `rename_and_remove_fields`: `changes` maps an old name to a new name, or to null to
 * delete it. Deleted replacements vanish; deleted conditionals are replaced by their children.
 */
export function renameAndRemoveFields(nodes: readonly ParsedNode[], changes: ReadonlyMap<string, string | null>): ParsedNode[] {
  const out: ParsedNode[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
      case 'comment':
        out.push(node);
        break;
      case 'replacement': {
        const change = changes.get(node.key);
        if (change === undefined) out.push(node);
        else if (change !== null) out.push({ ...node, key: change });
        break;
      }
      case 'conditional':
      case 'negated': {
        const children = renameAndRemoveFields(node.children, changes);
        const change = changes.get(node.key);
        if (change === undefined) out.push({ ...node, children });
        else if (change === null) out.push(...children);
        else out.push({ ...node, key: change, children });
        break;
      }
    }
  }
  return out;
}

/** Serialise parsed nodes back to template text (Anki's `template_to_string`). */
export function templateToString(nodes: readonly ParsedNode[]): string {
  let buf = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        buf += node.text;
        break;
      case 'comment':
        buf += COMMENT_START + node.text + COMMENT_END;
        break;
      case 'replacement':
        buf += '{{' + [...node.filters].reverse().concat(node.key).join(':') + '}}';
        break;
      case 'conditional':
        buf += `{{#${node.key}}}` + templateToString(node.children) + `{{/${node.key}}}`;
        break;
      case 'negated':
        buf += `{{^${node.key}}}` + templateToString(node.children) + `{{/${node.key}}}`;
        break;
    }
  }
  return buf;
}
