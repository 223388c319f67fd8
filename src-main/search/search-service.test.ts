// End-to-end searches on a small schema-18 collection (rows inserted directly).

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { initializeNewCollection } from '../collection/create';
import { encodeDeckCommon, encodeDeckConfigConfig, encodeDeckKind, encodeFieldConfig, decodeFieldConfig } from '../storage/proto/codecs';
import { defaultDeckCommon, defaultDeckConfigConfig, defaultFilteredDeck, defaultNormalDeck } from '../storage/proto/codecs';
import { registerUnicase } from '../storage/unicase';
import { noteSortAndChecksum } from '../text/checksum';
import type { SearchContext } from './context';
import { SearchError } from './search-error';
import { browserSortMode, buildSearch, findCards, findNotes, searchContextFromDb } from './search-service';

const NOW_MS = Date.UTC(2024, 0, 10, 12);
const CUTOFF = 1_704_945_600; // next rollover (secs)
const NOW = CUTOFF - 10 * 3600;
const TODAY = 100;
const ctx: SearchContext = { today: TODAY, dayCutoff: CUTOFF, nowSecs: NOW, currentDeckId: 1 };

let db: Database.Database;
const nt: Record<string, number> = {};

// decks
const LANG = 100;
const LANG_FR = 101;
const LANG_FR_VERBS = 102;
const FRENCH = 103;
const UNI = 104;
const FILT = 105;
const FAST = 106;

interface CardSpec {
  id: number;
  did?: number;
  ord?: number;
  type?: number;
  queue?: number;
  due?: number;
  ivl?: number;
  factor?: number;
  reps?: number;
  lapses?: number;
  odue?: number;
  odid?: number;
  flags?: number;
  data?: string;
  mod?: number;
}

function addDeck(id: number, human: string, kind: Uint8Array) {
  db.prepare('insert into decks values (?, ?, 0, 0, ?, ?)').run(
    id,
    human.split('::').join('\x1f'),
    Buffer.from(encodeDeckCommon(defaultDeckCommon())),
    Buffer.from(kind),
  );
}

function normal(configId = 1n): Uint8Array {
  return encodeDeckKind({ normal: { ...defaultNormalDeck(), configId } });
}

function addNote(id: number, mid: number, fields: string[], tags: string, cards: CardSpec[], mod = NOW - 100) {
  const sortIdx = 0;
  const { sfld, csum } = noteSortAndChecksum(fields, sortIdx);
  db.prepare('insert into notes values (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, \'\')').run(
    id,
    `g${id}`,
    mid,
    mod,
    tags,
    fields.join('\x1f'),
    sfld,
    csum,
  );
  for (const c of cards) {
    db.prepare('insert into cards values (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)').run(
      c.id,
      id,
      c.did ?? 1,
      c.ord ?? 0,
      c.mod ?? NOW - 100,
      c.type ?? 0,
      c.queue ?? 0,
      c.due ?? 1,
      c.ivl ?? 0,
      c.factor ?? 0,
      c.reps ?? 0,
      c.lapses ?? 0,
      c.odue ?? 0,
      c.odid ?? 0,
      c.flags ?? 0,
      c.data ?? '{}',
    );
  }
}

function revlog(id: number, cid: number, ease: number) {
  db.prepare('insert into revlog values (?, ?, -1, ?, 1, 0, 2500, 1000, 1)').run(id, cid, ease);
}

const cards = (q: string, c: SearchContext = ctx) => findCards(db, q, c).sort((a, b) => a - b);
const notes = (q: string, c: SearchContext = ctx) => findNotes(db, q, c).sort((a, b) => a - b);

