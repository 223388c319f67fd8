// Search AST → parameterised SQL for a cards or notes search, with Anki's semantics
// (shared/spec/anki-search.md §3–§7). All user text is bound as a parameter (`?`); only
// validated numbers and ids are written into the SQL text.
//
// Requires the connection to have the `unicase` collation (storage/unicase) and the search
// functions (./sql-functions) registered.

import type { FieldSearchMode, Node, PropertyKind, PropertyOperator, RatingKind, SearchNode, StateKind, TemplateKind } from '../../search/ast';
import {
  DEFAULT_LEARN_AHEAD_SECS,
  type ReturnItemType,
  type SearchContext,
  type SortColumn,
  type SortMode,
} from '../../search/context';
import { compileRustRegex, type RustRegex, RustRegexError } from '../../search/rust-regex';
import { rustF32Display } from '../../search/number-format';
import { SearchError } from '../../search/search-error';
import {
  isGlob,
  normalizeToNfc,
  regexEscape,
  toCustomRe,
  toRe,
  toSql,
  toText,
  withoutCombining,
} from '../../search/wildcards';
import { checksumOfStrippedText } from '../../text/checksum';
import { stripHtmlPreservingMediaFilenames } from '../../text/html';
import type { SearchCatalog, SearchNotetype } from './catalog';
import { ProcessTextFlags } from './sql-functions';

export type SqlParam = string | number | bigint;

export interface SearchSql {
  /** The SELECT statement, returning one id column. */
  sql: string;
  /** Values for the `?` placeholders, in order. */
  params: SqlParam[];
  /** SQL to run first (creates the temporary `sort_order` table some sort orders use). */
  setupSql: string | null;
}

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

function sortRequiredTable(order: SortMode | undefined): RequiredTable {
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

/**
 * Build the SQL for a search. `node` is usually `{ type: 'group', nodes: parseSearch(text) }`.
 * Throws SearchError for an invalid regex or an unsortable column.
 */
export function buildSearchSql(
  node: Node,
  itemType: ReturnItemType,
  ctx: SearchContext,
  catalog: SearchCatalog,
  order: SortMode = { kind: 'none' },
): SearchSql {
  const writer = new SqlWriter(itemType, ctx, catalog);
  const table = combineTables(itemType, combineTables(sortRequiredTable(order), nodeRequiredTable(node)));
  const { sql, params } = writer.build(node, table);
  const { orderBy, setupSql } = orderClause(itemType, order, ctx);
  return { sql: orderBy ? `${sql} order by ${orderBy}` : sql, params, setupSql };
}

interface FieldRangeContext {
  ntid: number;
  totalFields: number;
  /** Half-open [start, end) ranges of field ords. */
  ranges: Array<[number, number]>;
}

/** Collapse a sorted list of ords into ranges; without `join` every ord is its own range. */
function collectRanges(ords: number[], join: boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const i of ords) {
    const last = out[out.length - 1];
    if (join && last && i === last[1]) last[1] = i + 1;
    else out.push([i, i + 1]);
  }
  return out;
}

/** Deck name component normalisation, as Anki's `NativeDeckName::from_human_name`. */
function normalizeDeckComponent(comp: string): string {
  // eslint-disable-next-line no-control-regex -- Anki drops ASCII control characters
  let out = normalizeToNfc(comp).replace(/[\x00-\x1f\x7f]/g, '');
  out = out.replace(/^[\p{White_Space}:]+|[\p{White_Space}:]+$/gu, '');
  return out === '' ? 'blank' : out;
}

class SqlWriter {
  private sql = '';
  private readonly params: SqlParam[] = [];
  private table: RequiredTable = 'cardsOrNotes';
  private readonly normalizeNoteText: boolean;
  private readonly ignoreAccents: boolean;

  constructor(
    private readonly itemType: ReturnItemType,
    private readonly ctx: SearchContext,
    private readonly catalog: SearchCatalog,
  ) {
    this.normalizeNoteText = ctx.normalizeNoteText ?? true;
    this.ignoreAccents = ctx.ignoreAccentsInSearch ?? false;
  }

  build(node: Node, table: RequiredTable): { sql: string; params: SqlParam[] } {
    this.table = table;
    this.writeTablePrefix();
    this.writeNode(node);
    return { sql: this.sql, params: this.params };
  }

  private writeTablePrefix(): void {
    switch (this.table) {
      case 'cards':
        this.sql += 'select c.id from cards c where ';
        break;
      case 'notes':
        this.sql += 'select n.id from notes n where ';
        break;
      default:
        this.sql +=
          this.itemType === 'cards'
            ? 'select c.id from cards c, notes n where c.nid=n.id and '
            : 'select distinct n.id from cards c, notes n where c.nid=n.id and ';
    }
  }

