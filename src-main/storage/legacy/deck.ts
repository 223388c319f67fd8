// Deck ⇄ legacy (schema-11) JSON, following Anki's rslib/src/decks/schema11.rs
// (DeckSchema11 = NormalDeckSchema11 | FilteredDeckSchema11 sharing DeckCommonSchema11).

import type { Deck } from '../../decks/deck';
import type { DayLimit, DeckCommon, DeckKind, FilteredDeck, FilteredSearchTerm, NormalDeck } from '../proto/messages';
import { type JsonObject, type JsonValue, isFloatLiteral, isJsonObject, otherToBytes, parseOtherFields } from './json';
import {
  Fields,
  I32,
  I32FromString,
  I64FromString,
  U32,
  asI32,
  asU32,
  bool,
  boolFromAnything,
  f32,
  f32Out,
  fail,
  floatAsUint,
  i64Out,
  option,
  str,
  vec,
  type Reader,
} from './serde';

const RESERVED_DECK_KEYS = new Set([
  'usn',
  'revToday',
  'newLimit',
  'dyn',
  'reviewLimit',
  'newToday',
  'timeToday',
  'reviewLimitToday',
  'extendNew',
  'mod',
  'newLimitToday',
  'desc',
  'name',
  'lrnToday',
  'conf',
  'browserCollapsed',
  'extendRev',
  'id',
  'collapsed',
  'desiredRetention',
]);

// eslint-disable-next-line no-control-regex
const ASCII_CONTROL = /[\x00-\x1f\x7f]/g;

/**
 * Anki's NativeDeckName::from_human_name followed by human_name(): each `::` component is
 * NFC-normalised, ASCII control characters are removed, whitespace and `:` are trimmed from both
 * ends, and an empty component becomes "blank".
 */
export function normalizeHumanDeckName(name: string): string {
  return name
    .split('::')
    .map((comp) => {
      const c = comp
        .normalize('NFC')
        .replace(ASCII_CONTROL, '')
        .replace(/^[\p{White_Space}:]+|[\p{White_Space}:]+$/gu, '');
      return c === '' ? 'blank' : c;
    })
    .join('::');
}

// ---------------------------------------------------------------------------------------------
// legacy → domain

interface TodayAmount {
  day: number;
  amount: number;
}

/** serde_json Value::as_i64: integers in i64 range only (not float literals, not strings) */
function asI64Value(holder: JsonValue[], i: number): number {
  const v = holder[i];
  if (typeof v === 'bigint') return v >= -(2n ** 63n) && v < 2n ** 63n ? Number(BigInt.asIntN(32, v)) : 0;
  if (typeof v === 'number' && Number.isInteger(v) && !isFloatLiteral(holder, i)) return asI32(v);
  return 0;
}

/** TodayAmountSchema11 is built `from = Vec<Value>`: amount = last element, day = the one before. */
const todayAmount: Reader<TodayAmount> = (h, k) => {
  const v = (h as Record<string | number, JsonValue>)[k];
  if (!Array.isArray(v)) return fail(`${k}: not an array`);
  const n = v.length;
  return { day: n >= 2 ? asI64Value(v, n - 2) : 0, amount: n >= 1 ? asI64Value(v, n - 1) : 0 };
};

const dayLimit: Reader<DayLimit> = (h, k) => {
  const v = (h as Record<string | number, JsonValue>)[k];
  if (!isJsonObject(v)) return fail(`${k}: not an object`);
  const f = new Fields(v, true);
  return { limit: f.req('limit', U32, 0), today: f.req('today', U32, 0) };
};

/** FilteredSearchTermSchema11: [search, limit (number or numeric string), order] */
const searchTerm: Reader<FilteredSearchTerm> = (h, k) => {
  const v = (h as Record<string | number, JsonValue>)[k];
  let search: string, limit: number, order: number;
  if (Array.isArray(v)) {
    if (v.length !== 3) fail('search term: expected 3 elements');
    search = str(v, 0);
    limit = I32FromString(v, 1);
    order = I32(v, 2);
  } else if (isJsonObject(v)) {
    const f = new Fields(v, true);
    search = f.req('search', str, '');
    limit = f.req('limit', I32FromString, 0);
    order = f.req('order', I32, 0);
  } else {
    return fail('search term: not a tuple');
  }
  return { search, limit: Math.max(limit, 0), order };
};

