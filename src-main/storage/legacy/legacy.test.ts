import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deck } from '../../decks/deck';
import type { DeckConfig } from '../../decks/deck-config';
import type { Notetype } from '../../notetypes/notetype';
import {
  decodeDeckCommon,
  decodeDeckConfigConfig,
  decodeDeckKind,
  decodeFieldConfig,
  decodeNotetypeConfig,
  decodeTemplateConfig,
  defaultDeckConfigConfig,
  encodeDeckCommon,
  encodeDeckConfigConfig,
  encodeDeckKind,
  encodeFieldConfig,
  encodeNotetypeConfig,
  encodeTemplateConfig,
} from '../proto/codecs';
import { CardRequirementKind, NotetypeKind } from '../proto/messages';
import { type FixtureSet, loadFixtures, openReadonly } from '../proto/test-fixtures';
import {
  configEntriesFromLegacyConf,
  deckConfigFromLegacy,
  deckConfigToLegacy,
  deckConfigsFromLegacyDconf,
  deckFromLegacy,
  deckToLegacy,
  decksFromLegacyDecks,
  legacyConfFromConfigEntries,
  legacyDconfFromDeckConfigs,
  legacyDecksFromDecks,
  legacyModelsFromNotetypes,
  normalizeHumanDeckName,
  notetypeFromLegacy,
  notetypeToLegacy,
  notetypesFromLegacyModels,
  parseLegacyJson,
  stringifyLegacyJson,
  type JsonObject,
  type JsonValue,
} from './index';

interface LegacyCol {
  label: string;
  models: JsonObject;
  decks: JsonObject;
  dconf: JsonObject;
  conf: JsonObject;
}

let fx: FixtureSet;
const cols: LegacyCol[] = [];

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const otherJson = (b: Uint8Array | undefined): unknown => (b ? parseLegacyJson(new TextDecoder().decode(b)) : undefined);

beforeAll(() => {
  fx = loadFixtures();
  for (const db of fx.schema11) {
    const con = openReadonly(db.path);
    try {
      const r = con.prepare('select ver, models, decks, dconf, conf from col').get() as Record<string, string | number>;
      expect(r.ver, db.label).toBe(11);
      cols.push({
        label: db.label,
        models: parseLegacyJson(r.models as string) as JsonObject,
        decks: parseLegacyJson(r.decks as string) as JsonObject,
        dconf: parseLegacyJson(r.dconf as string) as JsonObject,
        conf: parseLegacyJson(r.conf as string) as JsonObject,
      });
    } finally {
      con.close();
    }
  }
});

afterAll(() => fx?.cleanup());

const col = (part: string): LegacyCol => {
  const found = cols.find((c) => c.label.includes(part));
  if (!found) throw new Error(`no fixture ${part}`);
  return found;
};

/** Every key of `orig` (recursively through objects and arrays of objects) exists in `out`. */
function missingKeys(orig: JsonValue, out: JsonValue, path = ''): string[] {
  const missing: string[] = [];
  if (Array.isArray(orig) && Array.isArray(out)) {
    orig.forEach((v, i) => missing.push(...missingKeys(v, out[i], `${path}[${i}]`)));
  } else if (orig && typeof orig === 'object' && !Array.isArray(orig)) {
    if (!out || typeof out !== 'object' || Array.isArray(out)) return [path || '(root)'];
    for (const k of Object.keys(orig)) {
      if (!(k in out)) missing.push(`${path}.${k}`);
      else missing.push(...missingKeys(orig[k], (out as JsonObject)[k], `${path}.${k}`));
    }
  }
  return missing;
}

/** Loose value comparison: numbers by value (20 == 20.0), ids given as strings equal numbers. */
function differences(orig: JsonValue, out: JsonValue, path = ''): string[] {
  if (Array.isArray(orig)) {
    if (!Array.isArray(out) || out.length !== orig.length) return [`${path}: ${stringifyLegacyJson(orig)} → ${stringifyLegacyJson(out)}`];
    return orig.flatMap((v, i) => differences(v, out[i], `${path}[${i}]`));
  }
  if (orig && typeof orig === 'object') {
    if (!out || typeof out !== 'object' || Array.isArray(out)) return [`${path}: object → ${stringifyLegacyJson(out)}`];
    return Object.keys(orig).flatMap((k) => differences(orig[k], (out as JsonObject)[k], `${path}.${k}`));
  }
  const norm = (v: JsonValue): unknown => (typeof v === 'bigint' ? v.toString() : typeof v === 'number' ? String(v) : v);
  return norm(orig) === norm(out) ? [] : [`${path}: ${stringifyLegacyJson(orig)} → ${stringifyLegacyJson(out)}`];
}