beforeAll(() => {
  db = new Database(':memory:');
  registerUnicase(db);
  initializeNewCollection(db, NOW_MS);
  for (const r of db.prepare('select id, name from notetypes').all() as Array<{ id: number; name: string }>) {
    nt[r.name] = r.id;
  }
  db.prepare('insert into deck_config values (2, ?, 0, 0, ?)').run('Fast', Buffer.from(encodeDeckConfigConfig(defaultDeckConfigConfig())));
  addDeck(LANG, 'Languages', normal());
  addDeck(LANG_FR, 'Languages::French', normal());
  addDeck(LANG_FR_VERBS, 'Languages::French::Verbs', normal());
  addDeck(FRENCH, 'French', normal());
  addDeck(UNI, 'Ünïcode', normal());
  addDeck(FILT, 'Filt', encodeDeckKind({ filtered: defaultFilteredDeck() }));
  addDeck(FAST, 'Speedy', normal(2n));

  const basic = nt['Basic'];
  const rev = nt['Basic (and reversed card)'];
  const cloze = nt['Cloze'];
  // 1: plain new card in Default
  addNote(1001, basic, ['dog', 'a <b>big</b> animal'], ' animal animal::mammal ', [{ id: 2001 }]);
  // 2: review card due today in Languages::French
  addNote(1002, basic, ['Hund', 'DOG in German'], ' animals deutsch ', [
    { id: 2002, did: LANG_FR, type: 2, queue: 2, due: TODAY, ivl: 10, factor: 2500, reps: 5, lapses: 1 },
  ]);
  // 3: learning card due soon, two-card notetype, one card suspended
  addNote(1003, rev, ['Cat', 'Katze'], ' Animal ', [
    { id: 2003, did: LANG_FR_VERBS, type: 1, queue: 1, due: NOW + 600, reps: 1 },
    { id: 2004, did: LANG_FR_VERBS, ord: 1, type: 2, queue: -1, due: TODAY + 5, ivl: 30, factor: 2300, flags: 1 },
  ]);
  // 4: HTML in the first field; sort field stripped
  addNote(1004, basic, ['<i>d</i>og house', ''], '', [
    { id: 2005, did: FRENCH, type: 2, queue: 2, due: TODAY + 1, ivl: 3, factor: 1300 },
  ]);
  // 5: accents and Cyrillic
  addNote(1005, basic, ['Übermensch café', 'Собака'], ' ünïcode::tag ', [
    { id: 2006, did: UNI, type: 3, queue: 1, due: NOW + 7200, ivl: 1, lapses: 2 },
  ]);
  // 6: cloze note, card in a filtered deck (home Languages)
  addNote(1006, cloze, ['The {{c1::moon::satellite}} orbits {{c2::Earth}}', 'extra'], ' space ', [
    { id: 2007, did: FILT, odid: LANG, odue: TODAY - 2, type: 2, queue: 2, due: -100000, ivl: 20, factor: 2500 },
    { id: 2008, ord: 1, type: 0, queue: -2, due: 7 },
  ]);
  // 7: buried manually, FSRS data, custom data, preset "Fast"
  addNote(1007, basic, ['3:30', 'a_b%c'], ' tricky_tag ', [
    {
      id: 2009,
      did: FAST,
      type: 2,
      queue: -3,
      due: TODAY - 3,
      ivl: 4,
      data: '{"s":21.5,"d":5.0,"lrt":' + (NOW - 2 * 86400) + ',"cd":"{\\"r\\":7,\\"k\\":\\"str\\"}","pos":12}',
    },
  ]);
  // 8: duplicate of note 1 (HTML differs), edited long ago
  addNote(1008, basic, ['<b>dog</b>', 'other'], ' Animal::Reptile::snake ', [{ id: 2010, due: 3 }], NOW - 30 * 86400);

  // revlog: card 2002 answered Good today, 2003 Again yesterday, 2005 reschedule today
  revlog((CUTOFF - 3600) * 1000, 2002, 3);
  revlog((CUTOFF - 86400 - 3600) * 1000, 2003, 1);
  revlog((CUTOFF - 3000) * 1000, 2003, 3);
  revlog((CUTOFF - 1800) * 1000, 2005, 0);
  // introduced today: 2003's first review was yesterday, 2002's first today
});

afterAll(() => db.close());