function requireObject(json: unknown): JsonObject {
  if (!isJsonObject(json)) throw new TypeError('legacy deck JSON is not an object');
  return json;
}

/** Whether DeckSchema11's `dyn` selects a filtered deck: true/false, or a number equal to 1. */
function isDynamic(o: JsonObject): boolean {
  const v = o.dyn;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 && !isFloatLiteral(o, 'dyn');
  return false; // missing/invalid: Anki rejects the deck; we read it as a normal deck
}

/** Converts one entry of `col.decks` (DeckSchema11) to our Deck (name in `::` form). */
export function deckFromLegacy(json: unknown): Deck {
  const o = requireObject(json);
  const dyn = isDynamic(o);
  const f = new Fields(o, false);
  // "dyn" picks the variant (Anki then reads it as a u8); "return" is an obsolete key Anki drops
  f.consume('dyn', 'return');

  const id = f.req('id', I64FromString, 0);
  const mtimeSecs = f.dflt('mod', I64FromString, 0);
  const name = f.req('name', str, '');
  const usn = f.req('usn', I32, 0);
  const zero = { day: 0, amount: 0 };
  const lrn = f.req('lrnToday', todayAmount, zero);
  const rev = f.req('revToday', todayAmount, zero);
  const nw = f.req('newToday', todayAmount, zero);
  const time = f.req('timeToday', todayAmount, zero);
  const studyCollapsed = f.req('collapsed', bool, false);
  const browserCollapsed = f.dflt('browserCollapsed', bool, false);
  const desc = f.dflt('desc', str, '');
  const md = f.dflt('md', bool, false);

  let kind: DeckKind;
  if (dyn) {
    const reschedule = f.req('resched', boolFromAnything, false);
    // a malformed term makes Anki reject the deck; we drop just that term
    const rawTerms = f.req('terms', (h, k) => {
      const v = (h as JsonObject)[k as string];
      return Array.isArray(v) ? v : fail('terms: not an array');
    }, [] as JsonValue[]);
    const searchTerms: FilteredSearchTerm[] = [];
    rawTerms.forEach((_, i) => {
      try {
        searchTerms.push(searchTerm(rawTerms, i));
      } catch {
        /* skipped */
      }
    });
    f.dflt('separate', bool, false); // unused; Anki always writes true
    const filtered: FilteredDeck = {
      reschedule,
      searchTerms,
      delays: f.doi('delays', option(vec(f32)), undefined, true) ?? [],
      previewDelay: f.dflt('previewDelay', U32, 0),
      previewHardSecs: f.dflt('previewHardSecs', U32, 0),
      previewGoodSecs: f.dflt('previewGoodSecs', U32, 0),
      previewAgainSecs: f.dflt('previewAgainSecs', U32, 0),
    };
    // a filtered deck's desc/md are read but not kept (FilteredDeck has no description)
    kind = { filtered };
  } else {
    const normal: NormalDeck = {
      configId: BigInt(f.req('conf', I64FromString, 1)),
      extendNew: Math.max(f.doi('extendNew', I32, 0, true), 0),
      extendReview: Math.max(f.doi('extendRev', I32, 0, true), 0),
      description: desc,
      markdownDescription: md,
    };
    const reviewLimit = f.doi('reviewLimit', option(U32), undefined, true);
    const newLimit = f.doi('newLimit', option(U32), undefined, true);
    const reviewLimitToday = f.doi('reviewLimitToday', option(dayLimit), undefined, true);
    const newLimitToday = f.doi('newLimitToday', option(dayLimit), undefined, true);
    const desiredRetention = f.doi('desiredRetention', option(U32), undefined, true);
    if (reviewLimit !== undefined) normal.reviewLimit = reviewLimit;
    if (newLimit !== undefined) normal.newLimit = newLimit;
    if (reviewLimitToday !== undefined) normal.reviewLimitToday = reviewLimitToday;
    if (newLimitToday !== undefined) normal.newLimitToday = newLimitToday;
    if (desiredRetention !== undefined) normal.desiredRetention = Math.fround(Math.fround(desiredRetention) / 100);
    kind = { normal };
  }

  // The four [day, amount] pairs become one day: amounts from an earlier day than the latest of
  // time/new/rev are reset (lrn's own day does not count towards the latest).
  const maxDay = Math.max(time.day, nw.day, rev.day);
  const common: DeckCommon = {
    studyCollapsed,
    browserCollapsed,
    lastDayStudied: asU32(maxDay),
    newStudied: nw.day === maxDay ? nw.amount : 0,
    reviewStudied: rev.day === maxDay ? rev.amount : 0,
    learningStudied: lrn.day === maxDay ? lrn.amount : 0,
    millisecondsStudied: time.amount,
  };
  const other = otherToBytes(f.rest());
  if (other) common.other = other;

  return { id, name: normalizeHumanDeckName(name), mtimeSecs, usn, common, kind };
}