  private noteIdColumn(): string {
    return this.table === 'cards' ? 'c.nid' : 'n.id';
  }

  /** Bind a value; returns the placeholder. */
  private bind(value: SqlParam): string {
    this.params.push(value);
    return '?';
  }

  /** Validate a Rust-syntax regex (so errors are SearchErrors, not SQL errors), then bind it. */
  private bindRegex(pattern: string): string {
    checkRegex(pattern);
    return this.bind(pattern);
  }

  private normNote(text: string): string {
    return this.normalizeNoteText ? normalizeToNfc(text) : text;
  }

  private writeNode(node: Node): void {
    switch (node.type) {
      case 'and':
        this.sql += ' and ';
        break;
      case 'or':
        this.sql += ' or ';
        break;
      case 'not':
        this.sql += 'not ';
        this.writeNode(node.node);
        break;
      case 'group':
        this.sql += '(';
        for (const n of node.nodes) this.writeNode(n);
        this.sql += ')';
        break;
      case 'search':
        this.writeSearch(node.search);
        break;
    }
  }

  // Every search term writes either a single SQL term or a parenthesised expression, so that
  // the AND/OR/NOT structure of the node list carries over unchanged.
  private writeSearch(node: SearchNode): void {
    switch (node.kind) {
      case 'unqualifiedText':
        this.writeUnqualified(this.normNote(node.text), this.ignoreAccents, false);
        break;
      case 'singleField':
        this.writeField(normalizeToNfc(node.field), this.normNote(node.text), node.mode);
        break;
      case 'duplicates':
        this.writeDupe(node.notetypeId, this.normNote(node.text));
        break;
      case 'regex':
        this.writeRegex(this.normNote(node.regex), false);
        break;
      case 'noCombining':
        this.writeUnqualified(this.normNote(node.text), true, false);
        break;
      case 'stripClozes':
        this.writeUnqualified(this.normNote(node.text), this.ignoreAccents, true);
        break;
      case 'wordBoundary':
        this.writeRegex(`\\b${toRe(this.normNote(node.text))}\\b`, this.ignoreAccents);
        break;
      case 'addedInDays':
        this.sql += `c.id > ${this.previousDayCutoff(node.days) * 1000n}`;
        break;
      case 'editedInDays':
        this.sql += `n.mod > ${this.previousDayCutoff(node.days)}`;
        break;
      case 'introducedInDays': {
        const cutoff = this.previousDayCutoff(node.days) * 1000n;
        this.sql +=
          `((SELECT coalesce(min(id) > ${cutoff}, false) FROM revlog WHERE cid = c.id AND ease != 0) ` +
          `AND c.id IN (SELECT cid FROM revlog WHERE id > ${cutoff}))`;
        break;
      }
      case 'cardTemplate':
        this.writeTemplate(node.template);
        break;
      case 'deck':
        this.writeDeck(normalizeToNfc(node.deck));
        break;
      case 'notetypeId':
        this.sql += `n.mid = ${node.id}`;
        break;
      case 'deckIdsWithoutChildren':
        // Anki writes this without the outer parentheses, so `-did:1` or `did:1 x` would bind
        // wrongly; we keep it a single term.
        this.writeDeckList(node.ids.split(',').map((id) => BigInt(id)));
        break;
      case 'deckIdWithChildren': {
        const ids = this.catalog.deckIdWithChildren(node.deckId);
        this.sql += ids ? `c.did in (${ids.join(',')})` : 'false';
        break;
      }
      case 'notetype':
        this.writeNotetype(normalizeToNfc(node.name));
        break;
      case 'rated':
        this.writeRated('>', -BigInt(node.days), node.ease);
        break;
      case 'tag':
        this.writeTag(normalizeToNfc(node.tag), node.mode);
        break;
      case 'state':
        this.writeState(node.state);
        break;
      case 'flag':
        this.sql += `(c.flags & 7) == ${node.flag}`;
        break;
      case 'noteIds':
        this.sql += `${this.noteIdColumn()} in (${node.ids})`;
        break;
      case 'cardIds':
        this.sql += `c.id in (${node.ids})`;
        break;
      case 'property':
        this.writeProp(node.operator, node.prop);
        break;
      case 'customData':
        this.sql += `extract_custom_data(c.data, ${this.bind(node.key)}) is not null`;
        break;
      case 'wholeCollection':
        this.sql += 'true';
        break;
      case 'preset':
        this.writePreset(node.name);
        break;
      case 'hasMemoryState':
        this.sql += "extract_fsrs_variable(c.data, 's') is not null";
        break;
    }
  }

  // ---- text -------------------------------------------------------------------------------

