// DeckConfig ⇄ legacy (schema-11) JSON ("dconf"), following Anki's
// rslib/src/deckconfig/schema11.rs (DeckConfSchema11 with its new/rev/lapse blocks).

import type { DeckConfig } from '../../decks/deck-config';
import type { DeckConfigConfig } from '../proto/messages';
import { type JsonObject, type JsonValue, isJsonObject, otherToBytes, parseLegacyJson } from './json';
import {
  Fields,
  I32,
  I64FromString,
  U16,
  U32,
  U8,
  asI32,
  asU16,
  bool,
  f32,
  f32Out,
  floatAsUint,
  int,
  object,
  str,
  vec,
  type Reader,
} from './serde';

const RESERVED_DECKCONF_KEYS = new Set([
  'id',
  'newSortOrder',
  'replayq',
  'newPerDayMinimum',
  'usn',
  'autoplay',
  'dyn',
  'maxTaken',
  'reviewOrder',
  'buryInterdayLearning',
  'newMix',
  'mod',
  'timer',
  'name',
  'interdayLearningMix',
  'newGatherPriority',
  'fsrsWeights',
  'fsrsParams5',
  'fsrsParams6',
  'desiredRetention',
  'stopTimerOnAnswer',
  'secondsToShowQuestion',
  'secondsToShowAnswer',
  'questionAction',
  'answerAction',
  'waitForAudio',
  'sm2Retention',
  'weightSearch',
  'ignoreRevlogsBeforeDate',
  'easyDaysPercentages',
]);
const RESERVED_NEW_KEYS = new Set(['order', 'delays', 'bury', 'perDay', 'initialFactor', 'ints']);
const RESERVED_REV_KEYS = new Set(['maxIvl', 'hardFactor', 'ease4', 'ivlFct', 'perDay', 'bury']);
const RESERVED_LAPSE_KEYS = new Set(['leechFails', 'mult', 'leechAction', 'delays', 'minInt']);

const f32v = (x: number): number => Math.fround(x);

// ---------------------------------------------------------------------------------------------
// the three sub-blocks. Each is `default_on_invalid` in DeckConfSchema11: if anything inside is
// missing or of the wrong type, serde replaces the *whole* block by its Default (losing its extra
// keys too), so these parse strictly and the caller substitutes the default.

interface NewConf {
  bury: boolean;
  delays: number[];
  initialFactor: number;
  good: number;
  easy: number;
  /** NewCardOrderSchema11: 0 random, 1 due */
  order: number;
  perDay: number;
  other: JsonObject;
}
interface RevConf {
  bury: boolean;
  ease4: number;
  ivlFct: number;
  maxIvl: number;
  perDay: number;
  hardFactor: number;
  other: JsonObject;
}
interface LapseConf {
  delays: number[];
  /** 0 suspend, 1 tag only */
  leechAction: number;
  leechFails: number;
  minInt: number;
  mult: number;
  other: JsonObject;
}

const defaultNew = (): NewConf => ({
  bury: false,
  delays: [1, 10],
  initialFactor: 2500,
  good: 1,
  easy: 4,
  order: 1,
  perDay: 20,
  other: {},
});
const defaultRev = (): RevConf => ({
  bury: false,
  ease4: f32v(1.3),
  ivlFct: 1,
  maxIvl: 36_500,
  perDay: 200,
  hardFactor: f32v(1.2),
  other: {},
});
const defaultLapse = (): LapseConf => ({ delays: [10], leechAction: 1, leechFails: 8, minInt: 1, mult: 0, other: {} });

/** deserialize_new_intervals: an array of ≥ 2 u16 → [good, easy]; anything else → [1, 4]. */
const newIntervals: Reader<[number, number]> = (h, k) => {
  try {
    const vals = vec(U16)(h, k);
    if (vals.length >= 2) return [vals[0], vals[1]];
  } catch {
    /* default */
  }
  return [1, 4];
};

function parseNew(o: JsonObject): NewConf {
  const f = new Fields(o, true);
  const bury = f.dflt('bury', bool, false);
  const delays = f.doi('delays', vec(f32), [], false);
  const initialFactor = f.req('initialFactor', U16, 2500);
  const [good, easy] = f.req('ints', newIntervals, [1, 4]);
  const order = f.doi('order', int(0, 1), 1, false);
  const perDay = f.doi('perDay', U32, 0, false);
  return { bury, delays, initialFactor, good, easy, order, perDay, other: f.rest() };
}

function parseRev(o: JsonObject): RevConf {
  const f = new Fields(o, true);
  return {
    bury: f.dflt('bury', bool, false),
    ease4: f.req('ease4', f32, 0),
    ivlFct: f.req('ivlFct', f32, 0),
    maxIvl: f.req('maxIvl', U32, 0),
    perDay: f.doi('perDay', U32, 0, false),
    hardFactor: f.dflt('hardFactor', f32, f32v(1.2)),
    other: f.rest(),
  };
}