describe('text and fields', () => {
  it('plain text is an ASCII-case-insensitive substring of any field', () => {
    expect(notes('dog')).toEqual([1001, 1002, 1004, 1008]);
    expect(notes('DoG')).toEqual([1001, 1002, 1004, 1008]);
    expect(notes('"a big"')).toEqual([]); // the <b> tag is in the way
    expect(notes('big')).toEqual([1001]);
    expect(notes('собака')).toEqual([]); // Cyrillic is case-sensitive under LIKE
    expect(notes('Собака')).toEqual([1005]);
    expect(notes('d_g')).toEqual([1001, 1002, 1004, 1008]);
    expect(notes('a_b')).toEqual([1007]);
    expect(notes('a\\_b')).toEqual([1007]);
    expect(notes('b%c')).toEqual([1007]);
    expect(notes('3\\:30')).toEqual([1007]);
    expect(notes('dog house')).toEqual([1004]); // sfld is stripped: "dog house"
  });

  it('and / or / not / groups', () => {
    expect(notes('dog big')).toEqual([1001]);
    expect(notes('dog or cat')).toEqual([1001, 1002, 1003, 1004, 1008]);
    expect(notes('dog -big')).toEqual([1002, 1004, 1008]);
    expect(notes('-(dog or cat)')).toEqual([1005, 1006, 1007]);
    expect(notes('hund or cat big')).toEqual([1002]);
  });

  it('field searches', () => {
    expect(notes('front:dog')).toEqual([1001]);
    expect(notes('Front:DOG')).toEqual([1001]);
    expect(notes('front:*dog*')).toEqual([1001, 1008]); // raw HTML: <i>d</i>og does not match
    expect(notes('back:')).toEqual([1004]);
    expect(notes('back:_*')).toEqual([1001, 1002, 1003, 1005, 1007, 1008]);
    expect(notes('text:*moon*')).toEqual([1006]);
    expect(notes('front:re:^c')).toEqual([1003]);
    expect(notes('back:re:(?-i)^dog')).toEqual([]);
    expect(notes('back:re:^dog')).toEqual([1002]);
    expect(notes('fr*:cat')).toEqual([1003]);
    expect(notes('nosuchfield:x')).toEqual([]);
    expect(notes('*:katze')).toEqual([1003]);
    expect(notes('*:re:^kat')).toEqual([1003]);
    expect(notes('front:nc:ubermensch*')).toEqual([1005]);
  });

  it('re:, nc:, w:, sc:', () => {
    expect(notes('"re:^dog"')).toEqual([1001]);
    expect(notes('re:animal$')).toEqual([1001]); // $ anchors the end of the whole note
    expect(notes('re:dog$')).toEqual([]);
    expect(notes('re:cat')).toEqual([1003]);
    expect(notes('"re:(?-i)dog"')).toEqual([1001, 1008]);
    expect(notes('nc:uber')).toEqual([1005]);
    expect(notes('nc:cafe')).toEqual([1005]);
    expect(notes('cafe')).toEqual([]);
    expect(notes('cafe', { ...ctx, ignoreAccentsInSearch: true })).toEqual([1005]);
    expect(notes('w:dog')).toEqual([1001, 1002, 1008]);
    expect(notes('w:og')).toEqual([1004]); // <i>d</i>og: the markup makes a word boundary
    expect(notes('w:d*')).toEqual([1001, 1002, 1004, 1008]);
    expect(notes('sc:moon')).toEqual([1006]);
    expect(notes('"sc:moon orbits"')).toEqual([1006]);
    expect(notes('"moon orbits"')).toEqual([]);
  });

  it('dupe:', () => {
    expect(notes(`dupe:${nt['Basic']},dog`)).toEqual([1001, 1008]);
    expect(notes(`dupe:${nt['Basic']},<u>dog</u>`)).toEqual([1001, 1008]);
    expect(notes(`dupe:${nt['Cloze']},dog`)).toEqual([]);
  });
});

