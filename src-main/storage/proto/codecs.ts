// Encoders/decoders for the protobuf messages Anki stores in collection blobs and packages
// (shared/spec/anki-collection.md §1.3). Field tables are listed in tag order, which is the order
// prost writes (see wire.ts for why we do not use generated code).
//
// decodeX() yields proto3 zero values for absent fields (what Anki's prost decoder yields too);
// defaultX() yields the values Anki uses for a *new* object, which differ (e.g. font "Arial").

import type {
  CardRequirement,
  DayLimit,
  DeckCommon,
  DeckConfigConfig,
  DeckKind,
  FieldConfig,
  FilteredDeck,
  FilteredSearchTerm,
  MediaEntries,
  MediaEntry,
  NormalDeck,
  NotetypeConfig,
  PackageMetadata,
  TemplateConfig,
} from './messages';
import { type FieldSpec, type MessageSpec, type ScalarKind, defineMessage, decodeMessage, encodeMessage } from './wire';

export { defaultDeckConfigConfig, defaultFieldConfig, defaultTemplateConfig, defaultDeckCommon } from './defaults';
export { defaultNormalDeck, defaultFilteredDeck, defaultNotetypeConfig, defaultClozeNotetypeConfig } from './defaults';
export { defaultPackageMetadata, defaultMediaEntries, ensureDeckConfigValuesValid } from './defaults';
export { randomConfigId, DEFAULT_CSS, DEFAULT_CLOZE_CSS, DEFAULT_LATEX_HEADER, DEFAULT_LATEX_FOOTER } from './defaults';

// small helpers to keep the tables readable
function s<K extends string>(no: number, key: K, kind: ScalarKind): FieldSpec<K> {
  return { no, key, kind, label: 'implicit' };
}
function opt<K extends string>(no: number, key: K, kind: ScalarKind): FieldSpec<K> {
  return { no, key, kind, label: 'optional' };
}
function rep<K extends string>(no: number, key: K, kind: ScalarKind): FieldSpec<K> {
  return { no, key, kind, label: 'repeated' };
}
function msg<K extends string>(no: number, key: K, message: MessageSpec<object>, oneof?: string): FieldSpec<K> {
  return { no, key, kind: 'message', label: 'singular', message, oneof };
}
function repMsg<K extends string>(no: number, key: K, message: MessageSpec<object>): FieldSpec<K> {
  return { no, key, kind: 'message', label: 'repeated', message };
}
const OTHER = 255;

// ---------------------------------------------------------------------------------------------
// anki.notetypes.Notetype.Config (notetypes.config)

export const CardRequirementSpec = defineMessage<CardRequirement>(
  'Notetype.Config.CardRequirement',
  () => ({ cardOrd: 0, kind: 0, fieldOrds: [] }),
  [s(1, 'cardOrd', 'uint32'), s(2, 'kind', 'enum'), rep(3, 'fieldOrds', 'uint32')],
);

export const NotetypeConfigSpec = defineMessage<NotetypeConfig>(
  'Notetype.Config',
  () => ({
    kind: 0,
    sortFieldIdx: 0,
    css: '',
    targetDeckIdUnused: 0n,
    latexPre: '',
    latexPost: '',
    latexSvg: false,
    reqs: [],
    originalStockKind: 0,
  }),
  [
    s(1, 'kind', 'enum'),
    s(2, 'sortFieldIdx', 'uint32'),
    s(3, 'css', 'string'),
    s(4, 'targetDeckIdUnused', 'int64'),
    s(5, 'latexPre', 'string'),
    s(6, 'latexPost', 'string'),
    s(7, 'latexSvg', 'bool'),
    repMsg(8, 'reqs', CardRequirementSpec as MessageSpec<object>),
    s(9, 'originalStockKind', 'enum'),
    opt(10, 'originalId', 'int64'),
    s(OTHER, 'other', 'bytes'),
  ],
);

// anki.notetypes.Notetype.Field.Config (fields.config)
export const FieldConfigSpec = defineMessage<FieldConfig>(
  'Notetype.Field.Config',
  () => ({
    sticky: false,
    rtl: false,
    fontName: '',
    fontSize: 0,
    description: '',
    plainText: false,
    collapsed: false,
    excludeFromSearch: false,
    preventDeletion: false,
  }),
  [
    s(1, 'sticky', 'bool'),
    s(2, 'rtl', 'bool'),
    s(3, 'fontName', 'string'),
    s(4, 'fontSize', 'uint32'),
    s(5, 'description', 'string'),
    s(6, 'plainText', 'bool'),
    s(7, 'collapsed', 'bool'),
    s(8, 'excludeFromSearch', 'bool'),
    opt(9, 'id', 'int64'),
    opt(10, 'tag', 'uint32'),
    s(11, 'preventDeletion', 'bool'),
    s(OTHER, 'other', 'bytes'),
  ],
);