  private writeUnqualified(text: string, noCombining: boolean, stripClozes: boolean): void {
    let like = toSql(text);
    if (noCombining) like = withoutCombining(like);
    like = `%${like}%`;

    let bits = 0;
    if (noCombining) bits |= ProcessTextFlags.NoCombining;
    if (stripClozes) bits |= ProcessTextFlags.StripClozes;
    const sfldExpr = bits ? `coalesce(process_text(cast(n.sfld as text), ${bits}), n.sfld)` : 'n.sfld';
    const fldsExpr = bits ? `coalesce(process_text(n.flds, ${bits}), n.flds)` : 'n.flds';

    let clozeClause: string | null = null;
    if (stripClozes) {
      const ids = this.catalog.notetypes().filter((nt) => nt.isCloze).map((nt) => nt.id);
      if (ids.length === 0) {
        // no cloze notetypes (Anki would write invalid SQL here)
        this.sql += 'false';
        return;
      }
      clozeClause = `(${ids.map((id) => `n.mid = ${id}`).join(' or ')})`;
    }

    let body: string;
    const included = this.includedFieldsByNotetype();
    if (included) {
      const clauses = included.map((ctx) => {
        const parts = ctx.ranges.map((range) => `${fldsExpr} like ${this.fieldPattern(ctx.totalFields, range, like)} escape '\\'`);
        if (!ctx.sortFieldExcluded) parts.push(`${sfldExpr} like ${this.bind(like)} escape '\\'`);
        return `(n.mid = ${ctx.ntid} and (${parts.join(' or ')}))`;
      });
      body = clauses.length > 0 ? `(${clauses.join(' or ')})` : 'false';
    } else {
      body = `(${sfldExpr} like ${this.bind(like)} escape '\\' or ${fldsExpr} like ${this.bind(like)} escape '\\')`;
    }
    // Anki writes "(cloze ids) and (…)" without outer parentheses; we keep it one term.
    this.sql += clozeClause ? `(${clozeClause} and ${body})` : body;
  }

  /**
   * A LIKE pattern over the whole `\x1f`-joined field list in which the fields of `range` are
   * the bound value and every other field is `%`.
   */
  private fieldPattern(totalFields: number, range: [number, number], value: string): string {
    const slots: string[] = [];
    for (let i = 0; i < totalFields; i++) {
      if (i === range[0]) slots.push("' || ? || '");
      else if (i > range[0] && i < range[1]) continue;
      else slots.push('%');
    }
    this.bind(value);
    return `'${slots.join('\x1f')}'`;
  }

  private includedFieldsByNotetype():
    | Array<FieldRangeContext & { sortFieldExcluded: boolean }>
    | null {
    let anyExcluded = false;
    const out: Array<FieldRangeContext & { sortFieldExcluded: boolean }> = [];
    for (const nt of this.catalog.notetypes()) {
      let sortFieldExcluded = false;
      const ords: number[] = [];
      for (const f of nt.fields) {
        if (f.excludeFromSearch) {
          anyExcluded = true;
          if (f.ord === nt.sortFieldIdx) sortFieldExcluded = true;
        } else {
          ords.push(f.ord);
        }
      }
      const ranges = collectRanges(ords, true);
      if (ranges.length > 0) {
        out.push({ ntid: nt.id, totalFields: nt.fields.length, ranges, sortFieldExcluded });
      }
    }
    return anyExcluded ? out : null;
  }

  private writeRegex(word: string, noCombining: boolean): void {
    const fldsExpr = noCombining ? `coalesce(process_text(n.flds, ${ProcessTextFlags.NoCombining}), n.flds)` : 'n.flds';
    const pattern = `(?i)${noCombining ? withoutCombining(word) : word}`;
    checkRegex(pattern);

    let anyExcluded = false;
    const perNotetype: Array<{ ntid: number; total: number; ords: number[] }> = [];
    for (const nt of this.catalog.notetypes()) {
      const ords: number[] = [];
      for (const f of nt.fields) {
        if (f.excludeFromSearch) anyExcluded = true;
        else ords.push(f.ord);
      }
      perNotetype.push({ ntid: nt.id, total: nt.fields.length, ords });
    }
    if (!anyExcluded) {
      this.sql += `${fldsExpr} regexp ${this.bind(pattern)}`;
      return;
    }
    const clauses = perNotetype.map(({ ntid, total, ords }) => {
      let clause: string;
      if (ords.length === total) clause = `${fldsExpr} regexp ${this.bind(pattern)}`;
      else if (ords.length === 0) clause = 'false';
      else clause = `regexp_fields(${this.bind(pattern)}, ${fldsExpr}, ${ords.join(',')})`;
      return `(n.mid = ${ntid} and ${clause})`;
    });
    this.sql += clauses.length > 0 ? `(${clauses.join(' or ')})` : 'false';
  }

  // ---- fields -----------------------------------------------------------------------------

