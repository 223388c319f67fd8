// ORDER BY clauses for the browser's sort columns, with the temporary `sort_order` table some of
// them fill first.

import type { ReturnItemType, SearchContext, SortColumn, SortMode } from '../../search/context';
import { SearchError } from '../../search/search-error';

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

export function orderClause(
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
