// The scheduler service: everything that schedules cards in an open collection. The pure layer
// (./index) computes; these functions read the collection, persist through `col.transact`, and keep
// the study queue. Adapters (IPC, AnkiConnect, CLI) call these.

export { timingAt, timingToday, schedSettings, learnAheadSecs, recordLocalOffsetInTx, type SchedSettings, type Reader, type TimingOptions } from './collection-timing';

// study queue
export {
  getQueuedCards,
  getNextCard,
  studyCounts,
  clearStudyQueues,
  ANSWER_CARD_OP,
  type QueuedCard,
  type QueuedCards,
  type QueuedCardsOptions,
} from './queue/queue-service';
export type { Counts, QueueEntryKind } from './queue/card-queues';
export { buildQueues, NewCardGatherPriority, NewCardSortOrder, ReviewCardOrder } from './queue/builder';
export { ReviewMix } from './queue/mix';
export { remainingLimits, type RemainingLimits } from './queue/limits';

// answering
export {
  answerCard,
  answerCardInTx,
  nextIntervalLabels,
  schedulingStates,
  Rating,
  type AnswerCardOptions,
  type AnsweredCard,
} from './answering-service';

// deck list / overview
export {
  deckTreeWithCounts,
  findCountsNode,
  deckOverview,
  congratsInfo,
  dueTomorrow,
  type DeckCountsNode,
  type DeckOverview,
  type CongratsInfo,
  type DeckTreeCountsOptions,
} from './deck-counts';
export { unburyIfDayRolledOver, unburyDeck, type UnburyMode } from './bury-service';

// card operations
export {
  parseDueDateStr,
  setDueDate,
  forgetCards,
  repositionNewCards,
  sortDeckNewCards,
  sortDeckNewCardsInTx,
  getEaseFactors,
  setEaseFactors,
  setCardValues,
  relearnCards,
  PROTECTED_CARD_KEYS,
  type DueDateSpecifier,
  type SetDueDateOptions,
  type ForgetOptions,
} from './card-ops';

// review log (AnkiConnect)
export {
  answerCards,
  getIntervals,
  areDue,
  cardReviews,
  getReviewsOfCards,
  getLatestReviewId,
  insertReviews,
  numCardsReviewedToday,
  numCardsReviewedByDay,
  type ReviewOfCard,
} from './review-log-service';

// filtered decks and custom study
export {
  addOrUpdateFilteredDeck,
  getOrProposeFilteredDeck,
  rebuildFilteredDeck,
  emptyFilteredDeck,
  customStudy,
  customStudyDefaults,
  customStudyDeckConfig,
  CUSTOM_STUDY_DECK_NAME,
  type FilteredDeckForUpdate,
  type FilteredDeckResult,
  type CustomStudyRequest,
  type CustomStudyDefaults,
  type CustomStudyResult,
  type CramKind,
} from './filtered-service';
