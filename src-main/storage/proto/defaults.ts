// Values Anki uses for new objects (not the proto3 zero values a decoder yields for absent fields).
// Checked against Anki's rslib (deckconfig/mod.rs DeckConfig::default, decks/mod.rs
// Deck::new_normal, decks/filtered.rs Deck::new_filtered, notetype/fields.rs NoteField::new,
// notetype/templates.rs CardTemplate::new, notetype/mod.rs Notetype::new_config).
// Float fields hold float32-rounded numbers, so decode(encode(default)) deep-equals default.

import type {
  DeckCommon,
  DeckConfigConfig,
  FieldConfig,
  FilteredDeck,
  MediaEntries,
  NormalDeck,
  NotetypeConfig,
  PackageMetadata,
  TemplateConfig,
} from './messages';
import {
  FilteredSearchOrder,
  NotetypeKind,
  OriginalStockKind,
  PackageVersion,
} from './messages';

const f32 = Math.fround;

/** A random signed 64-bit id, as Anki assigns to new fields and templates (`rand::random::<i64>()`). */
export function randomConfigId(): bigint {
  const a = new BigInt64Array(1);
  globalThis.crypto.getRandomValues(a);
  return a[0];
}

/**
 * Anki's `DeckConfig::default()` inner config (used for deck config id 1 and as the base of new
 * presets). Steps in minutes.
 */
export function defaultDeckConfigConfig(): DeckConfigConfig {
  return {
    ...deckConfigBase(),
    learnSteps: [1, 10],
    relearnSteps: [10],
    easyDaysPercentages: [1, 1, 1, 1, 1, 1, 1],
  };
}

/** Anki's DEFAULT_DECK_CONFIG_INNER: like the default but with no steps and no easy days. */
function deckConfigBase(): DeckConfigConfig {
  return {
    learnSteps: [],
    relearnSteps: [],
    fsrsParams4: [],
    fsrsParams5: [],
    fsrsParams6: [],
    easyDaysPercentages: [],
    newPerDay: 20,
    reviewsPerDay: 200,
    newPerDayMinimum: 0,
    initialEase: f32(2.5),
    easyMultiplier: f32(1.3),
    hardMultiplier: f32(1.2),
    lapseMultiplier: 0,
    intervalMultiplier: f32(1.0),
    maximumReviewInterval: 36_500,
    minimumLapseInterval: 1,
    graduatingIntervalGood: 1,
    graduatingIntervalEasy: 4,
    newCardInsertOrder: 0, // DUE
    newCardGatherPriority: 0, // DECK
    newCardSortOrder: 0, // TEMPLATE
    newMix: 0, // MIX_WITH_REVIEWS
    reviewOrder: 0, // DAY
    interdayLearningMix: 0, // MIX_WITH_REVIEWS
    leechAction: 1, // TAG_ONLY
    leechThreshold: 8,
    disableAutoplay: false,
    capAnswerTimeToSecs: 60,
    showTimer: false,
    stopTimerOnAnswer: false,
    secondsToShowQuestion: 0,
    secondsToShowAnswer: 0,
    questionAction: 0, // SHOW_ANSWER
    answerAction: 0, // BURY_CARD
    waitForAudio: true,
    skipQuestionWhenReplayingAnswer: false,
    buryNew: false,
    buryReviews: false,
    buryInterdayLearning: false,
    desiredRetention: f32(0.9),
    ignoreRevlogsBeforeDate: '',
    historicalRetention: f32(0.9),
    paramSearch: '',
  };
}

function ensureU32(config: DeckConfigConfig, key: U32Keys, min: number, max: number): void {
  const v = config[key];
  if (v < min || v > max) config[key] = deckConfigBase()[key];
}

function ensureF32(config: DeckConfigConfig, key: F32Keys, min: number, max: number): void {
  const v = config[key];
  if (Number.isNaN(v) || v < f32(min) || v > f32(max)) config[key] = deckConfigBase()[key];
}

type U32Keys =
  | 'newPerDay'
  | 'reviewsPerDay'
  | 'newPerDayMinimum'
  | 'maximumReviewInterval'
  | 'minimumLapseInterval'
  | 'graduatingIntervalGood'
  | 'graduatingIntervalEasy'
  | 'leechThreshold'
  | 'capAnswerTimeToSecs';
type F32Keys =
  | 'initialEase'
  | 'easyMultiplier'
  | 'hardMultiplier'
  | 'lapseMultiplier'
  | 'intervalMultiplier'
  | 'desiredRetention'
  | 'historicalRetention';

/**
 * What Anki does to every deck config it reads from the DB (`ensure_deck_config_values_valid`,
 * applied by all storage getters except the schema-16 upgrade): out-of-range or NaN values are
 * replaced with the defaults. Mutates and returns `config`.
 */