function parseLapse(o: JsonObject): LapseConf {
  const f = new Fields(o, true);
  return {
    delays: f.doi('delays', vec(f32), [], false),
    leechAction: f.doi('leechAction', int(0, 1), 1, false),
    leechFails: f.req('leechFails', U32, 0),
    minInt: f.req('minInt', U32, 0),
    mult: f.req('mult', f32, 0),
    other: f.rest(),
  };
}

// ---------------------------------------------------------------------------------------------
// legacy → domain

/** Converts one entry of `col.dconf` (DeckConfSchema11) to our DeckConfig. */
export function deckConfigFromLegacy(json: unknown): DeckConfig {
  if (!isJsonObject(json)) throw new TypeError('legacy deck config JSON is not an object');
  const f = new Fields(json, false);
  const id = f.req('id', I64FromString, 0);
  const mtimeSecs = f.req('mod', I64FromString, 0);
  const name = f.req('name', str, '');
  const usn = f.req('usn', I32, 0);
  const maxTaken = f.req('maxTaken', I32, 60);
  const autoplay = f.req('autoplay', bool, true);
  const timer = f.doi('timer', U8, 0, false);
  const replayq = f.dflt('replayq', bool, false);
  const nw = f.doi('new', object(parseNew), defaultNew(), false);
  const rev = f.doi('rev', object(parseRev), defaultRev(), false);
  const lapse = f.doi('lapse', object(parseLapse), defaultLapse(), false);
  f.doi('dyn', bool, false, true);

  const config: DeckConfigConfig = {
    learnSteps: nw.delays,
    relearnSteps: lapse.delays,
    fsrsParams4: [],
    fsrsParams5: [],
    fsrsParams6: [],
    easyDaysPercentages: [],
    newPerDay: nw.perDay,
    reviewsPerDay: rev.perDay,
    newPerDayMinimum: f.dflt('newPerDayMinimum', U32, 0),
    initialEase: f32v(f32v(nw.initialFactor) / 1000),
    easyMultiplier: rev.ease4,
    hardMultiplier: rev.hardFactor,
    lapseMultiplier: lapse.mult,
    intervalMultiplier: rev.ivlFct,
    maximumReviewInterval: rev.maxIvl,
    minimumLapseInterval: lapse.minInt,
    graduatingIntervalGood: nw.good,
    graduatingIntervalEasy: nw.easy,
    // schema 11 order 0 = random, 1 = due; NewCardInsertOrder 0 = due, 1 = random
    newCardInsertOrder: nw.order === 0 ? 1 : 0,
    newMix: f.dflt('newMix', I32, 0),
    interdayLearningMix: f.dflt('interdayLearningMix', I32, 0),
    reviewOrder: f.dflt('reviewOrder', I32, 0),
    newCardSortOrder: f.dflt('newSortOrder', I32, 0),
    newCardGatherPriority: f.dflt('newGatherPriority', I32, 0),
    leechAction: lapse.leechAction,
    leechThreshold: lapse.leechFails,
    disableAutoplay: !autoplay,
    capAnswerTimeToSecs: Math.max(maxTaken, 0),
    showTimer: timer !== 0,
    stopTimerOnAnswer: false,
    secondsToShowQuestion: 0,
    secondsToShowAnswer: 0,
    questionAction: 0,
    answerAction: 0,
    waitForAudio: true,
    skipQuestionWhenReplayingAnswer: !replayq,
    buryNew: nw.bury,
    buryReviews: rev.bury,
    buryInterdayLearning: f.dflt('buryInterdayLearning', bool, false),
    desiredRetention: 0,
    ignoreRevlogsBeforeDate: '',
    historicalRetention: 0,
    paramSearch: '',
  };
  config.fsrsParams4 = f.dflt('fsrsWeights', vec(f32), []);
  config.fsrsParams5 = f.dflt('fsrsParams5', vec(f32), []);
  config.fsrsParams6 = f.dflt('fsrsParams6', vec(f32), []);
  // absent in pre-FSRS files → 0.0 (not 0.9); Anki's DB readers then replace it via
  // ensureDeckConfigValuesValid (storage/proto/defaults.ts)
  config.desiredRetention = f.dflt('desiredRetention', f32, 0);
  config.ignoreRevlogsBeforeDate = f.dflt('ignoreRevlogsBeforeDate', str, '');
  config.easyDaysPercentages = f.dflt('easyDaysPercentages', vec(f32), []);
  config.stopTimerOnAnswer = f.dflt('stopTimerOnAnswer', bool, false);
  config.secondsToShowQuestion = f.dflt('secondsToShowQuestion', f32, 0);
  config.secondsToShowAnswer = f.dflt('secondsToShowAnswer', f32, 0);
  config.questionAction = f.dflt('questionAction', int(0, 1), 0);
  config.answerAction = f.dflt('answerAction', int(0, 4), 0);
  config.waitForAudio = f.dflt('waitForAudio', bool, true);
  config.historicalRetention = f.dflt('sm2Retention', f32, 0);
  config.paramSearch = f.dflt('weightSearch', str, '');

  // extra keys of new/rev/lapse are kept under those names in the top-level `other`
  const other = f.rest();
  if (Object.keys(nw.other).length > 0) other.new = nw.other;
  if (Object.keys(rev.other).length > 0) other.rev = rev.other;
  if (Object.keys(lapse.other).length > 0) other.lapse = lapse.other;
  const otherBytes = otherToBytes(other);
  if (otherBytes) config.other = otherBytes;

  return { id, name, mtimeSecs, usn, config };
}