describe('decks, notetypes, templates, tags', () => {
  it('deck: includes children, not same-named decks elsewhere', () => {
    expect(cards('deck:languages')).toEqual([2002, 2003, 2004, 2007]);
    expect(cards('deck:French')).toEqual([2005]);
    expect(cards('deck:languages::french')).toEqual([2002, 2003, 2004]);
    expect(cards('deck:languages -deck:languages::*')).toEqual([2007]);
    expect(cards('deck:*::french')).toEqual([2002, 2003, 2004]);
    expect(cards('deck:*french*')).toEqual([2002, 2003, 2004, 2005]);
    expect(cards('deck:l_nguages::french::verbs')).toEqual([2003, 2004]);
    expect(cards('deck:ÜNÏCODE')).toEqual([2006]);
    expect(cards('deck:filtered')).toEqual([2007]);
    expect(cards('deck:filt')).toEqual([2007]);
    expect(cards('deck:current')).toEqual([2001, 2008, 2010]);
    expect(cards('deck:current', { ...ctx, currentDeckId: LANG_FR })).toEqual([2002, 2003, 2004]);
    expect(cards('deck:nope')).toEqual([]);
    expect(cards(`did:${LANG_FR}`)).toEqual([2002]);
    expect(cards(`-did:${LANG_FR} is:review`)).toEqual([2004, 2005, 2006, 2007, 2009]);
    expect(cards(`did:${LANG}`)).toEqual([2007]);
  });

  it('preset:', () => {
    expect(cards('preset:fast')).toEqual([2009]);
    expect(cards('preset:nothing')).toEqual([]);
    expect(cards('preset:Default').length).toBe(9);
  });

  it('note: / mid: / card:', () => {
    expect(notes('note:basic')).toEqual([1001, 1002, 1004, 1005, 1007, 1008]);
    expect(notes('note:BASIC*')).toEqual([1001, 1002, 1003, 1004, 1005, 1007, 1008]);
    expect(notes('"note:basic (and reversed card)"')).toEqual([1003]);
    expect(notes(`mid:${nt['Cloze']}`)).toEqual([1006]);
    expect(cards('card:2')).toEqual([2004, 2008]);
    expect(cards('"card:card 2"')).toEqual([2004]);
    expect(cards('card:CLOZE')).toEqual([2007]);
    expect(cards('card:c*')).toEqual([2001, 2002, 2003, 2004, 2005, 2006, 2007, 2009, 2010]);
  });

  it('tag:', () => {
    expect(notes('tag:animal')).toEqual([1001, 1003, 1008]);
    expect(notes('tag:animal::mammal')).toEqual([1001]);
    expect(notes('tag:ANIMALS')).toEqual([1002]);
    expect(notes('tag:ani*')).toEqual([1001, 1002, 1003, 1008]);
    expect(notes('tag:*::snake')).toEqual([1008]);
    expect(notes('tag:ünïcode')).toEqual([1005]);
    expect(notes('tag:ÜNÏCODE::TAG')).toEqual([1005]);
    expect(notes('tag:nc:unicode')).toEqual([1005]);
    expect(notes('tag:tricky_tag')).toEqual([1007]);
    expect(notes('tag:tricky\\_tag')).toEqual([1007]);
    expect(notes('tag:none')).toEqual([1004]);
    expect(notes('tag:*').length).toBe(8);
    expect(notes('tag:re:^animal$')).toEqual([1001, 1003]);
    expect(notes('-tag:animal tag:*')).toEqual([1002, 1004, 1005, 1006, 1007]);
  });

  it('tag: Unicode case folding (k ~ Kelvin sign, s ~ long s), as Rust regex does', () => {
    addNote(1100, nt['Basic'], ['x', 'y'], ' \u212aey \u017fun ', []);
    try {
      expect(notes('tag:key')).toEqual([1100]);
      expect(notes('tag:SUN')).toEqual([1100]);
      expect(notes('tag:k*')).toEqual([1100]);
      expect(notes('tag:su*')).toEqual([1100]);
    } finally {
      db.prepare('delete from notes where id = 1100').run();
    }
  });
});

