// SQL generation without a database: the cases of Anki's sqlwriter.rs tests (restated; Anki's
// numbered `?1` placeholders are plain `?` here, with the value repeated per use).

import { describe, expect, it } from 'vitest';

import { parseSearchToNode } from '../../search/parser';
import type { ReturnItemType, SearchContext, SortMode } from '../../search/context';
import { SearchError } from '../../search/search-error';
import { unicaseEquals } from '../unicase';
import type { SearchCatalog, SearchDeck, SearchNotetype } from './catalog';
import { rustF32Display } from '../../search/number-format';
import { buildSearchSql, nodeRequiredTable } from './sql-writer';

const BASIC = 1581236385344;
const OPTIONAL_REV = 1581236385345;
const BASIC_REV = 1581236385346;
const BASIC_TYPE = 1581236385347;
const CLOZE = 1581236385343;

function nt(id: number, name: string, fields: string[], extra: Partial<SearchNotetype> = {}): SearchNotetype {
  return {
    id,
    name,
    isCloze: false,
    sortFieldIdx: 0,
    fields: fields.map((f, ord) => ({ name: f, ord, excludeFromSearch: false })),
    ...extra,
  };
}

function catalog(
  opts: { notetypes?: SearchNotetype[]; decks?: SearchDeck[]; filteredCards?: boolean } = {},
): SearchCatalog {
  const notetypes = opts.notetypes ?? [
    nt(CLOZE, 'Cloze', ['Text', 'Back Extra'], { isCloze: true }),
    nt(BASIC, 'Basic', ['Front', 'Back']),
    nt(OPTIONAL_REV, 'Basic (optional reversed card)', ['Front', 'Back', 'Add Reverse']),
    nt(BASIC_REV, 'Basic (and reversed card)', ['Front', 'Back']),
    nt(BASIC_TYPE, 'Basic (type in the answer)', ['Front', 'Back']),
  ];
  const decks = opts.decks ?? [
    { id: 1, name: 'Default', configId: 1 },
    { id: 2, name: 'Languages', configId: 1 },
    { id: 3, name: 'Languages\x1fFrench', configId: 5 },
    { id: 4, name: 'French', configId: 1 },
    { id: 5, name: 'Filtered', configId: null },
  ];
  return {
    notetypes: () => notetypes,
    decks: () => decks,
    deckConfigIdByName: (name) => (unicaseEquals(name, 'Default') ? 1 : unicaseEquals(name, 'Fast') ? 5 : undefined),
    deckIdWithChildren: (id) => (id === 2 ? [2, 3] : undefined),
    anyCardWithOriginalDeck: () => opts.filteredCards ?? true,
    notesWithChecksum: () => [],
    namesEqual: unicaseEquals,
  };
}

const ctx: SearchContext = { today: 100, dayCutoff: 1_700_000_000, nowSecs: 1_699_990_000, currentDeckId: 1 };

/** Anki's test shortcut: cards search whose table is at least "notes", without the prefix. */
function s(search: string, cat: SearchCatalog = catalog(), c: SearchContext = ctx): [string, unknown[]] {
  const { sql, params } = buildSearchSql(parseSearchToNode(search), 'cards', c, cat);
  return [sql.replace(/^select .*? where (c\.nid=n\.id and )?/, ''), params];
}

function full(search: string, itemType: ReturnItemType = 'cards', order?: SortMode) {
  return buildSearchSql(parseSearchToNode(search), itemType, ctx, catalog(), order);
}