/** relative order of the keys both objects have is the same */
function sameKeyOrder(a: JsonObject, b: JsonObject): boolean {
  const common = Object.keys(a).filter((k) => k in b);
  const inB = Object.keys(b).filter((k) => k in a);
  return common.join(',') === inB.join(',');
}

describe('schema-11 fixtures', () => {
  it('loaded every schema-11 collection', () => {
    // mediacheck + 7 legacy packages in fixtures/ + in real/: legacy-1, legacy-2 (anki21 + stub
    // anki2) and the stub collection.anki2 of the 5 latest-format packages
    expect(cols.length).toBe(16);
  });

  it('mediacheck.anki2: stock notetypes, Default deck and config', () => {
    const c = col('mediacheck');
    const nts = notetypesFromLegacyModels(c.models);
    expect(nts.map((n) => n.name).sort()).toEqual([
      'Basic',
      'Basic (and reversed card)',
      'Basic (optional reversed card)',
      'Basic (type in the answer)',
      'Cloze',
    ]);
    const basic = nts.find((n) => n.name === 'Basic')!;
    expect(basic.id).toBe(1581236385347); // id stored as a string in this file
    expect(basic.fields.map((f) => f.name)).toEqual(['Front', 'Back']);
    expect(basic.fields.map((f) => f.ord)).toEqual([0, 1]);
    expect(basic.fields[0].config.fontName).toBe('Arial');
    expect(basic.fields[0].config.fontSize).toBe(20);
    expect(basic.fields[0].config.id).toBeUndefined();
    expect(otherJson(basic.fields[0].config.other)).toEqual({ media: [] });
    expect(basic.templates.map((t) => [t.name, t.config.qFormat, t.config.aFormat])).toEqual([
      ['Card 1', '{{Front}}', '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}'],
    ]);
    expect(basic.config.targetDeckIdUnused).toBe(1n);
    expect(basic.config.reqs).toEqual([{ cardOrd: 0, kind: CardRequirementKind.Any, fieldOrds: [0] }]);
    expect(otherJson(basic.config.other)).toEqual({ vers: [], tags: [] });
    expect(basic.mtimeSecs).toBe(1581236488);
    expect(basic.usn).toBe(-1);
    const cloze = nts.find((n) => n.name === 'Cloze')!;
    expect(cloze.config.kind).toBe(NotetypeKind.Cloze);
    expect(cloze.templates[0].config.qFormat).toBe('{{cloze:Text}}');

    const [deck] = decksFromLegacyDecks(c.decks);
    expect(deck).toMatchObject({ id: 1, name: 'Default', mtimeSecs: 1581236492, usn: -1 });
    expect(deck.common).toEqual({
      studyCollapsed: false,
      browserCollapsed: false,
      lastDayStudied: 0,
      newStudied: 2,
      reviewStudied: 0,
      learningStudied: 0,
      millisecondsStudied: 2301,
    });
    expect(deck.kind.normal).toEqual({
      configId: 1n,
      extendNew: 10,
      extendReview: 50,
      description: '',
      markdownDescription: false,
    });

    const [dc] = deckConfigsFromLegacyDconf(c.dconf);
    expect(dc.id).toBe(1);
    expect(dc.name).toBe('Default');
    expect(dc.config.learnSteps).toEqual([1, 10]);
    expect(dc.config.relearnSteps).toEqual([10]);
    expect(dc.config.initialEase).toBe(2.5);
    expect(dc.config.easyMultiplier).toBe(Math.fround(1.3));
    expect(dc.config.hardMultiplier).toBe(Math.fround(1.2));
    expect(dc.config.graduatingIntervalGood).toBe(1);
    expect(dc.config.graduatingIntervalEasy).toBe(4);
    expect(dc.config.newCardInsertOrder).toBe(0); // legacy order 1 = due
    expect(dc.config.leechAction).toBe(0); // suspend
    expect(dc.config.reviewsPerDay).toBe(200);
    expect(dc.config.desiredRetention).toBe(0); // absent → 0.0, as in Anki
    expect(dc.config.waitForAudio).toBe(true);
    expect(dc.config.skipQuestionWhenReplayingAnswer).toBe(false);
    expect(otherJson(dc.config.other)).toEqual({ new: { separate: true }, rev: { fuzz: 0.05, minSpace: 1 } });
  });

  it('ankidroid legacy-1 package: 9 notetypes, 11 decks with two filtered', () => {
    const c = col('real/anki2-legacy1');
    const nts = notetypesFromLegacyModels(c.models);
    expect(nts.length).toBe(9);
    const muscle = nts.find((n) => n.name === 'Muscle')!;
    expect(muscle.fields.map((f) => f.name)).toEqual([
      'Name',
      'Origin',
      'Insertion',
      'Action',
      'Innervation',
      'OIpic',
      'Picture',
    ]);
    expect(muscle.templates.map((t) => t.name)).toEqual([
      'Name/Action',
      'Picture/Name',
      'Name/Origin',
      'Name/Insertion',
      'Name/Innervation',
      'oPic/Name',
      'Question 1',
      'Question 2',
    ]);
    expect(nts.filter((n) => n.config.kind === NotetypeKind.Cloze).map((n) => n.name).sort()).toEqual([
      'Conjugations Test Multi-Cloze',
      'NestedClozeTest',
      'TypingClozeTest',
      'cloze',
    ]);
    const decks = decksFromLegacyDecks(c.decks);
    expect(decks.length).toBe(11);
    const filtered = decks.filter((d) => d.kind.filtered).sort((a, b) => a.name.localeCompare(b.name));
    expect(filtered.map((d) => d.name)).toEqual([
      '1-TEMPLATES::Anatomy::BadOrderSections',
      '1-TEMPLATES::Anatomy::BadTemplate',
    ]);
    expect(filtered[1].kind.filtered).toEqual({
      reschedule: true,
      searchTerms: [{ search: 'deck:"Anatomy" card:Picture/Name', limit: 100, order: 0 }],
      delays: [],
      previewDelay: 0,
      previewHardSecs: 0,
      previewGoodSecs: 0,
      previewAgainSecs: 0,
    });
    const conditionals = decks.find((d) => d.name === '1-TEMPLATES::Conditionals')!;
    expect(otherJson(conditionals.common.other)).toEqual({ mid: '1425809313857' });
    expect(conditionals.common.lastDayStudied).toBe(979);
  });

  it('modern stub collection.anki2 (written by Anki itself): exact field ids and Anki defaults', () => {
    const c = col('real/anki21b-apkg_spanish-cloze-audio.apkg!collection.anki2');
    const nts = notetypesFromLegacyModels(c.models);
    const cloze = nts.find((n) => n.name === 'Cloze')!;
    expect(cloze.fields.map((f) => [f.name, f.config.tag, f.config.preventDeletion, f.config.id])).toEqual([
      ['Text', 0, true, -6679331561619854360n],
      ['Back Extra', 1, false, -3563043320269517651n],
    ]);
    expect(cloze.templates[0].config.id).toBe(-259401004944432034n);
    expect(cloze.config.originalStockKind).toBe(5);
    expect(cloze.config.targetDeckIdUnused).toBe(0n);
    expect(cloze.config.other).toBeUndefined();
    expect(hex(encodeFieldConfig(cloze.fields[0].config))).toContain('5000'); // tag 0 present

    // Anki wrote these from a brand-new schema-18 collection, so converting back must give
    // exactly the defaults a new collection has
    const [dc] = deckConfigsFromLegacyDconf(c.dconf);
    expect(dc.config).toEqual(defaultDeckConfigConfig());
    expect(dc.config.other).toBeUndefined();
    const [deck] = decksFromLegacyDecks(c.decks);
    expect(hex(encodeDeckCommon(deck.common))).toBe('08011001');
    expect(hex(encodeDeckKind(deck.kind))).toBe('0a020801');
  });

  it('legacy → domain → legacy keeps every key (and values, bar Anki’s own normalisations)', () => {
    let objects = 0;
    for (const c of cols) {
      for (const [key, json] of Object.entries(c.models)) {
        const out = notetypeToLegacy(notetypeFromLegacy(json));
        expect(missingKeys(json, out), `${c.label} model ${key}`).toEqual([]);
        const diffs = differences(json, out).filter((d) => !/^\.id: "\d+" → \d+$/.test(d)); // "id" strings become numbers
        expect(diffs, `${c.label} model ${key}`).toEqual([]);
        objects++;
      }
      for (const [key, json] of Object.entries(c.decks)) {
        const out = deckToLegacy(deckFromLegacy(json));
        const isDyn = (json as JsonObject).dyn === 1 || (json as JsonObject).dyn === true;
        const missing = missingKeys(json, out);
        // Anki drops the obsolete "return" key of filtered decks
        expect(missing, `${c.label} deck ${key}`).toEqual(isDyn && 'return' in (json as JsonObject) ? ['.return'] : []);
        expect(differences(json, out).filter((d) => !d.startsWith('.return')), `${c.label} deck ${key}`).toEqual([]);
        objects++;
      }
      for (const [key, json] of Object.entries(c.dconf)) {
        const out = deckConfigToLegacy(deckConfigFromLegacy(json));
        expect(missingKeys(json, out), `${c.label} dconf ${key}`).toEqual([]);
        // Anki writes the third "ints" element (unused) as 0
        const diffs = differences(json, out).filter((d) => !/^\.new\.ints\[2\]: \d+ → 0$/.test(d));
        expect(diffs, `${c.label} dconf ${key}`).toEqual([]);
        objects++;
      }
    }
    expect(objects).toBeGreaterThan(60);
  });

  it('objects written by modern Anki come back with the same keys in the same order', () => {
    const stubs = cols.filter((c) => c.label.includes('anki21b') || c.label.includes('anki21-legacy2'));
    expect(stubs.length).toBe(7);
    for (const c of stubs) {
      for (const json of Object.values(c.models) as JsonObject[]) {
        const out = notetypeToLegacy(notetypeFromLegacy(json));
        expect(sameKeyOrder(json, out), c.label).toBe(true);
        const flds = json.flds as JsonObject[];
        flds.forEach((f, i) => expect(sameKeyOrder(f, (out.flds as JsonObject[])[i])).toBe(true));
        const tmpls = json.tmpls as JsonObject[];
        tmpls.forEach((t, i) => expect(sameKeyOrder(t, (out.tmpls as JsonObject[])[i])).toBe(true));
        if (!c.label.includes('legacy2')) expect(Object.keys(out)).toEqual(Object.keys(json));
      }
      for (const json of Object.values(c.decks) as JsonObject[]) {
        const out = deckToLegacy(deckFromLegacy(json));
        expect(sameKeyOrder(json, out), c.label).toBe(true);
        // this Anki version predates the deck-level desiredRetention key
        expect(Object.keys(out).filter((k) => !(k in json))).toEqual(['desiredRetention']);
      }
      for (const json of Object.values(c.dconf) as JsonObject[]) {
        const out = deckConfigToLegacy(deckConfigFromLegacy(json));
        expect(sameKeyOrder(json, out), c.label).toBe(true);
        for (const sub of ['new', 'rev', 'lapse']) {
          expect(sameKeyOrder(json[sub] as JsonObject, out[sub] as JsonObject)).toBe(true);
        }
      }
    }
  });

  it('domain → legacy → domain is stable', () => {
    for (const c of cols) {
      for (const json of Object.values(c.models)) {
        const nt = notetypeFromLegacy(json);
        expect(normalizeNotetype(notetypeFromLegacy(notetypeToLegacy(nt))), c.label).toEqual(normalizeNotetype(nt));
      }
      for (const json of Object.values(c.decks)) {
        const d = deckFromLegacy(json);
        expect(normalizeDeck(deckFromLegacy(deckToLegacy(d))), c.label).toEqual(normalizeDeck(d));
      }
      for (const json of Object.values(c.dconf)) {
        const dc = deckConfigFromLegacy(json);
        expect(normalizeDeckConfig(deckConfigFromLegacy(deckConfigToLegacy(dc))), c.label).toEqual(
          normalizeDeckConfig(dc),
        );
      }
    }
  });

  it('collection-level helpers and stringify', () => {
    const c = col('mediacheck');
    const models = legacyModelsFromNotetypes(notetypesFromLegacyModels(c.models));
    expect(Object.keys(models).sort()).toEqual(Object.keys(c.models).sort());
    const text = stringifyLegacyJson(legacyDecksFromDecks(decksFromLegacyDecks(c.decks)));
    expect(decksFromLegacyDecks(text)[0].name).toBe('Default');
    expect(Object.keys(legacyDconfFromDeckConfigs(deckConfigsFromLegacyDconf(c.dconf)))).toEqual(['1']);
    const entries = configEntriesFromLegacyConf(c.conf);
    const byKey = new Map(entries.map((e) => [e.key, new TextDecoder().decode(e.val)]));
    expect(byKey.get('curModel')).toBe('"1581236385347"');
    expect(byKey.get('sortType')).toBe('"noteFld"');
    expect(byKey.get('activeDecks')).toBe('[1]');
    expect(legacyConfFromConfigEntries(entries)).toEqual(c.conf);
    // big ids survive a text round trip
    const zh = col('spanish');
    const t = stringifyLegacyJson(legacyModelsFromNotetypes(notetypesFromLegacyModels(zh.models)));
    expect(t).toContain('"id":-6679331561619854360');
    // dconf key wins over the inner id
    expect(deckConfigsFromLegacyDconf({ '5': { ...(c.dconf['1'] as JsonObject), id: 1 } })[0].id).toBe(5);
  });
});