describe('card state, flags, ids, dates, props', () => {
  it('is:', () => {
    expect(cards('is:new')).toEqual([2001, 2008, 2010]);
    expect(cards('is:learn')).toEqual([2003, 2006]);
    expect(cards('is:review')).toEqual([2002, 2004, 2005, 2006, 2007, 2009]);
    expect(cards('is:learn is:review')).toEqual([2006]);
    expect(cards('is:due')).toEqual([2002, 2003, 2007]);
    expect(cards('is:suspended')).toEqual([2004]);
    expect(cards('is:buried')).toEqual([2008, 2009]);
    expect(cards('is:buried-sibling')).toEqual([2008]);
    expect(cards('is:buried-manually')).toEqual([2009]);
    expect(notes('is:new')).toEqual([1001, 1006, 1008]);
  });

  it('flag:, nid:, cid:', () => {
    expect(cards('flag:1')).toEqual([2004]);
    expect(cards('flag:0').length).toBe(9);
    expect(cards('nid:1003,1006')).toEqual([2003, 2004, 2007, 2008]);
    expect(notes('nid:1003,1006')).toEqual([1003, 1006]);
    expect(cards('cid:2001,2005')).toEqual([2001, 2005]);
    expect(notes('cid:2004')).toEqual([1003]);
  });

  it('rated:, resched:, introduced:, added:, edited:', () => {
    expect(cards('rated:1')).toEqual([2002, 2003]);
    expect(cards('rated:2')).toEqual([2002, 2003]);
    expect(cards('rated:2:1')).toEqual([2003]);
    expect(cards('rated:1:1')).toEqual([]);
    expect(cards('resched:1')).toEqual([2005]);
    expect(cards('introduced:1')).toEqual([2002]);
    expect(cards('introduced:2')).toEqual([2002, 2003]);
    expect(cards('prop:rated=-1')).toEqual([2003]);
    expect(cards('prop:rated=0')).toEqual([2002, 2003]);
    expect(cards('prop:resched=0')).toEqual([2005]);
    expect(cards('added:1')).toEqual([]); // card ids are small numbers here, i.e. 1970
    expect(notes('edited:1')).toEqual([1001, 1002, 1003, 1004, 1005, 1006, 1007]);
  });

  it('prop:', () => {
    expect(cards('prop:ivl>=10')).toEqual([2002, 2004, 2007]);
    expect(cards('prop:due=0')).toEqual([2002, 2003, 2006]); // learning due later today → 0
    expect(cards('prop:due=1')).toEqual([2005]);
    expect(cards('prop:due=-2')).toEqual([2007]); // odue is used for filtered cards
    expect(cards('prop:due<=-1 is:review')).toEqual([2007]); // 2009 is buried: queue not 2/3
    expect(cards('prop:ease=1.3')).toEqual([2005]);
    expect(cards('prop:ease>2.4')).toEqual([2002, 2007]);
    expect(cards('prop:reps>=5')).toEqual([2002]);
    expect(cards('prop:lapses>0')).toEqual([2002, 2006]);
    expect(cards('prop:pos<=3')).toEqual([2001, 2010]);
    expect(cards('prop:s>21')).toEqual([2009]);
    expect(cards('prop:s>22')).toEqual([]);
    expect(cards('prop:d>0.44')).toEqual([2009]); // d = 5 ↔ 0.444…
    expect(cards('prop:d>0.45')).toEqual([]);
    expect(cards('prop:r<1')).toEqual([2009]);
    expect(cards('prop:r>0.9')).toEqual([2009]); // 2 days at S=21.5
    expect(cards('prop:cdn:r>5')).toEqual([2009]);
    expect(cards('prop:cdn:r=8')).toEqual([]);
    expect(cards('prop:cds:k=str')).toEqual([2009]);
    expect(cards('has-cd:k')).toEqual([2009]);
    expect(cards('has-cd:zz')).toEqual([]);
  });
});