  private fieldMatcher(fieldName: string): (name: string) => boolean {
    if (isGlob(fieldName)) {
      const re = compileRustRegex(`^(?i)${toRe(fieldName)}$`);
      return (name) => re.test(name);
    }
    const text = toText(fieldName);
    return (name) => this.catalog.namesEqual(name, text);
  }

  private matchingFields(fieldName: string): Array<{ nt: SearchNotetype; ords: number[] }> {
    const matches = this.fieldMatcher(fieldName);
    const out: Array<{ nt: SearchNotetype; ords: number[] }> = [];
    for (const nt of this.catalog.notetypes()) {
      const ords = nt.fields.filter((f) => matches(f.name)).map((f) => f.ord);
      if (ords.length > 0) out.push({ nt, ords });
    }
    return out;
  }

  private writeField(fieldName: string, val: string, mode: FieldSearchMode): void {
    if (fieldName === '*' || fieldName === '_*' || fieldName === '*_') {
      if (mode === 'regex') {
        this.sql += `regexp_fields(${this.bindRegex(`(?i)${val}`)}, n.flds)`;
      } else {
        this.sql += `regexp_fields(${this.bindRegex(`(?is)^${toRe(val)}$`)}, n.flds)`;
      }
      return;
    }
    if (mode === 'regex') {
      const matches = this.matchingFields(fieldName);
      if (matches.length === 0) {
        this.sql += 'false';
        return;
      }
      const pattern = `(?i)${val}`;
      checkRegex(pattern);
      const clauses = matches.map(
        ({ nt, ords }) => `(n.mid = ${nt.id} and regexp_fields(${this.bind(pattern)}, n.flds, ${ords.join(', ')}))`,
      );
      this.sql += `(${clauses.join(' or ')})`;
      return;
    }
    const testForNonEmpty = val === '*' || val === '_*' || val === '*_';
    const matches = this.matchingFields(fieldName);
    if (matches.length === 0) {
      this.sql += 'false';
      return;
    }
    let like = toSql(val);
    let fldsExpr = 'n.flds';
    if (mode === 'noCombining') {
      like = withoutCombining(like);
      fldsExpr = `coalesce(process_text(n.flds, ${ProcessTextFlags.NoCombining}), n.flds)`;
    }
    const clauses = matches.map(({ nt, ords }) => {
      const ranges = collectRanges(ords, !testForNonEmpty);
      const parts = ranges.map(
        (range) => `${fldsExpr} like ${this.fieldPattern(nt.fields.length, range, like)} escape '\\'`,
      );
      return `(n.mid = ${nt.id} and (${parts.join(' or ')}))`;
    });
    this.sql += `(${clauses.join(' or ')})`;
  }

  private writeDupe(notetypeId: string, text: string): void {
    const stripped = stripHtmlPreservingMediaFilenames(text);
    const csum = checksumOfStrippedText(stripped);
    const ids = this.catalog
      .notesWithChecksum(notetypeId, csum)
      .filter((n) => stripHtmlPreservingMediaFilenames(n.firstField) === stripped)
      .map((n) => n.id);
    this.sql += `n.id in (${ids.join(',')})`;
  }

  // ---- decks, notetypes, templates, tags --------------------------------------------------

  private writeDeck(deck: string): void {
    if (deck === '*') {
      this.sql += 'true';
      return;
    }
    if (deck === 'filtered') {
      this.sql += 'c.odid != 0';
      return;
    }
    let native: string;
    if (deck === 'current') {
      const current = this.catalog.decks().find((d) => d.id === this.ctx.currentDeckId);
      native = regexEscape(current?.name ?? 'Default');
    } else {
      native = toRe(deck).split('::').map(normalizeDeckComponent).join('\x1f');
    }
    // the deck and its children (a match on the name or on a "name\x1f…" prefix)
    const re = compileChecked(`(?i)^${native}($|\x1f)`);
    const ids = this.catalog
      .decks()
      .filter((d) => re.test(d.name))
      .map((d) => d.id)
      .sort((a, b) => a - b);
    if (ids.length === 0) {
      this.sql += 'false';
      return;
    }
    this.writeDeckList(ids);
  }

  /**
   * Cards in these decks, or in a filtered deck with one of them as home deck:
   * `(c.did in (…) or (c.odid != 0 and c.odid in (…)))`. When no card has one of the decks as
   * its home deck the second half cannot match and is left out, so SQLite can use
   * ix_cards_sched directly instead of a slower multi-index OR.
   */
  private writeDeckList(ids: ReadonlyArray<number | bigint>): void {
    const list = ids.join(',');
    const safe = ids.filter((id) => typeof id === 'number' || (id >= -(2n ** 53n) && id <= 2n ** 53n)).map(Number);
    if (safe.length === ids.length && !this.catalog.anyCardWithOriginalDeck(safe)) {
      this.sql += `c.did in (${list})`;
      return;
    }
    this.sql += `(c.did in (${list}) or (c.odid != 0 and c.odid in (${list})))`;
  }