// blobs' `other` bytes are compared as parsed JSON (key order of a re-serialised map may differ)
function normalizeNotetype(nt: Notetype): unknown {
  return {
    ...nt,
    config: { ...nt.config, other: otherJson(nt.config.other) },
    fields: nt.fields.map((f) => ({ ...f, config: { ...f.config, other: otherJson(f.config.other) } })),
    templates: nt.templates.map((t) => ({ ...t, config: { ...t.config, other: otherJson(t.config.other) } })),
  };
}
function normalizeDeck(d: Deck): unknown {
  return { ...d, common: { ...d.common, other: otherJson(d.common.other) } };
}
function normalizeDeckConfig(dc: DeckConfig): unknown {
  return { ...dc, config: { ...dc.config, other: otherJson(dc.config.other) } };
}

describe('schema-18 objects → legacy → back', () => {
  it('every notetype, deck and deck config of the schema-18 fixtures survives the legacy form', () => {
    let n = 0;
    for (const db of fx.schema18) {
      const con = openReadonly(db.path);
      try {
        for (const r of con.prepare('select id, name, mtime_secs, usn, config from notetypes').all() as any[]) {
          const nt: Notetype = {
            id: r.id,
            name: r.name,
            mtimeSecs: r.mtime_secs,
            usn: r.usn,
            config: decodeNotetypeConfig(r.config),
            fields: (con.prepare('select ord, name, config from fields where ntid = ? order by ord').all(r.id) as any[]).map(
              (f) => ({ ord: f.ord, name: f.name, config: decodeFieldConfig(f.config) }),
            ),
            templates: (
              con.prepare('select ord, name, mtime_secs, usn, config from templates where ntid = ? order by ord').all(r.id) as any[]
            ).map((t) => ({ ord: t.ord, name: t.name, mtimeSecs: 0, usn: 0, config: decodeTemplateConfig(t.config) })),
          };
          const back = notetypeFromLegacy(parseLegacyJson(stringifyLegacyJson(notetypeToLegacy(nt))));
          expect(normalizeNotetype(back), db.label).toEqual(normalizeNotetype(nt));
          expect(hex(encodeNotetypeConfig(back.config))).toBe(hex(r.config));
          back.templates.forEach((t, i) => expect(encodeTemplateConfig(t.config)).toEqual(encodeTemplateConfig(nt.templates[i].config)));
          n++;
        }
        for (const r of con.prepare('select id, name, mtime_secs, usn, common, kind from decks').all() as any[]) {
          const d: Deck = {
            id: r.id,
            name: (r.name as string).replaceAll('\x1f', '::'),
            mtimeSecs: r.mtime_secs,
            usn: r.usn,
            common: decodeDeckCommon(r.common),
            kind: decodeDeckKind(r.kind),
          };
          const back = deckFromLegacy(parseLegacyJson(stringifyLegacyJson(deckToLegacy(d))));
          expect(normalizeDeck(back), db.label).toEqual(normalizeDeck(d));
          expect(hex(encodeDeckKind(back.kind))).toBe(hex(r.kind));
          n++;
        }
        for (const r of con.prepare('select id, name, mtime_secs, usn, config from deck_config').all() as any[]) {
          const dc: DeckConfig = { id: r.id, name: r.name, mtimeSecs: r.mtime_secs, usn: r.usn, config: decodeDeckConfigConfig(r.config) };
          const back = deckConfigFromLegacy(parseLegacyJson(stringifyLegacyJson(deckConfigToLegacy(dc))));
          expect(normalizeDeckConfig(back), db.label).toEqual(normalizeDeckConfig(dc));
          expect(hex(encodeDeckConfigConfig(back.config))).toBe(hex(r.config));
          n++;
        }
      } finally {
        con.close();
      }
    }
    expect(n).toBeGreaterThan(20);
  });
});