export function ensureDeckConfigValuesValid(config: DeckConfigConfig): DeckConfigConfig {
  ensureU32(config, 'newPerDay', 0, 9999);
  ensureU32(config, 'reviewsPerDay', 0, 9999);
  ensureU32(config, 'newPerDayMinimum', 0, 9999);
  ensureF32(config, 'initialEase', 1.31, 5.0);
  ensureF32(config, 'easyMultiplier', 1.0, 5.0);
  ensureF32(config, 'hardMultiplier', 0.5, 1.3);
  ensureF32(config, 'lapseMultiplier', 0.0, 1.0);
  ensureF32(config, 'intervalMultiplier', 0.5, 2.0);
  ensureU32(config, 'maximumReviewInterval', 1, 36_500);
  ensureU32(config, 'minimumLapseInterval', 1, 36_500);
  ensureU32(config, 'graduatingIntervalGood', 1, 36_500);
  ensureU32(config, 'graduatingIntervalEasy', 1, 36_500);
  ensureU32(config, 'leechThreshold', 1, 9999);
  ensureU32(config, 'capAnswerTimeToSecs', 1, 9999);
  ensureF32(config, 'desiredRetention', 0.7, 0.99);
  ensureF32(config, 'historicalRetention', 0.7, 0.97);
  return config;
}

/** `NoteField::new()` config without the random id (add `id: randomConfigId()` for a new field). */
export function defaultFieldConfig(): FieldConfig {
  return {
    sticky: false,
    rtl: false,
    fontName: 'Arial',
    fontSize: 20,
    description: '',
    plainText: false,
    collapsed: false,
    excludeFromSearch: false,
    preventDeletion: false,
  };
}

/** `CardTemplate::new()` config without the random id (add `id: randomConfigId()`). */
export function defaultTemplateConfig(qFormat = '', aFormat = ''): TemplateConfig {
  return {
    qFormat,
    aFormat,
    qFormatBrowser: '',
    aFormatBrowser: '',
    targetDeckId: 0n,
    browserFontName: '',
    browserFontSize: 0,
  };
}

/** Common part of a new deck (normal or filtered): both collapsed flags true → blob `08 01 10 01`. */
export function defaultDeckCommon(): DeckCommon {
  return {
    studyCollapsed: true,
    browserCollapsed: true,
    lastDayStudied: 0,
    newStudied: 0,
    reviewStudied: 0,
    learningStudied: 0,
    millisecondsStudied: 0,
  };
}

/** `Deck::new_normal()` kind: config 1, everything else zero → KindContainer blob `0a 02 08 01`. */
export function defaultNormalDeck(): NormalDeck {
  return { configId: 1n, extendNew: 0, extendReview: 0, description: '', markdownDescription: false };
}

/** `Deck::new_filtered()` kind: reschedule, ("", 100, random) + ("", 20, due), again 60 s, hard 600 s. */
export function defaultFilteredDeck(): FilteredDeck {
  return {
    reschedule: true,
    searchTerms: [
      { search: '', limit: 100, order: FilteredSearchOrder.Random },
      { search: '', limit: 20, order: FilteredSearchOrder.Due },
    ],
    delays: [],
    previewDelay: 0,
    previewHardSecs: 600,
    previewGoodSecs: 0,
    previewAgainSecs: 60,
  };
}

/** rslib/src/notetype/styling.css (current main; 25.06 added `line-height: 1.5`). */
export const DEFAULT_CSS =
  '.card {\n    font-family: arial;\n    font-size: 20px;\n    line-height: 1.5;\n    text-align: center;\n' +
  '    color: black;\n    background-color: white;\n}\n';
/** appended to DEFAULT_CSS for cloze notetypes */
export const DEFAULT_CLOZE_CSS =
  '.cloze {\n    font-weight: bold;\n    color: blue;\n}\n.nightMode .cloze {\n    color: lightblue;\n}\n';
export const DEFAULT_LATEX_HEADER =
  '\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n' +
  '\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n';
export const DEFAULT_LATEX_FOOTER = '\\end{document}';

/** `Notetype::new_config()`: default CSS and LaTeX, kind normal, no reqs, stock kind unknown. */
export function defaultNotetypeConfig(): NotetypeConfig {
  return {
    kind: NotetypeKind.Normal,
    sortFieldIdx: 0,
    css: DEFAULT_CSS,
    targetDeckIdUnused: 0n,
    latexPre: DEFAULT_LATEX_HEADER,
    latexPost: DEFAULT_LATEX_FOOTER,
    latexSvg: false,
    reqs: [],
    originalStockKind: OriginalStockKind.Unknown,
  };
}

/** `Notetype::new_cloze_config()` */
export function defaultClozeNotetypeConfig(): NotetypeConfig {
  const c = defaultNotetypeConfig();
  c.css += DEFAULT_CLOZE_CSS;
  c.kind = NotetypeKind.Cloze;
  return c;
}

/** What Anki writes as `meta` in a latest-format package (bytes `08 03`). */
export function defaultPackageMetadata(): PackageMetadata {
  return { version: PackageVersion.Latest };
}

export function defaultMediaEntries(): MediaEntries {
  return { entries: [] };
}