  private writePreset(name: string): void {
    const dcid = this.catalog.deckConfigIdByName(name);
    if (dcid === undefined) {
      this.sql += 'false';
      return;
    }
    const ids = this.catalog
      .decks()
      .filter((d) => d.configId === dcid)
      .map((d) => d.id);
    if (ids.length === 0) {
      this.sql += 'false';
      return;
    }
    // Anki: `(c.did in (ids) or c.odid in (ids))`; deck ids are never 0, so adding `c.odid != 0`
    // changes nothing and lets SQLite use the partial index on odid.
    this.writeDeckList(ids);
  }

  private writeTemplate(template: TemplateKind): void {
    if (template.kind === 'ordinal') {
      this.sql += `c.ord = ${template.ord}`;
      return;
    }
    const name = normalizeToNfc(template.name);
    if (isGlob(name)) {
      this.sql += `(n.mid,c.ord) in (select ntid,ord from templates where name regexp ${this.bindRegex(`(?i)^${toRe(name)}$`)})`;
    } else {
      this.sql += `(n.mid,c.ord) in (select ntid,ord from templates where name = ${this.bind(toText(name))})`;
    }
  }

  private writeNotetype(name: string): void {
    if (isGlob(name)) {
      this.sql += `n.mid in (select id from notetypes where name regexp ${this.bindRegex(`(?i)^${toRe(name)}$`)})`;
    } else {
      this.sql += `n.mid in (select id from notetypes where name = ${this.bind(toText(name))})`;
    }
  }

  private writeTag(tag: string, mode: FieldSearchMode): void {
    if (mode === 'regex') {
      this.sql += `regexp_tags(${this.bindRegex(`(?i)${tag}`)}, n.tags)`;
      return;
    }
    if (tag === 'none') {
      this.sql += "n.tags = ''";
      return;
    }
    if (tag === '*') {
      this.sql += 'true';
      return;
    }
    if (tag.includes(' ')) {
      this.sql += 'false';
      return;
    }
    if (mode === 'noCombining') {
      const text = withoutCombining(tag);
      const re = `(?i).* ${toCustomRe(text, '\\S')}(::| ).*`;
      this.sql += `coalesce(process_text(n.tags, ${ProcessTextFlags.NoCombining}), n.tags) regexp ${this.bindRegex(re)}`;
      return;
    }
    const re = `(?i).* ${toCustomRe(tag, '\\S')}(::| ).*`;
    checkRegex(re);
    // Anki runs the regex on every note; we narrow it down with LIKE first (see tagLikeFilter).
    const oddCaseRows = "(instr(n.tags, '\u212a') > 0 or instr(n.tags, '\u017f') > 0)";
    if (!isGlob(tag)) {
      const f = tagLikeFilter(toText(tag));
      const like = `n.tags like ${this.bind(`% ${f.core} %`)} escape '\\' or n.tags like ${this.bind(`% ${f.core}::%`)} escape '\\'`;
      if (f.kind === 'exact') this.sql += `(${like})`;
      else if (f.kind === 'oddCase') this.sql += `(${like} or (${oddCaseRows} and n.tags regexp ${this.bind(re)}))`;
      else this.sql += `((${like}) and n.tags regexp ${this.bind(re)})`;
      return;
    }
    // a glob: the text before the first wildcard must follow a space
    const prefix = toText(tag.slice(0, firstWildcard(tag)));
    if (prefix === '') {
      this.sql += `n.tags regexp ${this.bind(re)}`;
      return;
    }
    const f = tagLikeFilter(prefix);
    const like = `n.tags like ${this.bind(`% ${f.core}%`)} escape '\\'`;
    const filter = f.kind === 'oddCase' ? `(${like} or ${oddCaseRows})` : like;
    this.sql += `(${filter} and n.tags regexp ${this.bind(re)})`;
  }

  // ---- scheduling -------------------------------------------------------------------------

  private previousDayCutoff(days: number): bigint {
    return BigInt(this.ctx.dayCutoff) - 86_400n * BigInt(days);
  }