describe('sql writer: text and fields', () => {
  it('unqualified text', () => {
    expect(s('te*st')).toEqual([
      "((n.sfld like ? escape '\\' or n.flds like ? escape '\\'))",
      ['%te%st%', '%te%st%'],
    ]);
    expect(s('te%st')[1][0]).toBe('%te\\%st%');
    expect(s('te\\*s\\_t')[1][0]).toBe('%te*s\\_t%');
    expect(s('d_g')[1][0]).toBe('%d_g%');
  });

  it('field search', () => {
    expect(s('front:te*st')).toEqual([
      '(((n.mid = 1581236385344 and (n.flds like \'\' || ? || \'\x1f%\' escape \'\\\')) or ' +
        '(n.mid = 1581236385345 and (n.flds like \'\' || ? || \'\x1f%\x1f%\' escape \'\\\')) or ' +
        '(n.mid = 1581236385346 and (n.flds like \'\' || ? || \'\x1f%\' escape \'\\\')) or ' +
        '(n.mid = 1581236385347 and (n.flds like \'\' || ? || \'\x1f%\' escape \'\\\'))))',
      ['te%st', 'te%st', 'te%st', 'te%st'],
    ]);
    // a field that is not first: '%\x1f' || ? || ''
    expect(s('back:x')[0]).toContain("(n.mid = 1581236385344 and (n.flds like '%\x1f' || ? || '' escape '\\'))");
    expect(s('nosuchfield:x')[0]).toBe('(false)');
    // field names are case-insensitive
    expect(s('FRONT:x')[0]).toBe(s('front:x')[0]);
  });

  it('field search with a glob over several fields', () => {
    // "b*" matches Back only; "*a*" matches "Back" and "Add Reverse" (not contiguous in 3-field nt)
    const [sql] = s('*a*:x');
    expect(sql).toContain('(n.mid = 1581236385345 and (n.flds like \'%\x1f\' || ? || \'\' escape \'\\\'))');
    // contiguous fields collapse to a range: Front+Back of Basic -> "' || ? || '" alone
    expect(s('_*_:x')[0]).toContain("(n.mid = 1581236385344 and (n.flds like '' || ? || '' escape '\\'))");
    // a non-empty test checks each field separately
    expect(s('_*_:_*')[0]).toContain(
      "(n.mid = 1581236385344 and (n.flds like '' || ? || '\x1f%' escape '\\' or n.flds like '%\x1f' || ? || '' escape '\\'))",
    );
  });

  it('field search with regex and no-combining', () => {
    expect(s('front:re:te.*st')).toEqual([
      '(((n.mid = 1581236385344 and regexp_fields(?, n.flds, 0)) or ' +
        '(n.mid = 1581236385345 and regexp_fields(?, n.flds, 0)) or ' +
        '(n.mid = 1581236385346 and regexp_fields(?, n.flds, 0)) or ' +
        '(n.mid = 1581236385347 and regexp_fields(?, n.flds, 0))))',
      ['(?i)te.*st', '(?i)te.*st', '(?i)te.*st', '(?i)te.*st'],
    ]);
    const [sql, params] = s('front:nc:frânçais');
    expect(sql).toContain(
      "(n.mid = 1581236385344 and (coalesce(process_text(n.flds, 1), n.flds) like '' || ? || '\x1f%' escape '\\'))",
    );
    expect(params[0]).toBe('francais');
  });

  it('all-field search', () => {
    expect(s('*:te*st')).toEqual(['(regexp_fields(?, n.flds))', ['(?is)^te.*st$']]);
    expect(s('*:re:te.*st')).toEqual(['(regexp_fields(?, n.flds))', ['(?i)te.*st']]);
    expect(s('_*:x')).toEqual(['(regexp_fields(?, n.flds))', ['(?is)^x$']]);
  });

  it('excluded fields', () => {
    const cat = catalog({
      notetypes: [
        nt(BASIC, 'Basic', ['Front', 'Back']),
        {
          ...nt(BASIC_REV, 'Rev', ['Front', 'Back', 'Extra']),
          fields: [
            { name: 'Front', ord: 0, excludeFromSearch: true },
            { name: 'Back', ord: 1, excludeFromSearch: false },
            { name: 'Extra', ord: 2, excludeFromSearch: false },
          ],
        },
      ],
    });
    expect(s('dog', cat)[0]).toBe(
      "(((n.mid = 1581236385344 and (n.flds like '' || ? || '' escape '\\' or n.sfld like ? escape '\\')) or " +
        "(n.mid = 1581236385346 and (n.flds like '%\x1f' || ? || '' escape '\\'))))",
    );
    expect(s('re:dog', cat)[0]).toBe(
      '(((n.mid = 1581236385344 and n.flds regexp ?) or (n.mid = 1581236385346 and regexp_fields(?, n.flds, 1,2))))',
    );
  });

  it('nc:, sc:, re:, w:', () => {
    expect(s('nc:über')).toEqual([
      "((coalesce(process_text(cast(n.sfld as text), 1), n.sfld) like ? escape '\\' or coalesce(process_text(n.flds, 1), n.flds) like ? escape '\\'))",
      ['%uber%', '%uber%'],
    ]);
    expect(s('sc:abcdef')[0]).toBe(
      "(((n.mid = 1581236385343) and (coalesce(process_text(cast(n.sfld as text), 2), n.sfld) like ? escape '\\' or coalesce(process_text(n.flds, 2), n.flds) like ? escape '\\')))",
    );
    expect(s('sc:x', catalog({ notetypes: [nt(BASIC, 'Basic', ['Front'])] }))[0]).toBe('(false)');
    expect(s('re:\\bone')).toEqual(['(n.flds regexp ?)', ['(?i)\\bone']]);
    expect(s('w:foo')).toEqual(['(n.flds regexp ?)', ['(?i)\\bfoo\\b']]);
    expect(s('w:*foo')).toEqual(['(n.flds regexp ?)', ['(?i)\\b.*foo\\b']]);
    expect(s('w:*fo_o*')).toEqual(['(n.flds regexp ?)', ['(?i)\\b.*fo.o.*\\b']]);
  });

  it('ignoreAccentsInSearch turns text into nc:', () => {
    const c = { ...ctx, ignoreAccentsInSearch: true };
    expect(s('über', catalog(), c)).toEqual(s('nc:über'));
    expect(s('w:é', catalog(), c)[0]).toBe('(coalesce(process_text(n.flds, 1), n.flds) regexp ?)');
  });

  it('normalises to NFC', () => {
    expect(s('e\u0301')[1][0]).toBe('%\u00e9%');
    expect(s('e\u0301', catalog(), { ...ctx, normalizeNoteText: false })[1][0]).toBe('%e\u0301%');
  });
});