// anki.notetypes.Notetype.Template.Config (templates.config)
export const TemplateConfigSpec = defineMessage<TemplateConfig>(
  'Notetype.Template.Config',
  () => ({
    qFormat: '',
    aFormat: '',
    qFormatBrowser: '',
    aFormatBrowser: '',
    targetDeckId: 0n,
    browserFontName: '',
    browserFontSize: 0,
  }),
  [
    s(1, 'qFormat', 'string'),
    s(2, 'aFormat', 'string'),
    s(3, 'qFormatBrowser', 'string'),
    s(4, 'aFormatBrowser', 'string'),
    s(5, 'targetDeckId', 'int64'),
    s(6, 'browserFontName', 'string'),
    s(7, 'browserFontSize', 'uint32'),
    opt(8, 'id', 'int64'),
    s(OTHER, 'other', 'bytes'),
  ],
);

// ---------------------------------------------------------------------------------------------
// anki.decks.Deck.Common (decks.common)

export const DeckCommonSpec = defineMessage<DeckCommon>(
  'Deck.Common',
  () => ({
    studyCollapsed: false,
    browserCollapsed: false,
    lastDayStudied: 0,
    newStudied: 0,
    reviewStudied: 0,
    learningStudied: 0,
    millisecondsStudied: 0,
  }),
  [
    s(1, 'studyCollapsed', 'bool'),
    s(2, 'browserCollapsed', 'bool'),
    s(3, 'lastDayStudied', 'uint32'),
    s(4, 'newStudied', 'int32'),
    s(5, 'reviewStudied', 'int32'),
    s(6, 'learningStudied', 'int32'),
    s(7, 'millisecondsStudied', 'int32'),
    s(OTHER, 'other', 'bytes'),
  ],
);

// anki.decks.Deck.Normal.DayLimit
export const DayLimitSpec = defineMessage<DayLimit>('Deck.Normal.DayLimit', () => ({ limit: 0, today: 0 }), [
  s(1, 'limit', 'uint32'),
  s(2, 'today', 'uint32'),
]);

// anki.decks.Deck.Normal
export const NormalDeckSpec = defineMessage<NormalDeck>(
  'Deck.Normal',
  () => ({ configId: 0n, extendNew: 0, extendReview: 0, description: '', markdownDescription: false }),
  [
    s(1, 'configId', 'int64'),
    s(2, 'extendNew', 'uint32'),
    s(3, 'extendReview', 'uint32'),
    s(4, 'description', 'string'),
    s(5, 'markdownDescription', 'bool'),
    opt(6, 'reviewLimit', 'uint32'),
    opt(7, 'newLimit', 'uint32'),
    msg(8, 'reviewLimitToday', DayLimitSpec as MessageSpec<object>),
    msg(9, 'newLimitToday', DayLimitSpec as MessageSpec<object>),
    opt(10, 'desiredRetention', 'float'),
  ],
);

// anki.decks.Deck.Filtered.SearchTerm
export const FilteredSearchTermSpec = defineMessage<FilteredSearchTerm>(
  'Deck.Filtered.SearchTerm',
  () => ({ search: '', limit: 0, order: 0 }),
  [s(1, 'search', 'string'), s(2, 'limit', 'uint32'), s(3, 'order', 'enum')],
);

// anki.decks.Deck.Filtered
export const FilteredDeckSpec = defineMessage<FilteredDeck>(
  'Deck.Filtered',
  () => ({
    reschedule: false,
    searchTerms: [],
    delays: [],
    previewDelay: 0,
    previewHardSecs: 0,
    previewGoodSecs: 0,
    previewAgainSecs: 0,
  }),
  [
    s(1, 'reschedule', 'bool'),
    repMsg(2, 'searchTerms', FilteredSearchTermSpec as MessageSpec<object>),
    rep(3, 'delays', 'float'),
    s(4, 'previewDelay', 'uint32'),
    s(5, 'previewHardSecs', 'uint32'),
    s(6, 'previewGoodSecs', 'uint32'),
    s(7, 'previewAgainSecs', 'uint32'),
  ],
);