  private writeRated(op: PropertyOperator, days: bigint, ease: RatingKind): void {
    const cutoff = BigInt(this.ctx.dayCutoff);
    const target = (cutoff + 86_400n * days) * 1000n;
    const dayBefore = (cutoff + 86_400n * (days - 1n)) * 1000n;
    let cond: string;
    switch (op) {
      case '>':
        cond = ` >= ${target}`;
        break;
      case '>=':
        cond = ` >= ${dayBefore}`;
        break;
      case '<':
        cond = ` < ${dayBefore}`;
        break;
      case '<=':
        cond = ` < ${target}`;
        break;
      case '=':
        cond = ` between ${dayBefore} and ${target - 1n}`;
        break;
      case '!=':
        cond = ` not between ${dayBefore} and ${target - 1n}`;
        break;
    }
    let easeCond: string;
    switch (ease.kind) {
      case 'answerButton':
        easeCond = ` and ease = ${ease.button})`;
        break;
      case 'anyAnswerButton':
        easeCond = ' and ease > 0)';
        break;
      case 'manualReschedule':
        easeCond = ' and ease = 0)';
        break;
    }
    this.sql += `c.id in (select cid from revlog where id${cond}${easeCond}`;
  }

  private writeState(state: StateKind): void {
    switch (state) {
      case 'new':
        this.sql += 'c.type = 0';
        break;
      case 'review':
        this.sql += 'c.type in (2, 3)';
        break;
      case 'learn':
        this.sql += 'c.type in (1, 3)';
        break;
      case 'buried':
        this.sql += 'c.queue in (-2,-3)';
        break;
      case 'suspended':
        this.sql += 'c.queue = -1';
        break;
      case 'due': {
        const learnCutoff = Math.trunc(this.ctx.nowSecs) + (this.ctx.learnAheadSecs ?? DEFAULT_LEARN_AHEAD_SECS);
        this.sql +=
          `((c.queue in (2,3) and c.due <= ${this.ctx.today}) or ` +
          `(c.queue in (1,4) and c.due <= ${learnCutoff}))`;
        break;
      }
      case 'buried-manually':
        this.sql += 'c.queue = -3';
        break;
      case 'buried-sibling':
        this.sql += 'c.queue = -2';
        break;
    }
  }

  private writeProp(op: PropertyOperator, prop: PropertyKind): void {
    const { today, dayCutoff, nowSecs } = this.ctx;
    const dueExpr = '(case when c.odue != 0 then c.odue else c.due end)';
    switch (prop.kind) {
      case 'due': {
        const day = (prop.days + today) | 0;
        this.sql +=
          `((c.queue in (2,3) and ${dueExpr} ${op} ${day}) or ` +
          `(c.queue in (1,4) and ((${dueExpr} - ${dayCutoff}) / 86400) ${op} ${prop.days}))`;
        break;
      }
      case 'position':
        this.sql += `(c.type = 0 and ${dueExpr} ${op} ${prop.pos})`;
        break;
      case 'interval':
        this.sql += `ivl ${op} ${prop.days}`;
        break;
      case 'reps':
        this.sql += `reps ${op} ${prop.count}`;
        break;
      case 'lapses':
        this.sql += `lapses ${op} ${prop.count}`;
        break;
      case 'ease':
        this.sql += `factor ${op} ${f32ToU32(Math.fround(Math.fround(prop.ease) * 1000))}`;
        break;
      case 'rated':
        this.writeRated(op, BigInt(prop.days), prop.ease);
        break;
      case 'customDataNumber':
        this.sql += `cast(extract_custom_data(c.data, ${this.bind(prop.key)}) as float) ${op} ${sqlF32(prop.value)}`;
        break;
      case 'customDataString':
        this.sql += `extract_custom_data(c.data, ${this.bind(prop.key)}) ${op} ${this.bind(prop.value)}`;
        break;
      case 'stability':
        this.sql += `extract_fsrs_variable(c.data, 's') ${op} ${sqlF32(prop.value)}`;
        break;
      case 'difficulty': {
        const d = Math.fround(Math.fround(Math.fround(prop.value) * 9) + 1);
        this.sql += `extract_fsrs_variable(c.data, 'd') ${op} ${sqlF32(d)}`;
        break;
      }
      case 'retrievability':
        this.sql +=
          `case when c.type = 0 then false else (extract_fsrs_retrievability(c.data, ` +
          `case when c.odue !=0 then c.odue else c.due end, c.ivl, ${today}, ${dayCutoff}, ${Math.trunc(nowSecs)})` +
          ` ${op} ${sqlF32(prop.value)}) end`;
        break;
    }
  }
}

// ---- helpers ------------------------------------------------------------------------------

function checkRegex(pattern: string): void {
  compileChecked(pattern);
}

function compileChecked(pattern: string): RustRegex {
  try {
    return compileRustRegex(pattern);
  } catch (e) {
    if (e instanceof RustRegexError) {
      throw new SearchError({ kind: 'InvalidRegex', provided: pattern, reason: e.message });
    }
    throw e;
  }
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&');
}