describe('conversion rules from schema11.rs', () => {
  const deckBase = {
    id: 5,
    mod: 100,
    name: 'A::B',
    usn: -1,
    lrnToday: [3, 1],
    revToday: [3, 2],
    newToday: [3, 3],
    timeToday: [3, 4000],
    collapsed: false,
    desc: 'd',
    dyn: 0,
    conf: 1,
  };

  it('dyn: bool or int; "return" is dropped; float 1.0 is not 1', () => {
    expect(deckFromLegacy({ ...deckBase, dyn: true, resched: true, terms: [['', 10, 1]] }).kind.filtered).toBeDefined();
    expect(deckFromLegacy({ ...deckBase, dyn: false }).kind.normal).toBeDefined();
    expect(deckFromLegacy(parseLegacyJson('{"dyn": 1.0, "id": 1, "name": "x", "usn": 0, "collapsed": false}')).kind.normal).toBeDefined();
    const d = deckFromLegacy({ ...deckBase, dyn: 1, resched: 1, terms: [['is:due', '7', 6]], return: true, desc: 'gone' });
    expect(d.kind.filtered!.reschedule).toBe(true);
    expect(d.kind.filtered!.searchTerms).toEqual([{ search: 'is:due', limit: 7, order: 6 }]);
    // keys of the other variant are not fields of FilteredDeckSchema11 → kept in `other`...
    expect(otherJson(d.common.other)).toEqual({ conf: 1 });
    const out = deckToLegacy(d);
    expect(out).not.toHaveProperty('return');
    expect(out).not.toHaveProperty('conf'); // ...but reserved, so not written back
    expect(out.desc).toBe(''); // a filtered deck keeps no description
    expect(out.separate).toBe(true);
    expect(out.delays).toBeNull();
    expect(out.dyn).toBe(1);
  });

  it('today counters: amounts of days older than the latest time/new/rev day are reset', () => {
    const d = deckFromLegacy({ ...deckBase, lrnToday: [2, 9], revToday: [3, 5], newToday: [1, 7], timeToday: [3, 100] });
    expect(d.common).toMatchObject({ lastDayStudied: 3, learningStudied: 0, reviewStudied: 5, newStudied: 0, millisecondsStudied: 100 });
    const out = deckToLegacy(d);
    expect([out.lrnToday, out.revToday, out.newToday, out.timeToday]).toEqual([[3, 0], [3, 5], [3, 0], [3, 100]]);
  });

  it('normal deck limits and desiredRetention (integer percent)', () => {
    const d = deckFromLegacy({
      ...deckBase,
      extendNew: -5,
      reviewLimit: 50,
      newLimit: -1,
      reviewLimitToday: { limit: 10, today: 7 },
      newLimitToday: { limit: 3 },
      desiredRetention: 85,
      md: true,
    });
    expect(d.kind.normal).toEqual({
      configId: 1n,
      extendNew: 0,
      extendReview: 0,
      description: 'd',
      markdownDescription: true,
      reviewLimit: 50,
      reviewLimitToday: { limit: 10, today: 7 },
      desiredRetention: Math.fround(0.85),
    });
    const out = deckToLegacy(d);
    expect(out).toMatchObject({ newLimit: null, newLimitToday: null, desiredRetention: 85, md: true, reviewLimitToday: { limit: 10, today: 7 } });
    expect(deckToLegacy({ ...d, kind: { normal: { ...d.kind.normal!, desiredRetention: Math.fround(0.9) } } }).desiredRetention).toBe(90);
  });

  it('deck names are normalised like NativeDeckName::from_human_name', () => {
    expect(normalizeHumanDeckName(' A :: ::B\x01 ::C:')).toBe('A::blank::B::C');
    expect(normalizeHumanDeckName('Cafe\u0301')).toBe('Café');
    expect(deckFromLegacy({ ...deckBase, name: 'x::  ' }).name).toBe('x::blank');
  });

  it('unknown deck keys go to common.other; reserved ones are not written back from other', () => {
    const d = deckFromLegacy({ ...deckBase, mid: 7, terms: [] });
    expect(otherJson(d.common.other)).toEqual({ mid: 7, terms: [] });
    const withReserved = { ...d, common: { ...d.common, other: new TextEncoder().encode('{"conf":9,"x":1}') } };
    const out = deckToLegacy(withReserved);
    expect(out.conf).toBe(1);
    expect(out.x).toBe(1);
  });

  it('deck config: permille ease, order mapping, timer/autoplay/replayq, extra keys per block', () => {
    const j = parseLegacyJson(
      JSON.stringify({
        id: 9,
        mod: 5,
        name: 'P',
        usn: 0,
        maxTaken: 30,
        autoplay: false,
        timer: 1,
        new: { delays: [0.5, 3], initialFactor: 2300, ints: [2, 5], order: 0, perDay: 7, x: 1 },
        rev: { ease4: 1.5, ivlFct: 1.1, maxIvl: 100, perDay: 9, y: 2 },
        lapse: { delays: [], leechAction: 0, leechFails: 3, minInt: 2, mult: 0.5, z: 3 },
        top: 4,
      }),
    );
    const dc = deckConfigFromLegacy(j);
    expect(dc.config).toMatchObject({
      learnSteps: [0.5, 3],
      initialEase: Math.fround(2.3),
      graduatingIntervalGood: 2,
      graduatingIntervalEasy: 5,
      newCardInsertOrder: 1,
      newPerDay: 7,
      easyMultiplier: 1.5,
      intervalMultiplier: Math.fround(1.1),
      hardMultiplier: Math.fround(1.2),
      maximumReviewInterval: 100,
      reviewsPerDay: 9,
      relearnSteps: [],
      leechAction: 0,
      leechThreshold: 3,
      minimumLapseInterval: 2,
      lapseMultiplier: 0.5,
      capAnswerTimeToSecs: 30,
      disableAutoplay: true,
      showTimer: true,
      skipQuestionWhenReplayingAnswer: true, // replayq missing → false
      waitForAudio: true,
      desiredRetention: 0,
      historicalRetention: 0,
    });
    expect(otherJson(dc.config.other)).toEqual({ top: 4, new: { x: 1 }, rev: { y: 2 }, lapse: { z: 3 } });
    const out = deckConfigToLegacy(dc);
    expect(out.new).toEqual({ bury: false, delays: [0.5, 3], initialFactor: 2300, ints: [2, 5, 0], order: 0, perDay: 7, x: 1 });
    expect(out.rev).toEqual({ bury: false, ease4: 1.5, ivlFct: 1.1, maxIvl: 100, perDay: 9, hardFactor: 1.2, y: 2 });
    expect(out.lapse).toEqual({ delays: [], leechAction: 0, leechFails: 3, minInt: 2, mult: 0.5, z: 3 });
    expect(out).toMatchObject({ maxTaken: 30, autoplay: false, timer: 1, replayq: false, dyn: false, top: 4 });
  });

  it('deck config: an invalid value inside new/rev/lapse resets that whole block (default_on_invalid)', () => {
    const j = parseLegacyJson(
      '{"id":1,"mod":0,"name":"D","usn":0,"maxTaken":60,"autoplay":true,"timer":"x",' +
        '"new":{"delays":[2],"initialFactor":2500.0,"ints":[1,4],"order":1,"perDay":30,"keep":1},' +
        '"rev":{"ease4":1.3,"ivlFct":1,"maxIvl":36500,"perDay":-1},' +
        '"lapse":{"delays":"bad","leechAction":7,"leechFails":8,"minInt":1,"mult":0}}',
    );
    const dc = deckConfigFromLegacy(j);
    // new: initialFactor 2500.0 is a float literal for a u16 → whole block default
    expect(dc.config.learnSteps).toEqual([1, 10]);
    expect(dc.config.newPerDay).toBe(20);
    expect(dc.config.other).toBeUndefined(); // "keep" was lost with the block
    // rev: perDay is default_on_invalid itself → 0, the rest kept
    expect(dc.config.reviewsPerDay).toBe(0);
    expect(dc.config.maximumReviewInterval).toBe(36500);
    // lapse: delays/leechAction default_on_invalid individually
    expect(dc.config.relearnSteps).toEqual([]);
    expect(dc.config.leechAction).toBe(1);
    expect(dc.config.showTimer).toBe(false); // timer invalid → 0
  });

  it('notetype: req tuples, ids as strings, bigint ids, did null', () => {
    const nt = notetypeFromLegacy(
      parseLegacyJson(
        '{"id":"42","name":"N","type":0,"mod":1,"usn":2,"sortf":1,"did":null,"css":null,' +
          '"tmpls":[{"name":"T","ord":null,"qfmt":"{{A}}","did":12,"bsize":300,"id":9223372036854775807,"extra":true}],' +
          '"flds":[{"name":"A","ord":0,"sticky":1,"rtl":"false","font":"F","size":12,"tag":"x"},{"name":"B","ord":1,"sticky":false,"rtl":false,"font":"F","size":12,"id":null}],' +
          '"req":[[0,"all",[0,1]]],"originalStockKind":3,"originalId":-9223372036854775808,"vers":[]}',
      ),
    );
    expect(nt.id).toBe(42);
    expect(nt.config.css).toBe(''); // invalid → default
    expect(nt.config.targetDeckIdUnused).toBe(0n);
    expect(nt.config.sortFieldIdx).toBe(1);
    expect(nt.config.reqs).toEqual([{ cardOrd: 0, kind: CardRequirementKind.All, fieldOrds: [0, 1] }]);
    expect(nt.config.originalStockKind).toBe(3);
    expect(nt.config.originalId).toBe(-(2n ** 63n));
    expect(otherJson(nt.config.other)).toEqual({ vers: [] });
    expect(nt.templates[0]).toMatchObject({ ord: 0, mtimeSecs: 0, usn: 0 });
    expect(nt.templates[0].config).toMatchObject({ targetDeckId: 12n, browserFontSize: 0, id: 2n ** 63n - 1n });
    expect(otherJson(nt.templates[0].config.other)).toEqual({ extra: true });
    expect(nt.fields[0].config).toMatchObject({ sticky: true, rtl: false, fontName: 'F', fontSize: 12 });
    expect(nt.fields[0].config).not.toHaveProperty('tag');
    const out = notetypeToLegacy(nt);
    expect(out.originalStockKind).toBe(3);
    expect(stringifyLegacyJson(out)).toContain('"originalId":-9223372036854775808');
    expect(out.req).toEqual([[0, 'all', [0, 1]]]);
    expect((out.tmpls as JsonObject[])[0]).toMatchObject({ did: 12, id: 2n ** 63n - 1n, extra: true });
    expect((out.flds as JsonObject[])[1]).toMatchObject({ id: null, tag: null });
    // stock kind 0 and absent originalId are omitted
    const plain = notetypeToLegacy({ ...nt, config: { ...nt.config, originalStockKind: 0, originalId: undefined } });
    expect(plain).not.toHaveProperty('originalStockKind');
    expect(plain).not.toHaveProperty('originalId');
    // an invalid req list becomes empty as a whole
    expect(notetypeFromLegacy({ ...(out as object), req: [[0, 'any', [0]], [1, 'some', []]] }).config.reqs).toEqual([]);
  });

  it('floats are written as the shortest float32 decimal', () => {
    const dc = deckConfigFromLegacy(deckConfigToLegacy({ id: 1, name: 'x', mtimeSecs: 0, usn: 0, config: defaultDeckConfigConfig() }));
    const out = deckConfigToLegacy(dc);
    expect(out.rev).toMatchObject({ ease4: 1.3, hardFactor: 1.2 });
    expect(out.desiredRetention).toBe(0.9);
    expect(stringifyLegacyJson(out)).toContain('"sm2Retention":0.9');
  });
});