// anki.decks.Deck.KindContainer (decks.kind): oneof kind { normal = 1; filtered = 2 }
export const DeckKindSpec = defineMessage<DeckKind>('Deck.KindContainer', () => ({}), [
  msg(1, 'normal', NormalDeckSpec as MessageSpec<object>, 'kind'),
  msg(2, 'filtered', FilteredDeckSpec as MessageSpec<object>, 'kind'),
]);

// ---------------------------------------------------------------------------------------------
// anki.deck_config.DeckConfig.Config (deck_config.config). The .proto declares these fields in
// a non-numeric order; prost writes them by tag number, which is the order below.

export const DeckConfigConfigSpec = defineMessage<DeckConfigConfig>(
  'DeckConfig.Config',
  () => ({
    learnSteps: [],
    relearnSteps: [],
    fsrsParams4: [],
    fsrsParams5: [],
    fsrsParams6: [],
    easyDaysPercentages: [],
    newPerDay: 0,
    reviewsPerDay: 0,
    newPerDayMinimum: 0,
    initialEase: 0,
    easyMultiplier: 0,
    hardMultiplier: 0,
    lapseMultiplier: 0,
    intervalMultiplier: 0,
    maximumReviewInterval: 0,
    minimumLapseInterval: 0,
    graduatingIntervalGood: 0,
    graduatingIntervalEasy: 0,
    newCardInsertOrder: 0,
    newCardGatherPriority: 0,
    newCardSortOrder: 0,
    newMix: 0,
    reviewOrder: 0,
    interdayLearningMix: 0,
    leechAction: 0,
    leechThreshold: 0,
    disableAutoplay: false,
    capAnswerTimeToSecs: 0,
    showTimer: false,
    stopTimerOnAnswer: false,
    secondsToShowQuestion: 0,
    secondsToShowAnswer: 0,
    questionAction: 0,
    answerAction: 0,
    waitForAudio: false,
    skipQuestionWhenReplayingAnswer: false,
    buryNew: false,
    buryReviews: false,
    buryInterdayLearning: false,
    desiredRetention: 0,
    ignoreRevlogsBeforeDate: '',
    historicalRetention: 0,
    paramSearch: '',
  }),
  [
    rep(1, 'learnSteps', 'float'),
    rep(2, 'relearnSteps', 'float'),
    rep(3, 'fsrsParams4', 'float'),
    rep(4, 'easyDaysPercentages', 'float'),
    rep(5, 'fsrsParams5', 'float'),
    rep(6, 'fsrsParams6', 'float'),
    // 7, 8 reserved
    s(9, 'newPerDay', 'uint32'),
    s(10, 'reviewsPerDay', 'uint32'),
    s(11, 'initialEase', 'float'),
    s(12, 'easyMultiplier', 'float'),
    s(13, 'hardMultiplier', 'float'),
    s(14, 'lapseMultiplier', 'float'),
    s(15, 'intervalMultiplier', 'float'),
    s(16, 'maximumReviewInterval', 'uint32'),
    s(17, 'minimumLapseInterval', 'uint32'),
    s(18, 'graduatingIntervalGood', 'uint32'),
    s(19, 'graduatingIntervalEasy', 'uint32'),
    s(20, 'newCardInsertOrder', 'enum'),
    s(21, 'leechAction', 'enum'),
    s(22, 'leechThreshold', 'uint32'),
    s(23, 'disableAutoplay', 'bool'),
    s(24, 'capAnswerTimeToSecs', 'uint32'),
    s(25, 'showTimer', 'bool'),
    s(26, 'skipQuestionWhenReplayingAnswer', 'bool'),
    s(27, 'buryNew', 'bool'),
    s(28, 'buryReviews', 'bool'),
    s(29, 'buryInterdayLearning', 'bool'),
    s(30, 'newMix', 'enum'),
    s(31, 'interdayLearningMix', 'enum'),
    s(32, 'newCardSortOrder', 'enum'),
    s(33, 'reviewOrder', 'enum'),
    s(34, 'newCardGatherPriority', 'enum'),
    s(35, 'newPerDayMinimum', 'uint32'),
    s(36, 'questionAction', 'enum'),
    s(37, 'desiredRetention', 'float'),
    s(38, 'stopTimerOnAnswer', 'bool'),
    // 39 reserved
    s(40, 'historicalRetention', 'float'),
    s(41, 'secondsToShowQuestion', 'float'),
    s(42, 'secondsToShowAnswer', 'float'),
    s(43, 'answerAction', 'enum'),
    s(44, 'waitForAudio', 'bool'),
    s(45, 'paramSearch', 'string'),
    s(46, 'ignoreRevlogsBeforeDate', 'string'),
    s(OTHER, 'other', 'bytes'),
  ],
);