describe('sorting', () => {
  it('cards by sort field, due, interval, deck; reversed', () => {
    expect(findCards(db, 'deck:languages', ctx, { kind: 'builtin', column: 'noteFld' })).toEqual([2003, 2004, 2002, 2007]);
    expect(findCards(db, 'deck:languages', ctx, { kind: 'builtin', column: 'noteFld', reverse: true })).toEqual([
      2007, 2002, 2004, 2003,
    ]);
    expect(findCards(db, 'is:review -is:suspended', ctx, { kind: 'builtin', column: 'cardIvl' })).toEqual([
      2006, 2005, 2009, 2002, 2007,
    ]);
    expect(findCards(db, 'is:review', ctx, { kind: 'builtin', column: 'cardDue' })[0]).toBe(2007);
    // by deck name: Filt, French, Languages::French, Languages::French::Verbs
    const byDeck = findCards(db, 'deck:languages or deck:french', ctx, { kind: 'builtin', column: 'deck' });
    expect(byDeck.slice(0, 3)).toEqual([2007, 2005, 2002]);
    expect(byDeck.slice(3).sort()).toEqual([2003, 2004]);
    expect(findCards(db, 'nid:1003', ctx, { kind: 'builtin', column: 'template', reverse: true })).toEqual([2004, 2003]);
    expect(findCards(db, 'is:new', ctx, { kind: 'builtin', column: 'noteCrt' })).toEqual([2001, 2008, 2010]);
    expect(findCards(db, 'is:new', ctx, { kind: 'builtin', column: 'note' })[2]).toBe(2008);
    expect(findCards(db, '', ctx, { kind: 'custom', orderBy: 'c.id desc' })[0]).toBe(2010);
  });

  it('notes by card-level columns', () => {
    expect(findNotes(db, 'deck:languages', ctx, { kind: 'builtin', column: 'cardReps', reverse: true })).toEqual([
      1002, 1003, 1006,
    ]);
    expect(findNotes(db, 'tag:animal', ctx, { kind: 'builtin', column: 'noteFld' })[0]).toBe(1003); // Cat < dog, dog
    expect(findNotes(db, '', ctx, { kind: 'builtin', column: 'template', reverse: true }).slice(0, 2).sort()).toEqual([
      1003, 1006,
    ]);
    expect(findNotes(db, 'is:review', ctx, { kind: 'builtin', column: 'cardDue' }).length).toBe(6);
  });

  it('browser sort config', () => {
    expect(browserSortMode(db, 'cards')).toEqual({ kind: 'builtin', column: 'noteFld', reverse: false });
    expect(browserSortMode(db, 'notes')).toEqual({ kind: 'none' });
  });

  it('unsortable columns', () => {
    expect(() => findCards(db, '', ctx, { kind: 'builtin', column: 'question' })).toThrow(SearchError);
  });
});

describe('excluded fields', () => {
  it('a field excluded from search is skipped by plain text but not by field searches', () => {
    const basic = nt['Basic'];
    const row = db.prepare('select config from fields where ntid = ? and ord = 1').pluck().get(basic) as Uint8Array;
    const cfg = decodeFieldConfig(row);
    const update = db.prepare('update fields set config = ? where ntid = ? and ord = 1');
    update.run(Buffer.from(encodeFieldConfig({ ...cfg, excludeFromSearch: true })), basic);
    try {
      expect(notes('big')).toEqual([]);
      expect(notes('animal')).toEqual([]);
      expect(notes('back:*big*')).toEqual([1001]);
      expect(notes('re:big')).toEqual([]);
      expect(notes('dog')).toEqual([1001, 1004, 1008]); // 1002 only had it in Back
      expect(notes('katze')).toEqual([1003]); // other notetypes unaffected
    } finally {
      update.run(Buffer.from(row), basic);
    }
  });
});