// ---------------------------------------------------------------------------------------------
// domain → legacy

function subMap(v: JsonValue | undefined, reserved: ReadonlySet<string>): JsonObject {
  const out: JsonObject = {};
  if (!isJsonObject(v)) return out;
  for (const [k, item] of Object.entries(v)) if (!reserved.has(k)) out[k] = item;
  return out;
}

/** Converts our DeckConfig to Anki's legacy JSON object (key order as Anki writes it). */
export function deckConfigToLegacy(dc: DeckConfig): JsonObject {
  const c = dc.config;
  let top: JsonObject = {};
  let newOther: JsonObject = {};
  let revOther: JsonObject = {};
  let lapseOther: JsonObject = {};
  if (c.other && c.other.length > 0) {
    try {
      const parsed = parseLegacyJson(new TextDecoder().decode(c.other));
      if (isJsonObject(parsed)) top = { ...parsed };
    } catch {
      top = {};
    }
    if ('new' in top) newOther = subMap(top.new, RESERVED_NEW_KEYS);
    if ('rev' in top) revOther = subMap(top.rev, RESERVED_REV_KEYS);
    if ('lapse' in top) lapseOther = subMap(top.lapse, RESERVED_LAPSE_KEYS);
    delete top.new;
    delete top.rev;
    delete top.lapse;
    top = subMap(top, RESERVED_DECKCONF_KEYS);
  }
  const answerAction = c.answerAction >= 1 && c.answerAction <= 4 ? c.answerAction : 0;
  return {
    id: dc.id,
    mod: dc.mtimeSecs,
    name: dc.name,
    usn: dc.usn,
    maxTaken: asI32(c.capAnswerTimeToSecs),
    autoplay: !c.disableAutoplay,
    timer: c.showTimer ? 1 : 0,
    replayq: !c.skipQuestionWhenReplayingAnswer,
    new: {
      bury: c.buryNew,
      delays: c.learnSteps.map(f32Out),
      initialFactor: floatAsUint(f32v(f32v(c.initialEase) * 1000), 65_535),
      ints: [asU16(c.graduatingIntervalGood), asU16(c.graduatingIntervalEasy), 0],
      order: c.newCardInsertOrder === 1 ? 0 : 1,
      perDay: c.newPerDay,
      ...newOther,
    },
    rev: {
      bury: c.buryReviews,
      ease4: f32Out(c.easyMultiplier),
      ivlFct: f32Out(c.intervalMultiplier),
      maxIvl: c.maximumReviewInterval,
      perDay: c.reviewsPerDay,
      hardFactor: f32Out(c.hardMultiplier),
      ...revOther,
    },
    lapse: {
      delays: c.relearnSteps.map(f32Out),
      leechAction: c.leechAction === 1 ? 1 : 0,
      leechFails: c.leechThreshold,
      minInt: c.minimumLapseInterval,
      mult: f32Out(c.lapseMultiplier),
      ...lapseOther,
    },
    dyn: false,
    newMix: c.newMix,
    newPerDayMinimum: c.newPerDayMinimum,
    interdayLearningMix: c.interdayLearningMix,
    reviewOrder: c.reviewOrder,
    newSortOrder: c.newCardSortOrder,
    newGatherPriority: c.newCardGatherPriority,
    buryInterdayLearning: c.buryInterdayLearning,
    fsrsWeights: c.fsrsParams4.map(f32Out),
    fsrsParams5: c.fsrsParams5.map(f32Out),
    fsrsParams6: c.fsrsParams6.map(f32Out),
    desiredRetention: f32Out(c.desiredRetention),
    ignoreRevlogsBeforeDate: c.ignoreRevlogsBeforeDate,
    easyDaysPercentages: c.easyDaysPercentages.map(f32Out),
    stopTimerOnAnswer: c.stopTimerOnAnswer,
    secondsToShowQuestion: f32Out(c.secondsToShowQuestion),
    secondsToShowAnswer: f32Out(c.secondsToShowAnswer),
    questionAction: c.questionAction === 1 ? 1 : 0,
    answerAction,
    waitForAudio: c.waitForAudio,
    sm2Retention: f32Out(c.historicalRetention),
    weightSearch: c.paramSearch,
    ...top,
  };
}