// ---------------------------------------------------------------------------------------------
// anki.import_export

export const PackageMetadataSpec = defineMessage<PackageMetadata>('PackageMetadata', () => ({ version: 0 }), [
  s(1, 'version', 'enum'),
]);

export const MediaEntrySpec = defineMessage<MediaEntry>(
  'MediaEntries.MediaEntry',
  () => ({ name: '', size: 0, sha1: new Uint8Array(0) }),
  [s(1, 'name', 'string'), s(2, 'size', 'uint32'), s(3, 'sha1', 'bytes'), opt(255, 'legacyZipFilename', 'uint32')],
);

export const MediaEntriesSpec = defineMessage<MediaEntries>('MediaEntries', () => ({ entries: [] }), [
  repMsg(1, 'entries', MediaEntrySpec as MessageSpec<object>),
]);

// ---------------------------------------------------------------------------------------------
// public functions

export const encodeNotetypeConfig = (m: NotetypeConfig): Uint8Array => encodeMessage(NotetypeConfigSpec, m);
export const decodeNotetypeConfig = (b: Uint8Array): NotetypeConfig => decodeMessage(NotetypeConfigSpec, b);
export const encodeCardRequirement = (m: CardRequirement): Uint8Array => encodeMessage(CardRequirementSpec, m);
export const decodeCardRequirement = (b: Uint8Array): CardRequirement => decodeMessage(CardRequirementSpec, b);

export const encodeFieldConfig = (m: FieldConfig): Uint8Array => encodeMessage(FieldConfigSpec, m);
export const decodeFieldConfig = (b: Uint8Array): FieldConfig => decodeMessage(FieldConfigSpec, b);

export const encodeTemplateConfig = (m: TemplateConfig): Uint8Array => encodeMessage(TemplateConfigSpec, m);
export const decodeTemplateConfig = (b: Uint8Array): TemplateConfig => decodeMessage(TemplateConfigSpec, b);

export const encodeDeckCommon = (m: DeckCommon): Uint8Array => encodeMessage(DeckCommonSpec, m);
export const decodeDeckCommon = (b: Uint8Array): DeckCommon => decodeMessage(DeckCommonSpec, b);

export const encodeDeckKind = (m: DeckKind): Uint8Array => encodeMessage(DeckKindSpec, m);
export const decodeDeckKind = (b: Uint8Array): DeckKind => decodeMessage(DeckKindSpec, b);
export const encodeNormalDeck = (m: NormalDeck): Uint8Array => encodeMessage(NormalDeckSpec, m);
export const decodeNormalDeck = (b: Uint8Array): NormalDeck => decodeMessage(NormalDeckSpec, b);
export const encodeFilteredDeck = (m: FilteredDeck): Uint8Array => encodeMessage(FilteredDeckSpec, m);
export const decodeFilteredDeck = (b: Uint8Array): FilteredDeck => decodeMessage(FilteredDeckSpec, b);
export const encodeDayLimit = (m: DayLimit): Uint8Array => encodeMessage(DayLimitSpec, m);
export const decodeDayLimit = (b: Uint8Array): DayLimit => decodeMessage(DayLimitSpec, b);
export const encodeFilteredSearchTerm = (m: FilteredSearchTerm): Uint8Array => encodeMessage(FilteredSearchTermSpec, m);
export const decodeFilteredSearchTerm = (b: Uint8Array): FilteredSearchTerm =>
  decodeMessage(FilteredSearchTermSpec, b);

export const encodeDeckConfigConfig = (m: DeckConfigConfig): Uint8Array => encodeMessage(DeckConfigConfigSpec, m);
export const decodeDeckConfigConfig = (b: Uint8Array): DeckConfigConfig => decodeMessage(DeckConfigConfigSpec, b);

export const encodePackageMetadata = (m: PackageMetadata): Uint8Array => encodeMessage(PackageMetadataSpec, m);
export const decodePackageMetadata = (b: Uint8Array): PackageMetadata => decodeMessage(PackageMetadataSpec, b);

export const encodeMediaEntries = (m: MediaEntries): Uint8Array => encodeMessage(MediaEntriesSpec, m);
export const decodeMediaEntries = (b: Uint8Array): MediaEntries => decodeMessage(MediaEntriesSpec, b);
export const encodeMediaEntry = (m: MediaEntry): Uint8Array => encodeMessage(MediaEntrySpec, m);
export const decodeMediaEntry = (b: Uint8Array): MediaEntry => decodeMessage(MediaEntrySpec, b);