// ---------------------------------------------------------------------------------------------
// domain → legacy

function dayLimitOut(d: DayLimit | undefined): JsonValue {
  return d === undefined ? null : { limit: d.limit, today: d.today };
}

/** Converts our Deck to Anki's legacy JSON object (key order as Anki writes it). */
export function deckToLegacy(deck: Deck): JsonObject {
  const c = deck.common;
  const day = asI32(c.lastDayStudied);
  const normal = deck.kind.filtered ? undefined : (deck.kind.normal ?? defaultNormal());
  const out: JsonObject = {
    id: deck.id,
    mod: deck.mtimeSecs,
    name: deck.name,
    usn: deck.usn,
    lrnToday: [day, c.learningStudied],
    revToday: [day, c.reviewStudied],
    newToday: [day, c.newStudied],
    timeToday: [day, c.millisecondsStudied],
    collapsed: c.studyCollapsed,
    browserCollapsed: c.browserCollapsed,
    desc: normal ? normal.description : '',
  };
  if (normal?.markdownDescription) out.md = true;
  out.dyn = normal ? 0 : 1;
  // flattened `other` sits here, before the kind-specific keys; a later key of the same name
  // replaces its value, as the last duplicate wins when Anki re-reads such JSON
  Object.assign(out, parseOtherFields(c.other, RESERVED_DECK_KEYS));
  if (normal) {
    out.conf = i64Out(normal.configId);
    out.extendNew = asI32(normal.extendNew);
    out.extendRev = asI32(normal.extendReview);
    out.reviewLimit = normal.reviewLimit ?? null;
    out.newLimit = normal.newLimit ?? null;
    out.reviewLimitToday = dayLimitOut(normal.reviewLimitToday);
    out.newLimitToday = dayLimitOut(normal.newLimitToday);
    out.desiredRetention =
      normal.desiredRetention === undefined
        ? null
        : floatAsUint(Math.fround(Math.fround(normal.desiredRetention) * 100), 4_294_967_295);
  } else {
    const fd = deck.kind.filtered!;
    out.resched = fd.reschedule;
    out.terms = fd.searchTerms.map((t) => [t.search, asI32(t.limit), t.order]);
    out.separate = true;
    out.delays = fd.delays.length === 0 ? null : fd.delays.map(f32Out);
    out.previewDelay = fd.previewDelay;
    out.previewAgainSecs = fd.previewAgainSecs;
    out.previewHardSecs = fd.previewHardSecs;
    out.previewGoodSecs = fd.previewGoodSecs;
  }
  return out;
}

function defaultNormal(): NormalDeck {
  return { configId: 1n, extendNew: 0, extendReview: 0, description: '', markdownDescription: false };
}