describe('regex searches', () => {
  it('run in linear time: a catastrophic pattern on a long field returns at once', () => {
    addNote(1200, nt['Basic'], [`${'a'.repeat(50_000)}!b`, `${'x'.repeat(50_000)}!y`], ' long ', [{ id: 2200 }]);
    try {
      const start = performance.now();
      expect(notes('"re:(a+)+b"')).toEqual([]);
      expect(notes('"front:re:(x+x+)+y"')).toEqual([]);
      expect(notes('"back:re:(x+x+)+y"')).toEqual([]);
      expect(notes('"re:(a|aa)+!"')).toEqual([1200]);
      expect(notes('"w:a*b"')).toEqual([1001, 1007, 1200]); // \ba.*b\b: 'a <b>', 'a_b', 'aa…!b'
      expect(performance.now() - start).toBeLessThan(1000);
    } finally {
      db.prepare('delete from cards where nid = 1200').run();
      db.prepare('delete from notes where id = 1200').run();
    }
  });

  it('Rust regex syntax, Unicode-aware', () => {
    expect(notes('"re:\\bсобака\\b"')).toEqual([1005]);
    expect(notes('"re:\\bсоба\\b"')).toEqual([]);
    expect(notes('"re:(?:über|unter)mensch"')).toEqual([1005]);
    expect(notes('w:café')).toEqual([1005]);
  });

  it('Rust syntax RE2 cannot hold is an InvalidRegex SearchError', () => {
    let err: unknown;
    try {
      notes('re:a{1001}');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SearchError);
    expect((err as SearchError).kind).toBe('InvalidRegex');
  });
});

describe('errors', () => {
  it.each(['(dog', 'dog)', '""', 'is:nothing', 'prop:ivl>x', 'flag:9', '"re:(unclosed"', 'tag:re:[', 'front:re:*'])(
    '%s → SearchError',
    (q) => {
      expect(() => findCards(db, q, ctx)).toThrow(SearchError);
    },
  );

  it('nothing reaches SQLite as text', () => {
    const { sql, params } = buildSearch(db, `"front:x'); drop table notes; --"`, 'cards', ctx);
    expect(sql).not.toContain('drop table');
    expect(params).toContain("x'); drop table notes; --");
    expect(cards(`"x'); drop table notes; --"`)).toEqual([]);
  });
});

describe('fuzz: any input gives results or a SearchError, never an SQL error', () => {
  it('random searches', () => {
    const atoms = [
      'a', 'dog', ' ', ' ', '-', '"', '\\', ':', '(', ')', '*', '_', '%', "'", 'and', 'or', 'OR', 're:', 'nc:',
      'deck:', 'tag:', 'note:', 'card:', 'is:', 'prop:', 'flag:', 'front:', 'back:', 'nid:', 'cid:', 'did:',
      'mid:', 'dupe:', 'rated:', 'added:', 'w:', 'sc:', 'has-cd:', 'preset:', 'ivl', '>', '=', '<=', '1', '-1',
      '0.5', ',', 'due', '[', ']', '{', '}', '|', '?', '+', '.', '^', '$', 'é', '日', '\u3000', 'current',
      'filtered', 'none', '::', 'cdn:', 'cds:', 'x', 'rated', 'resched', 'pos', 'ease', 'r', 's', 'd',
    ];
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    let ok = 0;
    let errors = 0;
    for (let i = 0; i < 3000; i++) {
      const n = 1 + Math.floor(rand() * 6);
      let q = '';
      for (let k = 0; k < n; k++) q += atoms[Math.floor(rand() * atoms.length)];
      for (const mode of ['cards', 'notes'] as const) {
        try {
          if (mode === 'cards') findCards(db, q, ctx);
          else findNotes(db, q, ctx);
          ok++;
        } catch (e) {
          if (!(e instanceof SearchError)) throw new Error(`${JSON.stringify(q)} (${mode}): ${(e as Error).message}`);
          errors++;
        }
      }
    }
    expect(ok).toBeGreaterThan(1000);
    expect(errors).toBeGreaterThan(100);
  });
});

describe('searchContextFromDb', () => {
  it('reads the collection config', () => {
    const c = searchContextFromDb(db, NOW);
    expect(c.currentDeckId).toBe(1);
    expect(c.learnAheadSecs).toBe(1200);
    expect(c.nowSecs).toBe(NOW);
    expect(c.dayCutoff).toBeGreaterThan(NOW);
    expect(c.normalizeNoteText).toBe(true);
  });
});