/**
 * A LIKE pattern core for tag text, compared with what Anki's case-insensitive (Unicode simple
 * case folding) tag regex accepts:
 * - `exact`: the text has no letters whose case variants LIKE misses, so LIKE (ASCII case-
 *   insensitive) matches exactly the same notes as the regex;
 * - `oddCase`: as exact, except that `k` / `s` also match U+212A (Kelvin sign) / U+017F (long s)
 *   under Unicode folding, so rows holding one of those still need the regex;
 * - `superset`: the text has non-ASCII letters with case variants; each of them (and k/s) is a
 *   one-character wildcard `_` in the core, so LIKE only pre-filters and the regex decides.
 */
function tagLikeFilter(text: string): { core: string; kind: 'exact' | 'oddCase' | 'superset' } {
  const chars = Array.from(text);
  const cased = (c: string) => c.toLowerCase() !== c || c.toUpperCase() !== c;
  const superset = chars.some((c) => c.charCodeAt(0) > 0x7f && cased(c));
  const oddCase = chars.some((c) => /[ks]/i.test(c));
  const core = chars
    .map((c) => (superset && (/[ks]/i.test(c) || (c.charCodeAt(0) > 0x7f && cased(c))) ? '_' : likeEscape(c)))
    .join('');
  return { core, kind: superset ? 'superset' : oddCase ? 'oddCase' : 'exact' };
}

/** Index of the first unescaped `*` or `_`. */
function firstWildcard(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] === '*' || s[i] === '_') return i;
  }
  return s.length;
}

/** Rust `f32 as u32`: truncate and saturate, NaN → 0. */
function f32ToU32(v: number): number {
  if (Number.isNaN(v) || v <= 0) return 0;
  if (v >= 4294967295) return 4294967295;
  return Math.trunc(v);
}

/** An f32 literal for SQL: Rust's Display, except non-finite values (Anki writes invalid SQL). */
function sqlF32(v: number): string {
  const x = Math.fround(v);
  if (Number.isNaN(x)) return 'null';
  if (x === Infinity) return '9e999';
  if (x === -Infinity) return '-9e999';
  return rustF32Display(x);
}

// ---- sort orders --------------------------------------------------------------------------

const SORT_ORDER_DDL = {
  nid: 'DROP TABLE IF EXISTS sort_order; CREATE TEMPORARY TABLE sort_order (pos integer PRIMARY KEY, nid integer NOT NULL UNIQUE);',
  did: 'DROP TABLE IF EXISTS sort_order; CREATE TEMPORARY TABLE sort_order (pos integer PRIMARY KEY, did integer NOT NULL UNIQUE);',
  ntid: 'DROP TABLE IF EXISTS sort_order; CREATE TEMPORARY TABLE sort_order (pos integer PRIMARY KEY, ntid integer NOT NULL UNIQUE);',
  template:
    'DROP TABLE IF EXISTS sort_order; CREATE TEMPORARY TABLE sort_order (pos integer PRIMARY KEY, ntid integer NOT NULL, ord integer NOT NULL, UNIQUE(ntid, ord));',
};

function dueSortExpr(ctx: SearchContext, upper: boolean): string {
  const now = Math.trunc(ctx.nowSecs);
  return upper
    ? `CASE WHEN due > 1000000000 OR type = 0 THEN due ELSE (due - ${ctx.today}) * 86400 + ${now} END`
    : `(case when c.due > 1000000000 or c.type = 0 then due else (due - ${ctx.today}) * 86400 + ${now} end)`;
}

/** ORDER BY clause for cards mode ('' = the column cannot be sorted). */
function cardOrder(column: SortColumn, ctx: SearchContext): string {
  switch (column) {
    case 'cardMod':
      return 'c.mod asc';
    case 'template':
      return (
        'coalesce((select pos from sort_order where ntid = n.mid and ord = c.ord),' +
        '(select pos from sort_order where ntid = n.mid and ord = 0)) asc, ord asc'
      );
    case 'deck':
      return '(select pos from sort_order where did = c.did) asc';
    case 'cardDue':
      return `${dueSortExpr(ctx, false)} asc`;
    case 'cardEase':
      return 'c.type = 0 asc, c.factor asc';
    case 'cardIvl':
      return 'c.ivl asc';
    case 'cardLapses':
      return 'c.lapses asc';
    case 'noteCrt':
      return 'n.id asc, c.ord asc';
    case 'noteMod':
      return 'n.mod asc, c.ord asc';
    case 'note':
      return '(select pos from sort_order where ntid = n.mid) asc';
    case 'originalPosition':
      return '(select pos from sort_order where nid = c.nid) asc';
    case 'cardReps':
      return 'c.reps asc';
    case 'noteFld':
      return 'n.sfld collate nocase asc, c.ord asc';
    case 'noteTags':
      return 'n.tags asc';
    case 'stability':
      return "extract_fsrs_variable(c.data, 's') asc";
    case 'difficulty':
      return "extract_fsrs_variable(c.data, 'd') asc";
    case 'retrievability':
      return (
        'extract_fsrs_retrievability(c.data, case when c.odue !=0 then c.odue else c.due end, c.ivl, ' +
        `${ctx.today}, ${ctx.dayCutoff}, ${Math.trunc(ctx.nowSecs)}) asc`
      );
    case 'question':
    case 'answer':
    case 'custom':
      return '';
  }
}

