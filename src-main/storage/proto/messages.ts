// Plain TypeScript shapes of the protobuf messages Anki stores in blobs (see
// shared/spec/anki-collection.md §1.3). Field names are the proto names in camelCase.
// int64 values are bigint where they can exceed 2^53 (random ids); proto3 `optional` fields are
// `?:` (undefined = absent, and a present 0 must be written). `other` is field 255 (JSON bytes),
// `unknown` keeps fields this version does not know, so a decode → encode round trip loses nothing.

export interface UnknownField {
  no: number;
  wireType: number;
  data: Uint8Array;
}

interface Extensible {
  other?: Uint8Array;
  unknown?: UnknownField[];
}

export enum NotetypeKind {
  Normal = 0,
  Cloze = 1,
}

export enum OriginalStockKind {
  Unknown = 0,
  Basic = 1,
  BasicAndReversed = 2,
  BasicOptionalReversed = 3,
  BasicTyping = 4,
  Cloze = 5,
  ImageOcclusion = 6,
}

export enum CardRequirementKind {
  None = 0,
  Any = 1,
  All = 2,
}

export interface CardRequirement {
  cardOrd: number;
  kind: CardRequirementKind;
  fieldOrds: number[];
  unknown?: UnknownField[];
}

export interface NotetypeConfig extends Extensible {
  kind: NotetypeKind;
  sortFieldIdx: number;
  css: string;
  targetDeckIdUnused: bigint;
  latexPre: string;
  latexPost: string;
  latexSvg: boolean;
  reqs: CardRequirement[];
  originalStockKind: OriginalStockKind;
  originalId?: bigint;
}

export interface FieldConfig extends Extensible {
  sticky: boolean;
  rtl: boolean;
  fontName: string;
  fontSize: number;
  description: string;
  plainText: boolean;
  collapsed: boolean;
  excludeFromSearch: boolean;
  id?: bigint;
  tag?: number;
  preventDeletion: boolean;
}

export interface TemplateConfig extends Extensible {
  qFormat: string;
  aFormat: string;
  qFormatBrowser: string;
  aFormatBrowser: string;
  targetDeckId: bigint;
  browserFontName: string;
  browserFontSize: number;
  id?: bigint;
}

export interface DeckCommon extends Extensible {
  studyCollapsed: boolean;
  browserCollapsed: boolean;
  lastDayStudied: number;
  newStudied: number;
  reviewStudied: number;
  learningStudied: number;
  millisecondsStudied: number;
}

export interface DayLimit {
  limit: number;
  today: number;
  unknown?: UnknownField[];
}

export interface NormalDeck {
  configId: bigint;
  extendNew: number;
  extendReview: number;
  description: string;
  markdownDescription: boolean;
  reviewLimit?: number;
  newLimit?: number;
  reviewLimitToday?: DayLimit;
  newLimitToday?: DayLimit;
  desiredRetention?: number;
  unknown?: UnknownField[];
}

export enum FilteredSearchOrder {
  OldestReviewedFirst = 0,
  Random = 1,
  IntervalsAscending = 2,
  IntervalsDescending = 3,
  Lapses = 4,
  Added = 5,
  Due = 6,
  ReverseAdded = 7,
  RetrievabilityAscending = 8,
  RetrievabilityDescending = 9,
  RelativeOverdueness = 10,
}

export interface FilteredSearchTerm {
  search: string;
  limit: number;
  order: FilteredSearchOrder;
  unknown?: UnknownField[];
}

export interface FilteredDeck {
  reschedule: boolean;
  searchTerms: FilteredSearchTerm[];
  delays: number[];
  previewDelay: number;
  previewHardSecs: number;
  previewGoodSecs: number;
  previewAgainSecs: number;
  unknown?: UnknownField[];
}

/** Deck.KindContainer: exactly one of normal/filtered is set in a valid deck. */
export interface DeckKind {
  normal?: NormalDeck;
  filtered?: FilteredDeck;
  unknown?: UnknownField[];
}

export interface DeckConfigConfig extends Extensible {
  learnSteps: number[];
  relearnSteps: number[];
  fsrsParams4: number[];
  fsrsParams5: number[];
  fsrsParams6: number[];
  easyDaysPercentages: number[];
  newPerDay: number;
  reviewsPerDay: number;
  newPerDayMinimum: number;
  initialEase: number;
  easyMultiplier: number;
  hardMultiplier: number;
  lapseMultiplier: number;
  intervalMultiplier: number;
  maximumReviewInterval: number;
  minimumLapseInterval: number;
  graduatingIntervalGood: number;
  graduatingIntervalEasy: number;
  newCardInsertOrder: number;
  newCardGatherPriority: number;
  newCardSortOrder: number;
  newMix: number;
  reviewOrder: number;
  interdayLearningMix: number;
  leechAction: number;
  leechThreshold: number;
  disableAutoplay: boolean;
  capAnswerTimeToSecs: number;
  showTimer: boolean;
  stopTimerOnAnswer: boolean;
  secondsToShowQuestion: number;
  secondsToShowAnswer: number;
  questionAction: number;
  answerAction: number;
  waitForAudio: boolean;
  skipQuestionWhenReplayingAnswer: boolean;
  buryNew: boolean;
  buryReviews: boolean;
  buryInterdayLearning: boolean;
  desiredRetention: number;
  ignoreRevlogsBeforeDate: string;
  historicalRetention: number;
  paramSearch: string;
}

/** PackageMetadata.Version */
export enum PackageVersion {
  Unknown = 0,
  /** no `meta`, `collection.anki2` */
  Legacy1 = 1,
  /** `collection.anki21` */
  Legacy2 = 2,
  /** `collection.anki21b` (zstd) + protobuf media list */
  Latest = 3,
}

export interface PackageMetadata {
  version: number;
  unknown?: UnknownField[];
}

export interface MediaEntry {
  name: string;
  size: number;
  sha1: Uint8Array;
  legacyZipFilename?: number;
  unknown?: UnknownField[];
}

/** The zstd-compressed `media` entry of a latest-format package. */
export interface MediaEntries {
  entries: MediaEntry[];
  unknown?: UnknownField[];
}
