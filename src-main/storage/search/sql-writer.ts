// Search AST → parameterised SQL for a cards or notes search, with Anki's semantics
// (shared/spec/anki-search.md §3–§7). All user text is bound as a parameter (`?`); only
// validated numbers and ids are written into the SQL text.
//
// Requires the connection to have the `unicase` collation (storage/unicase) and the search
// functions (./sql-functions) registered.
//
// The terms are written by text-terms, deck-terms, tag-terms and scheduling-terms; the sort order
// by sort-order.

import type { Node, SearchNode } from '../../search/ast';
import type { ReturnItemType, SearchContext, SortMode } from '../../search/context';
import { normalizeToNfc, toRe } from '../../search/wildcards';
import type { SearchCatalog } from './catalog';
import { writeDeck, writeDeckList, writePreset } from './deck-terms';
import { combineTables, nodeRequiredTable, type RequiredTable, sortRequiredTable } from './required-table';
import { previousDayCutoff, writeProp, writeRated, writeState } from './scheduling-terms';
import { orderClause } from './sort-order';
import { checkRegex, type SqlParam, type SqlTarget } from './sql-target';
import { writeNotetype, writeTag, writeTemplate } from './tag-terms';
import { writeDupe, writeField, writeRegex, writeUnqualified } from './text-terms';

export { combineTables, nodeRequiredTable, type RequiredTable, type SqlParam };

export interface SearchSql {
  /** The SELECT statement, returning one id column. */
  sql: string;
  /** Values for the `?` placeholders, in order. */
  params: SqlParam[];
  /** SQL to run first (creates the temporary `sort_order` table some sort orders use). */
  setupSql: string | null;
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

class SqlWriter implements SqlTarget {
  sql = '';
  private readonly params: SqlParam[] = [];
  private table: RequiredTable = 'cardsOrNotes';
  private readonly normalizeNoteText: boolean;
  private readonly ignoreAccents: boolean;

  constructor(
    private readonly itemType: ReturnItemType,
    readonly ctx: SearchContext,
    readonly catalog: SearchCatalog,
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
  bind(value: SqlParam): string {
    this.params.push(value);
    return '?';
  }

  /** Validate a Rust-syntax regex (so errors are SearchErrors, not SQL errors), then bind it. */
  bindRegex(pattern: string): string {
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
        writeUnqualified(this, this.normNote(node.text), this.ignoreAccents, false);
        break;
      case 'singleField':
        writeField(this, normalizeToNfc(node.field), this.normNote(node.text), node.mode);
        break;
      case 'duplicates':
        writeDupe(this, node.notetypeId, this.normNote(node.text));
        break;
      case 'regex':
        writeRegex(this, this.normNote(node.regex), false);
        break;
      case 'noCombining':
        writeUnqualified(this, this.normNote(node.text), true, false);
        break;
      case 'stripClozes':
        writeUnqualified(this, this.normNote(node.text), this.ignoreAccents, true);
        break;
      case 'wordBoundary':
        writeRegex(this, `\\b${toRe(this.normNote(node.text))}\\b`, this.ignoreAccents);
        break;
      case 'addedInDays':
        this.sql += `c.id > ${previousDayCutoff(this, node.days) * 1000n}`;
        break;
      case 'editedInDays':
        this.sql += `n.mod > ${previousDayCutoff(this, node.days)}`;
        break;
      case 'introducedInDays': {
        const cutoff = previousDayCutoff(this, node.days) * 1000n;
        this.sql +=
          `((SELECT coalesce(min(id) > ${cutoff}, false) FROM revlog WHERE cid = c.id AND ease != 0) ` +
          `AND c.id IN (SELECT cid FROM revlog WHERE id > ${cutoff}))`;
        break;
      }
      case 'cardTemplate':
        writeTemplate(this, node.template);
        break;
      case 'deck':
        writeDeck(this, normalizeToNfc(node.deck));
        break;
      case 'notetypeId':
        this.sql += `n.mid = ${node.id}`;
        break;
      case 'deckIdsWithoutChildren':
        // Anki writes this without the outer parentheses, so `-did:1` or `did:1 x` would bind
        // wrongly; we keep it a single term.
        writeDeckList(this, node.ids.split(',').map((id) => BigInt(id)));
        break;
      case 'deckIdWithChildren': {
        const ids = this.catalog.deckIdWithChildren(node.deckId);
        this.sql += ids ? `c.did in (${ids.join(',')})` : 'false';
        break;
      }
      case 'notetype':
        writeNotetype(this, normalizeToNfc(node.name));
        break;
      case 'rated':
        writeRated(this, '>', -BigInt(node.days), node.ease);
        break;
      case 'tag':
        writeTag(this, normalizeToNfc(node.tag), node.mode);
        break;
      case 'state':
        writeState(this, node.state);
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
        writeProp(this, node.operator, node.prop);
        break;
      case 'customData':
        this.sql += `extract_custom_data(c.data, ${this.bind(node.key)}) is not null`;
        break;
      case 'wholeCollection':
        this.sql += 'true';
        break;
      case 'preset':
        writePreset(this, node.name);
        break;
      case 'hasMemoryState':
        this.sql += "extract_fsrs_variable(c.data, 's') is not null";
        break;
    }
  }

}