/** ORDER BY clause for notes mode ('' = the column cannot be sorted). */
function noteOrder(column: SortColumn): string {
  switch (column) {
    case 'cardMod':
    case 'template':
    case 'deck':
    case 'cardDue':
    case 'cardEase':
    case 'cardIvl':
    case 'cardLapses':
    case 'originalPosition':
    case 'cardReps':
      return '(select pos from sort_order where nid = n.id) asc';
    case 'noteCrt':
      return 'n.id asc';
    case 'noteMod':
      return 'n.mod asc';
    case 'note':
      return '(select pos from sort_order where ntid = n.mid) asc';
    case 'noteFld':
      return 'n.sfld collate nocase asc';
    case 'noteTags':
      return 'n.tags asc';
    default:
      return '';
  }
}

const NOTE_ORIGINAL_POSITION_SETUP =
  `${SORT_ORDER_DDL.nid} INSERT INTO sort_order (nid) SELECT nid FROM cards GROUP BY nid ` +
  'ORDER BY COALESCE(extract_original_position(data), CASE WHEN type == 0 THEN due ELSE 0 END);';
const NOTETYPE_SETUP = `${SORT_ORDER_DDL.ntid} INSERT INTO sort_order (ntid) SELECT id FROM notetypes ORDER BY name;`;

function sortSetup(column: SortColumn, itemType: ReturnItemType, ctx: SearchContext): string | null {
  if (itemType === 'cards') {
    switch (column) {
      case 'template':
        return `${SORT_ORDER_DDL.template} INSERT INTO sort_order (ntid, ord) SELECT ntid, ord FROM templates ORDER BY name;`;
      case 'deck':
        return `${SORT_ORDER_DDL.did} INSERT INTO sort_order (did) SELECT id FROM decks ORDER BY name;`;
      case 'note':
        return NOTETYPE_SETUP;
      case 'originalPosition':
        return NOTE_ORIGINAL_POSITION_SETUP;
      default:
        return null;
    }
  }
  const byNote = (tail: string) => `${SORT_ORDER_DDL.nid} INSERT INTO sort_order (nid) SELECT nid FROM cards ${tail};`;
  switch (column) {
    case 'template':
      return byNote('GROUP BY nid ORDER BY COUNT(*)');
    case 'cardMod':
      return byNote('GROUP BY nid ORDER BY MAX(mod)');
    case 'deck':
      return (
        `${SORT_ORDER_DDL.nid} INSERT INTO sort_order (nid) SELECT nid FROM cards JOIN ` +
        '(SELECT id, row_number() OVER(ORDER BY name) AS pos FROM decks) decks ON cards.did = decks.id ' +
        'GROUP BY nid ORDER BY COUNT(DISTINCT did), decks.pos;'
      );
    case 'cardDue':
      return byNote(
        `WHERE (odid = 0 AND type != 0 AND queue > 0) GROUP BY nid ORDER BY MIN(${dueSortExpr(ctx, true)})`,
      );
    case 'cardEase':
      return byNote('WHERE type != 0 GROUP BY nid ORDER BY AVG(factor)');
    case 'cardIvl':
      return byNote('WHERE type IN (2, 3) GROUP BY nid ORDER BY AVG(ivl)');
    case 'cardLapses':
      return byNote('GROUP BY nid ORDER BY SUM(lapses)');
    case 'originalPosition':
      return NOTE_ORIGINAL_POSITION_SETUP;
    case 'cardReps':
      return byNote('GROUP BY nid ORDER BY SUM(reps)');
    case 'note':
      return NOTETYPE_SETUP;
    default:
      return null;
  }
}

function orderClause(
  itemType: ReturnItemType,
  order: SortMode,
  ctx: SearchContext,
): { orderBy: string | null; setupSql: string | null } {
  if (order.kind === 'none') return { orderBy: null, setupSql: null };
  if (order.kind === 'custom') return { orderBy: order.orderBy, setupSql: null };
  const clause = itemType === 'cards' ? cardOrder(order.column, ctx) : noteOrder(order.column);
  if (clause === '') {
    throw new SearchError({
      kind: 'InvalidSort',
      info: `${itemType === 'cards' ? 'cards' : 'notes'} cannot be sorted by "${order.column}"`,
    });
  }
  const orderBy = order.reverse ? clause.toLowerCase().replaceAll(' desc', '').replaceAll(' asc', ' desc') : clause;
  return { orderBy, setupSql: sortSetup(order.column, itemType, ctx) };
}