describe('sql writer: decks, notetypes, templates, tags', () => {
  it('deck:', () => {
    expect(s('deck:default')).toEqual(['((c.did in (1) or (c.odid != 0 and c.odid in (1))))', []]);
    expect(s('deck:languages')[0]).toBe('((c.did in (2,3) or (c.odid != 0 and c.odid in (2,3))))');
    expect(s('deck:french')[0]).toBe('((c.did in (4) or (c.odid != 0 and c.odid in (4))))');
    expect(s('deck:languages::french')[0]).toBe('((c.did in (3) or (c.odid != 0 and c.odid in (3))))');
    expect(s('deck:*french')[0]).toBe('((c.did in (3,4) or (c.odid != 0 and c.odid in (3,4))))');
    expect(s('deck:d*')[0]).toBe('((c.did in (1) or (c.odid != 0 and c.odid in (1))))');
    expect(s('deck:current')[0]).toBe('((c.did in (1) or (c.odid != 0 and c.odid in (1))))');
    expect(s('deck:current', catalog(), { ...ctx, currentDeckId: 2 })[0]).toBe(
      '((c.did in (2,3) or (c.odid != 0 and c.odid in (2,3))))',
    );
    expect(s('deck:nothing')[0]).toBe('(false)');
    // without cards whose home deck matches, the odid half is dropped
    expect(s('deck:languages', catalog({ filteredCards: false }))[0]).toBe('(c.did in (2,3))');
    expect(s('deck:filtered')).toEqual(['(c.odid != 0)', []]);
    expect(s('deck:*')).toEqual(['(true)', []]);
    expect(s('did:1,2')[0]).toBe('((c.did in (1,2) or (c.odid != 0 and c.odid in (1,2))))');
    expect(s('-did:1')[0]).toBe('(not (c.did in (1) or (c.odid != 0 and c.odid in (1))))');
    expect(s('did:01,2', catalog({ filteredCards: false }))[0]).toBe('(c.did in (1,2))');
  });

  it('preset:', () => {
    expect(s('preset:default')[0]).toBe('((c.did in (1,2,4) or (c.odid != 0 and c.odid in (1,2,4))))');
    expect(s('preset:FAST')[0]).toBe('((c.did in (3) or (c.odid != 0 and c.odid in (3))))');
    expect(s('preset:FAST', catalog({ filteredCards: false }))[0]).toBe('(c.did in (3))');
    expect(s('preset:typo')[0]).toBe('(false)');
  });

  it('card:', () => {
    expect(s('"card:card 1"')).toEqual([
      '((n.mid,c.ord) in (select ntid,ord from templates where name = ?))',
      ['card 1'],
    ]);
    expect(s('card:c*')).toEqual(['((n.mid,c.ord) in (select ntid,ord from templates where name regexp ?))', ['(?i)^c.*$']]);
    expect(s('card:2')).toEqual(['(c.ord = 1)', []]);
  });

  it('ids, flags, dupes', () => {
    expect(s('mid:3')).toEqual(['(n.mid = 3)', []]);
    // cards-only query: the note id column is c.nid
    expect(s('nid:3')).toEqual(['(c.nid in (3))', []]);
    expect(s('nid:3,4 dog')[0]).toMatch(/^\(n\.id in \(3,4\) and /);
    expect(s('cid:3,4')).toEqual(['(c.id in (3,4))', []]);
    expect(s('flag:2')).toEqual(['((c.flags & 7) == 2)', []]);
    expect(s('flag:0')).toEqual(['((c.flags & 7) == 0)', []]);
    expect(s('dupe:123,test')).toEqual(['(n.id in ())', []]);
  });

  it('note:', () => {
    expect(s('note:basic')).toEqual(['(n.mid in (select id from notetypes where name = ?))', ['basic']]);
    expect(s('note:basic*')).toEqual(['(n.mid in (select id from notetypes where name regexp ?))', ['(?i)^basic.*$']]);
    expect(s('note:a\\_b')[1]).toEqual(['a_b']);
  });

  it('tag:', () => {
    const re = (t: string) => `(?i).* ${t}(::| ).*`;
    expect(s('tag:one')).toEqual(["((n.tags like ? escape '\\' or n.tags like ? escape '\\'))", ['% one %', '% one::%']]);
    expect(s('tag:foo::bar')[1]).toEqual(['% foo::bar %', '% foo::bar::%']);
    expect(s('tag:a%b')[1]).toEqual(['% a\\%b %', '% a\\%b::%']);
    // k and s also match U+212A and U+017F under Unicode case folding
    expect(s('tag:desk')).toEqual([
      "((n.tags like ? escape '\\' or n.tags like ? escape '\\' or ((instr(n.tags, '\u212a') > 0 or instr(n.tags, '\u017f') > 0) and n.tags regexp ?)))",
      ['% desk %', '% desk::%', re('desk')],
    ]);
    expect(s('tag:o*n\\*et%w%oth_re\\_e')).toEqual([
      "((n.tags like ? escape '\\' and n.tags regexp ?))",
      ['% o%', re('o\\S*n\\*et%w%oth\\Sre_e')],
    ]);
    expect(s('tag:s*')).toEqual([
      "(((n.tags like ? escape '\\' or (instr(n.tags, '\u212a') > 0 or instr(n.tags, '\u017f') > 0)) and n.tags regexp ?))",
      ['% s%', re('s\\S*')],
    ]);
    expect(s('tag:*x')).toEqual(['(n.tags regexp ?)', [re('\\S*x')]]);
    // uncased non-ASCII text: LIKE is exact
    expect(s('tag:日本')).toEqual(["((n.tags like ? escape '\\' or n.tags like ? escape '\\'))", ['% 日本 %', '% 日本::%']]);
    // cased non-ASCII letters (and k/s) become one-character wildcards of a LIKE pre-filter
    expect(s('tag:ünïks')).toEqual([
      "(((n.tags like ? escape '\\' or n.tags like ? escape '\\') and n.tags regexp ?))",
      ['% _n___ %', '% _n___::%', re('ünïks')],
    ]);
    expect(s('tag:日ü*')).toEqual(["((n.tags like ? escape '\\' and n.tags regexp ?))", ['% 日_%', re('日ü\\S*')]]);
    expect(s('tag:none')).toEqual(["(n.tags = '')", []]);
    expect(s('tag:*')).toEqual(['(true)', []]);
    expect(s('"tag:a b"')).toEqual(['(false)', []]);
    expect(s('tag:re:.ne|tw.')).toEqual(['(regexp_tags(?, n.tags))', ['(?i).ne|tw.']]);
    expect(s('tag:nc:héllo')).toEqual(['(coalesce(process_text(n.tags, 1), n.tags) regexp ?)', [re('hello')]]);
  });
});

describe('sql writer: card state, dates, props', () => {
  const cutoff = ctx.dayCutoff;

  it('is:', () => {
    expect(s('is:suspended')[0]).toBe('(c.queue = -1)');
    expect(s('is:new')[0]).toBe('(c.type = 0)');
    expect(s('is:learn')[0]).toBe('(c.type in (1, 3))');
    expect(s('is:review')[0]).toBe('(c.type in (2, 3))');
    expect(s('is:buried')[0]).toBe('(c.queue in (-2,-3))');
    expect(s('is:buried-sibling')[0]).toBe('(c.queue = -2)');
    expect(s('is:buried-manually')[0]).toBe('(c.queue = -3)');
    expect(s('is:due')[0]).toBe(
      `(((c.queue in (2,3) and c.due <= 100) or (c.queue in (1,4) and c.due <= ${ctx.nowSecs + 1200})))`,
    );
    expect(s('is:due', catalog(), { ...ctx, learnAheadSecs: 0 })[0]).toContain(`c.due <= ${ctx.nowSecs})`);
  });

  it('added / edited / introduced', () => {
    expect(s('added:3')[0]).toBe(`(c.id > ${(cutoff - 86_400 * 3) * 1000})`);
    expect(s('added:0')[0]).toBe(s('added:1')[0]);
    expect(s('edited:2')[0]).toBe(`(n.mod > ${cutoff - 86_400 * 2})`);
    const c3 = (cutoff - 86_400 * 3) * 1000;
    expect(s('introduced:3')[0]).toBe(
      `(((SELECT coalesce(min(id) > ${c3}, false) FROM revlog WHERE cid = c.id AND ease != 0) AND c.id IN (SELECT cid FROM revlog WHERE id > ${c3})))`,
    );
    expect(s('introduced:0')[0]).toBe(s('introduced:1')[0]);
  });

  it('rated / resched', () => {
    expect(s('rated:2')[0]).toBe(`(c.id in (select cid from revlog where id >= ${(cutoff - 86_400 * 2) * 1000} and ease > 0))`);
    expect(s('rated:400:1')[0]).toBe(
      `(c.id in (select cid from revlog where id >= ${(cutoff - 86_400 * 400) * 1000} and ease = 1))`,
    );
    expect(s('rated:0')[0]).toBe(s('rated:1')[0]);
    expect(s('resched:400')[0]).toBe(
      `(c.id in (select cid from revlog where id >= ${(cutoff - 86_400 * 400) * 1000} and ease = 0))`,
    );
    expect(s('prop:rated>-5:3')[0]).toBe(s('rated:5:3')[0]);
    const t = (cutoff - 86_400) * 1000;
    const p = (cutoff - 2 * 86_400) * 1000;
    expect(s('prop:rated=-1')[0]).toBe(`(c.id in (select cid from revlog where id between ${p} and ${t - 1} and ease > 0))`);
    expect(s('prop:rated!=-1')[0]).toContain(`not between ${p} and ${t - 1}`);
    expect(s('prop:rated>=-1')[0]).toContain(`id >= ${p} and`);
    expect(s('prop:rated<-1')[0]).toContain(`id < ${p} and`);
    expect(s('prop:rated<=-1')[0]).toContain(`id < ${t} and`);
    expect(s('prop:resched=0')[0]).toContain('and ease = 0)');
  });

  it('prop:', () => {
    expect(s('prop:lapses=3')[0]).toBe('(lapses = 3)');
    expect(s('prop:ivl>=10')[0]).toBe('(ivl >= 10)');
    expect(s('prop:reps<10')[0]).toBe('(reps < 10)');
    expect(s('prop:ease>=2.5')[0]).toBe('(factor >= 2500)');
    expect(s('prop:ease!=1.3')[0]).toBe('(factor != 1300)');
    expect(s('prop:due!=-1')[0]).toBe(
      '(((c.queue in (2,3) and (case when c.odue != 0 then c.odue else c.due end) != 99) or ' +
        `(c.queue in (1,4) and (((case when c.odue != 0 then c.odue else c.due end) - ${cutoff}) / 86400) != -1)))`,
    );
    expect(s('prop:pos<=100')[0]).toBe('((c.type = 0 and (case when c.odue != 0 then c.odue else c.due end) <= 100))');
    expect(s('prop:cdn:r=1')).toEqual(['(cast(extract_custom_data(c.data, ?) as float) = 1)', ['r']]);
    expect(s('prop:cdn:r>0.1')[0]).toBe('(cast(extract_custom_data(c.data, ?) as float) > 0.1)');
    expect(s('prop:cds:r=s')).toEqual(['(extract_custom_data(c.data, ?) = ?)', ['r', 's']]);
    expect(s("prop:cds:foo=bar'baz")).toEqual(['(extract_custom_data(c.data, ?) = ?)', ['foo', "bar'baz"]]);
    expect(s('"prop:cds:key=x\';DROP TABLE cards;--"')).toEqual([
      '(extract_custom_data(c.data, ?) = ?)',
      ['key', "x';DROP TABLE cards;--"],
    ]);
    expect(s('prop:s>21')[0]).toBe("(extract_fsrs_variable(c.data, 's') > 21)");
    expect(s('prop:d>0.3')[0]).toBe("(extract_fsrs_variable(c.data, 'd') > 3.7)");
    expect(s('prop:r<0.9')[0]).toBe(
      `(case when c.type = 0 then false else (extract_fsrs_retrievability(c.data, case when c.odue !=0 then c.odue else c.due end, c.ivl, 100, ${cutoff}, ${ctx.nowSecs}) < 0.9) end)`,
    );
    expect(s('has-cd:r')).toEqual(['(extract_custom_data(c.data, ?) is not null)', ['r']]);
  });

  it('f32 display', () => {
    expect(rustF32Display(Math.fround(3.3))).toBe('3.3');
    expect(rustF32Display(1)).toBe('1');
    expect(rustF32Display(1e20)).toBe('100000000000000000000');
    expect(rustF32Display(Math.fround(1e-7))).toBe('0.0000001');
    expect(rustF32Display(-2.5)).toBe('-2.5');
    expect(rustF32Display(Math.fround(0.3 * 9 + 1))).toBe('3.7');
  });
});

describe('sql writer: query shape', () => {
  it('required tables', () => {
    const t = (q: string) => nodeRequiredTable(parseSearchToNode(q));
    expect(t('')).toBe('cardsOrNotes');
    expect(t('test')).toBe('notes');
    expect(t('cid:1')).toBe('cards');
    expect(t('cid:1 test')).toBe('cardsAndNotes');
    expect(t('nid:1')).toBe('cardsOrNotes');
    expect(t('cid:1 nid:1')).toBe('cards');
    expect(t('test nid:1')).toBe('notes');
    expect(t('card:1')).toBe('cardsAndNotes');
  });

  it('prefixes', () => {
    expect(full('deck:default dog')).toEqual({
      sql:
        'select c.id from cards c, notes n where c.nid=n.id and ((c.did in (1) or (c.odid != 0 and c.odid in (1))) and ' +
        "(n.sfld like ? escape '\\' or n.flds like ? escape '\\'))",
      params: ['%dog%', '%dog%'],
      setupSql: null,
    });
    expect(full('is:new').sql).toBe('select c.id from cards c where (c.type = 0)');
    expect(full('dog', 'notes').sql).toMatch(/^select n\.id from notes n where \(/);
    expect(full('is:new', 'notes').sql).toBe('select distinct n.id from cards c, notes n where c.nid=n.id and (c.type = 0)');
    expect(full('').sql).toBe('select c.id from cards c where (true)');
    expect(full('nid:5').sql).toBe('select c.id from cards c where (c.nid in (5))');
    expect(full('nid:5', 'notes').sql).toBe('select n.id from notes n where (n.id in (5))');
  });

  it('precedence is SQL precedence', () => {
    expect(full('a b or c').sql).toContain('(n.sfld like ? escape \'\\\' or n.flds like ? escape \'\\\') and (');
    expect(full('-is:new is:due').sql).toMatch(/where \(not c\.type = 0 and \(\(c\.queue/);
  });

  it('sort orders', () => {
    expect(full('', 'cards', { kind: 'builtin', column: 'noteFld' }).sql).toBe(
      'select c.id from cards c, notes n where c.nid=n.id and (true) order by n.sfld collate nocase asc, c.ord asc',
    );
    expect(full('', 'cards', { kind: 'builtin', column: 'noteFld', reverse: true }).sql).toMatch(
      /order by n\.sfld collate nocase desc, c\.ord desc$/,
    );
    expect(full('', 'cards', { kind: 'builtin', column: 'cardDue' }).sql).toMatch(
      new RegExp(`order by \\(case when c\\.due > 1000000000 or c\\.type = 0 then due else \\(due - 100\\) \\* 86400 \\+ ${ctx.nowSecs} end\\) asc$`),
    );
    expect(full('', 'cards', { kind: 'builtin', column: 'cardEase', reverse: true }).sql).toMatch(
      /order by c\.type = 0 desc, c\.factor desc$/,
    );
    const deck = full('', 'cards', { kind: 'builtin', column: 'deck' });
    expect(deck.sql).toMatch(/order by \(select pos from sort_order where did = c\.did\) asc$/);
    expect(deck.setupSql).toContain('SELECT id FROM decks ORDER BY name');
    expect(full('', 'notes', { kind: 'builtin', column: 'cardIvl' }).setupSql).toContain('ORDER BY AVG(ivl)');
    expect(full('', 'notes', { kind: 'builtin', column: 'cardDue' }).setupSql).toContain('ORDER BY MIN(CASE WHEN due > 1000000000');
    expect(full('', 'notes', { kind: 'builtin', column: 'noteCrt' }).sql).toBe('select n.id from notes n where (true) order by n.id asc');
    expect(full('', 'cards', { kind: 'custom', orderBy: 'c.ivl desc' }).sql).toBe(
      'select c.id from cards c where (true) order by c.ivl desc',
    );
    expect(() => full('', 'cards', { kind: 'builtin', column: 'question' })).toThrow(SearchError);
    expect(() => full('', 'notes', { kind: 'builtin', column: 'stability' })).toThrow(/cannot be sorted/);
  });

  it('invalid regexes are search errors', () => {
    expect(() => s('"re:a("')).toThrow(SearchError);
    expect(() => s('"re:(a"')).toThrow(/invalid regular expression/);
    expect(() => s('front:re:[')).toThrow(SearchError);
    expect(() => s('tag:re:*')).toThrow(SearchError);
  });
});
