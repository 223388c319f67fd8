// The one contract between the UI and the core, shared by the main process (handlers and both
// transports), the preload and the renderer. Each channel maps a name to a zod schema for its
// input and its output; the main process validates every input before a handler sees it and every
// output before it leaves. Payloads are plain JSON (no bigint, no bytes) so the same values travel
// over Electron IPC and loopback HTTP unchanged.
//
// This module may only import zod, types and dependency-free constants: the renderer bundles it.

import { z } from 'zod';
import { BROWSER_COLUMN_KEYS, type BrowserColumnKey, SORTABLE_COLUMN_KEYS } from '../browser/column-keys';
import type { OpChanges } from '../collection/op-changes';

// ---------------------------------------------------------------------------------------------
// Shared pieces

const Id = z.number().int().nonnegative();
const Ids = z.array(Id).max(2_000_000);
const Empty = z.object({}).default({});

export const OpChangesSchema = z.object({
  notes: z.boolean(),
  cards: z.boolean(),
  decks: z.boolean(),
  deckConfigs: z.boolean(),
  notetypes: z.boolean(),
  tags: z.boolean(),
  config: z.boolean(),
  revlog: z.boolean(),
  studyQueues: z.boolean(),
});
// The schema and the core's interface must describe the same object.
type _SameChanges = [z.infer<typeof OpChangesSchema>, OpChanges] extends [OpChanges, z.infer<typeof OpChangesSchema>] ? true : never;
const _sameChanges: _SameChanges = true;
void _sameChanges;

export type ChangeKind = keyof OpChanges;
export const CHANGE_KINDS = Object.keys(OpChangesSchema.shape) as ChangeKind[];

/** What every mutation returns besides its own result. */
const Changed = z.object({ changes: OpChangesSchema });
const changed = <T extends z.ZodRawShape>(shape: T) => Changed.extend(shape);

export const UndoStatusSchema = z.object({ undo: z.string().nullable(), redo: z.string().nullable() });

/** A field or card template: by position (0-based) or by name. */
const PartRef = z.union([z.number().int().nonnegative(), z.string().min(1)]);

export const DeckCountsSchema = z.object({ new: z.number().int(), learn: z.number().int(), review: z.number().int() });
export type DeckCounts = z.infer<typeof DeckCountsSchema>;

export interface DeckNode {
  id: number;
  name: string;
  fullName: string;
  level: number;
  collapsed: boolean;
  filtered: boolean;
  /** null until the scheduler's deck counts are available. */
  counts: DeckCounts | null;
  children: DeckNode[];
}
export const DeckNodeSchema: z.ZodType<DeckNode> = z.lazy(() =>
  z.object({
    id: Id,
    name: z.string(),
    fullName: z.string(),
    level: z.number().int(),
    collapsed: z.boolean(),
    filtered: z.boolean(),
    counts: DeckCountsSchema.nullable(),
    children: z.array(DeckNodeSchema),
  }),
);

/** The options of a deck options preset that the UI edits (all plain JSON). */
export const DeckOptionsSchema = z.object({
  learnSteps: z.array(z.number().nonnegative()).max(100),
  relearnSteps: z.array(z.number().nonnegative()).max(100),
  newPerDay: z.number().int().nonnegative(),
  reviewsPerDay: z.number().int().nonnegative(),
  graduatingIntervalGood: z.number().int().positive(),
  graduatingIntervalEasy: z.number().int().positive(),
  initialEase: z.number(),
  easyMultiplier: z.number(),
  hardMultiplier: z.number(),
  lapseMultiplier: z.number(),
  intervalMultiplier: z.number(),
  maximumReviewInterval: z.number().int().positive(),
  minimumLapseInterval: z.number().int().positive(),
  leechThreshold: z.number().int().positive(),
  leechAction: z.number().int().min(0).max(1),
  buryNew: z.boolean(),
  buryReviews: z.boolean(),
  buryInterdayLearning: z.boolean(),
  showTimer: z.boolean(),
  capAnswerTimeToSecs: z.number().int().positive(),
  disableAutoplay: z.boolean(),
  desiredRetention: z.number(),
  newCardInsertOrder: z.number().int().min(0),
  newCardGatherPriority: z.number().int().min(0),
  newCardSortOrder: z.number().int().min(0),
  reviewOrder: z.number().int().min(0),
});
export type DeckOptions = z.infer<typeof DeckOptionsSchema>;
export const DECK_OPTION_KEYS = Object.keys(DeckOptionsSchema.shape) as (keyof DeckOptions)[];

export const DeckPresetSchema = z.object({ id: Id, name: z.string(), useCount: z.number().int(), options: DeckOptionsSchema });
export type DeckPreset = z.infer<typeof DeckPresetSchema>;

export const NotetypeFieldSchema = z.object({
  ord: z.number().int(),
  name: z.string(),
  sticky: z.boolean(),
  rtl: z.boolean(),
  fontName: z.string(),
  fontSize: z.number().int(),
  description: z.string(),
  plainText: z.boolean(),
  collapsed: z.boolean(),
  excludeFromSearch: z.boolean(),
});
const FieldPatch = NotetypeFieldSchema.omit({ ord: true, name: true }).partial();

export const NotetypeTemplateSchema = z.object({
  ord: z.number().int(),
  name: z.string(),
  qFormat: z.string(),
  aFormat: z.string(),
  qFormatBrowser: z.string(),
  aFormatBrowser: z.string(),
});
const TemplatePatch = NotetypeTemplateSchema.omit({ ord: true, name: true }).partial();

export const NotetypeSchema = z.object({
  id: Id,
  name: z.string(),
  kind: z.enum(['normal', 'cloze']),
  css: z.string(),
  sortFieldIdx: z.number().int(),
  fields: z.array(NotetypeFieldSchema),
  templates: z.array(NotetypeTemplateSchema),
});
export type NotetypeView = z.infer<typeof NotetypeSchema>;

export const STOCK_NOTETYPES = ['basic', 'basicAndReversed', 'basicOptionalReversed', 'basicTyping', 'cloze'] as const;

export const NoteSchema = z.object({
  id: Id,
  guid: z.string(),
  notetypeId: Id,
  mtimeSecs: z.number().int(),
  fields: z.array(z.string()),
  tags: z.array(z.string()),
});
export type NoteView = z.infer<typeof NoteSchema>;

const FieldsInput = z.array(z.string().max(10_000_000)).max(1000);
const TagsInput = z.array(z.string().max(1000)).max(10_000);

export const FIELDS_STATES = ['normal', 'empty', 'duplicate', 'missingCloze', 'notetypeNotCloze', 'fieldNotCloze'] as const;

/** Browser sort columns (the names Anki keeps in `sortType`). */
export const SORT_COLUMNS = SORTABLE_COLUMN_KEYS;
const SearchInput = z.object({
  query: z.string().max(100_000),
  order: z.object({ column: z.enum(SORT_COLUMNS), reverse: z.boolean().default(false) }).optional(),
});

/** Browser columns a row can be asked for: Anki's keys (what `activeCols` / `sortType` hold). */
export const BROWSER_COLUMNS = BROWSER_COLUMN_KEYS;
export type { BrowserColumnKey };
export const ROW_COLORS = ['default', 'marked', 'suspended', 'buried', 'flagRed', 'flagOrange', 'flagGreen', 'flagBlue', 'flagPink', 'flagTurquoise', 'flagPurple'] as const;
export const BrowserRowSchema = z.object({
  /** Card id (cards mode) or note id (notes mode). */
  id: Id,
  noteId: Id,
  cells: z.array(z.string()),
  flag: z.number().int().min(0).max(7),
  suspended: z.boolean(),
  buried: z.boolean(),
  marked: z.boolean(),
  /** Anki's row colour (flag, marked, suspended, buried). */
  color: z.enum(ROW_COLORS),
  /** The card/note is gone or needs Check Database; every cell says why. */
  disabled: z.boolean(),
  sortFieldRtl: z.boolean(),
  /** The card template's browser font ('' / 0 = the table's). */
  fontName: z.string(),
  fontSize: z.number().int(),
});
export type BrowserRow = z.infer<typeof BrowserRowSchema>;
const ColumnSorting = z.enum(['none', 'ascending', 'descending']);
export const BrowserColumnInfoSchema = z.object({
  key: z.enum(BROWSER_COLUMNS),
  cardsLabel: z.string(),
  notesLabel: z.string(),
  cardsTooltip: z.string(),
  notesTooltip: z.string(),
  /** Sortable, and the direction a first click sorts in (Anki's default order). */
  sortingCards: ColumnSorting,
  sortingNotes: ColumnSorting,
  alignment: z.enum(['start', 'center']),
  usesCellFont: z.boolean(),
  fsrs: z.boolean(),
});
export type BrowserColumnInfo = z.infer<typeof BrowserColumnInfoSchema>;
const BrowserSortSchema = z.object({ column: z.string(), reverse: z.boolean() });
/** The browser's saved state (collection config, as Anki keeps it). */
export const BrowserStateSchema = z.object({
  notesMode: z.boolean(),
  cardColumns: z.array(z.enum(BROWSER_COLUMNS)),
  noteColumns: z.array(z.enum(BROWSER_COLUMNS)),
  cardSort: BrowserSortSchema,
  noteSort: BrowserSortSchema,
  /** Saved searches (`savedFilters`): name → search text. */
  savedSearches: z.record(z.string(), z.string()),
  fsrs: z.boolean(),
});
export type BrowserStateView = z.infer<typeof BrowserStateSchema>;
export const EmptyCardsNoteSchema = z.object({
  noteId: Id,
  notetypeId: Id,
  cardIds: Ids,
  ords: z.array(z.number().int()),
  templateNames: z.string(),
  existingCount: z.number().int(),
  willDeleteNote: z.boolean(),
});

export const Rating = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);

/** Audio of one card side, in the order of its `[anki:play:q|a:N]` references. */
export const AvItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sound'), url: z.string() }),
  z.object({ kind: z.literal('tts'), text: z.string(), lang: z.string() }),
]);
export type AvItem = z.infer<typeof AvItemSchema>;

export const ReviewCardSchema = z.object({
  cardId: Id,
  noteId: Id,
  deckId: Id,
  /** Rendered HTML, media references relative to `app.info`'s mediaBase. */
  question: z.string(),
  answer: z.string(),
  css: z.string(),
  /** `card card<N>` (+ night mode classes). */
  bodyClass: z.string(),
  /** Labels of Again, Hard, Good, Easy: the next intervals ("<1m", "10m", "4d"). */
  buttons: z.tuple([z.string(), z.string(), z.string(), z.string()]),
  questionAv: z.array(AvItemSchema),
  answerAv: z.array(AvItemSchema),
  /** Which queue the card came from, for underlining the matching count. */
  queue: z.enum(['new', 'learn', 'review']),
  flag: z.number().int().min(0).max(7),
  marked: z.boolean(),
  showTimer: z.boolean(),
  /** Answer time cap in seconds (the timer stops counting there). */
  timerCapSecs: z.number().int().positive(),
  autoplay: z.boolean(),
});
export type ReviewCard = z.infer<typeof ReviewCardSchema>;

export const CongratsSchema = z.object({
  learnRemaining: z.number().int(),
  secsUntilNextLearn: z.number().int(),
  reviewRemaining: z.boolean(),
  newRemaining: z.boolean(),
  haveSchedBuried: z.boolean(),
  haveUserBuried: z.boolean(),
  isFilteredDeck: z.boolean(),
});

export const DeckOverviewSchema = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  filtered: z.boolean(),
  counts: DeckCountsSchema,
  studiedToday: z.object({ new: z.number().int(), review: z.number().int(), milliseconds: z.number() }),
  dueTomorrow: z.number().int(),
  congrats: CongratsSchema,
});
export type DeckOverview = z.infer<typeof DeckOverviewSchema>;

export const MediaCheckSchema = z.object({
  missing: z.array(z.string()),
  unused: z.array(z.string()),
  missingMediaNotes: Ids,
  renamed: z.record(z.string(), z.string()),
  dirs: z.array(z.string()),
  oversize: z.array(z.string()),
  trashCount: z.number().int(),
  trashBytes: z.number().int(),
  inlinedImageCount: z.number().int(),
  report: z.string(),
});

export const ImportLogSchema = z.object({
  found: z.number().int(),
  new: z.number().int(),
  updated: z.number().int(),
  duplicate: z.number().int(),
  conflicting: z.number().int(),
  /** Left out: missing notetype/deck, empty first field. */
  skipped: z.number().int(),
});

export const StatsSummarySchema = z.object({
  deck: z.object({ id: Id, name: z.string() }).nullable(),
  today: z.object({ count: z.number().int(), timeMs: z.number(), again: z.number().int(), learn: z.number().int(), review: z.number().int(), relearn: z.number().int(), filtered: z.number().int() }),
  cards: z.object({ total: z.number().int(), new: z.number().int(), learning: z.number().int(), young: z.number().int(), mature: z.number().int(), suspended: z.number().int(), buried: z.number().int(), notes: z.number().int() }),
});

export const THEMES = ['system', 'light', 'dark'] as const;
export const SettingsSchema = z.object({
  ankiConnect: z.object({
    enabled: z.boolean(),
    port: z.number().int().min(1).max(65_535),
    bindAddress: z.string(),
    corsOrigins: z.array(z.string()),
  }),
  sync: z.object({
    endpoint: z.string().nullable(),
    username: z.string().nullable(),
    autoSync: z.boolean(),
    syncMedia: z.boolean(),
    /** Minutes between automatic syncs. */
    intervalMinutes: z.number().int().min(1).max(24 * 60).default(10),
  }),
  ui: z.object({
    theme: z.enum(THEMES),
    /** Action → keys, overriding the default keymap. */
    keymap: z.record(z.string(), z.array(z.string())),
  }),
});
export type Settings = z.infer<typeof SettingsSchema>;
const SettingsPatch = z.object({
  ankiConnect: SettingsSchema.shape.ankiConnect.partial().optional(),
  sync: z.object({ endpoint: z.string().nullable(), autoSync: z.boolean(), syncMedia: z.boolean(), intervalMinutes: z.number().int().min(1).max(24 * 60) }).partial().optional(),
  ui: SettingsSchema.shape.ui.partial().optional(),
});

export const SyncStatusSchema = z.object({
  state: z.enum(['idle', 'syncing', 'error', 'full-sync-required', 'logged-out']),
  /** What is happening or went wrong, for people. */
  message: z.string().nullable(),
  /** The account of the stored login. */
  username: z.string().nullable(),
  lastSyncMs: z.number().nullable(),
  /** Automatic syncs (open, close, interval, after changes) are on. */
  automatic: z.boolean(),
  nextSyncAtMs: z.number().nullable(),
  /** The last completed sync in words ("synced: 3 changes sent, 2 received"). */
  lastSummary: z.string().nullable(),
  /** When only a one-way sync will do: whether each direction is possible and what it replaces. */
  fullSync: z.object({ uploadOk: z.boolean(), downloadOk: z.boolean(), upload: z.string(), download: z.string() }).nullable(),
  /** While syncing: the stage in words and, for transfers, bytes done of total. */
  progress: z.object({ stage: z.string(), message: z.string(), done: z.number(), total: z.number().nullable() }).nullable().default(null),
  /** After a failure: when the loop retries (epoch ms), and what kind of failure it was. */
  retryAtMs: z.number().nullable().default(null),
  errorKind: z.string().nullable().default(null),
});
export type SyncStatusView = z.infer<typeof SyncStatusSchema>;

export const ProgressSchema = z.object({ task: z.string(), done: z.number(), total: z.number().nullable(), message: z.string().nullable() });

/** A card of a note being edited, rendered as the reviewer would show it (nothing saved). */
export const PreviewCardSchema = z.object({
  ord: z.number().int(),
  /** The template name, or "Cloze N". */
  name: z.string(),
  question: z.string(),
  answer: z.string(),
  css: z.string(),
  bodyClass: z.string(),
  questionAv: z.array(AvItemSchema),
  answerAv: z.array(AvItemSchema),
});
export type PreviewCard = z.infer<typeof PreviewCardSchema>;

export const BackupSchema = z.object({ path: z.string(), name: z.string(), dateMs: z.number(), sizeBytes: z.number().int() });

/** A command for the open window (AnkiConnect's GUI actions); answered through `gui.reply`. */
export const GuiCommandSchema = z.object({ id: z.string(), command: z.string(), args: z.array(z.unknown()) });
export type GuiCommand = z.infer<typeof GuiCommandSchema>;

const Count = z.number().int();
/** Per day (0 = today, negative = the past): counts by kind (Anki's graphs). */
export const StatsGraphsSchema = z.object({
  deck: z.object({ id: Id, name: z.string() }).nullable(),
  /** Days covered by the day-based charts. */
  days: z.number().int(),
  /** Answers per day by kind, and the time spent (ms), for days -days+1 … 0. */
  reviews: z.array(z.object({ day: Count, learn: Count, relearn: Count, young: Count, mature: Count, filtered: Count, timeMs: z.number() })),
  /** Cards falling due per day from today (overdue collected on day 0 when `backlog`). */
  futureDue: z.array(z.object({ day: Count, count: Count })),
  /** Review cards by interval in days. */
  intervals: z.array(z.object({ days: Count, count: Count })),
  /** Anki's true retention table: passed/failed reviews of young and mature cards per period. */
  retention: z.array(
    z.object({
      period: z.enum(['today', 'yesterday', 'week', 'month', 'year', 'all']),
      young: z.object({ passed: Count, failed: Count }),
      mature: z.object({ passed: Count, failed: Count }),
    }),
  ),
});
export type StatsGraphs = z.infer<typeof StatsGraphsSchema>;

// ---------------------------------------------------------------------------------------------
// Channels

interface ChannelDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /**
   * Queries name the kinds of change that make their result stale (the renderer refetches them
   * when an OpChanges with one of these flags arrives). Mutations leave it out.
   */
  reads?: readonly ChangeKind[];
}

const query = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, reads: readonly ChangeKind[]): ChannelDef<I, O> => ({ input, output, reads });
const mutation = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): ChannelDef<I, O> => ({ input, output });

const ALL = CHANGE_KINDS;
const DECK_READS: ChangeKind[] = ['decks', 'cards', 'deckConfigs', 'config', 'studyQueues', 'revlog'];

export const channels = {
  // --- app and collection
  'app.info': query(
    Empty,
    z.object({
      version: z.string(),
      /** The channels this build serves (the contract may list more). */
      channels: z.array(z.string()),
      profile: z.string().nullable(),
      collectionPath: z.string(),
      /** Base URL of the media folder for card HTML. */
      mediaBase: z.string(),
    }),
    [],
  ),
  'collection.undoStatus': query(Empty, UndoStatusSchema, ALL),
  'collection.undo': mutation(Empty, changed({ op: z.string(), status: UndoStatusSchema })),
  'collection.redo': mutation(Empty, changed({ op: z.string(), status: UndoStatusSchema })),

  // --- decks
  'decks.tree': query(Empty, DeckNodeSchema, DECK_READS),
  'decks.list': query(z.object({ includeFiltered: z.boolean().default(true) }).default({ includeFiltered: true }), z.array(z.object({ id: Id, name: z.string() })), ['decks']),
  'decks.get': query(
    z.object({ id: Id }),
    z.object({ id: Id, name: z.string(), filtered: z.boolean(), description: z.string(), presetId: Id.nullable() }),
    ['decks'],
  ),
  'decks.overview': query(z.object({ id: Id }), DeckOverviewSchema, DECK_READS),
  'decks.unbury': mutation(z.object({ id: Id, mode: z.enum(['all', 'user', 'sched']).default('all') }), changed({ count: z.number().int() })),
  'decks.current': query(Empty, z.object({ id: Id }), ['config', 'decks']),
  'decks.setCurrent': mutation(z.object({ id: Id }), Changed),
  'decks.add': mutation(z.object({ name: z.string().min(1).max(1000) }), changed({ id: Id, name: z.string() })),
  'decks.rename': mutation(z.object({ id: Id, name: z.string().min(1).max(1000) }), changed({ name: z.string() })),
  'decks.reparent': mutation(z.object({ deckIds: Ids, parentId: Id.nullable() }), changed({ moved: z.number().int() })),
  'decks.remove': mutation(z.object({ deckIds: Ids }), changed({ cardsDeleted: z.number().int() })),
  'decks.setCollapsed': mutation(z.object({ id: Id, collapsed: z.boolean(), scope: z.enum(['study', 'browser']).default('study') }), Changed),

  // --- deck options presets
  'deckPresets.list': query(Empty, z.array(DeckPresetSchema), ['deckConfigs', 'decks']),
  'deckPresets.forDeck': query(z.object({ deckId: Id }), DeckPresetSchema, ['deckConfigs', 'decks']),
  'deckPresets.add': mutation(z.object({ name: z.string().min(1), cloneFromId: Id.optional() }), changed({ id: Id })),
  'deckPresets.update': mutation(z.object({ id: Id, name: z.string().min(1).optional(), options: DeckOptionsSchema.partial() }), Changed),
  'deckPresets.remove': mutation(z.object({ id: Id }), changed({ decksMoved: z.number().int() })),
  'deckPresets.assign': mutation(z.object({ presetId: Id, deckIds: Ids, includeChildren: z.boolean().default(false) }), changed({ decksChanged: z.number().int() })),

  // --- note types
  'notetypes.list': query(Empty, z.array(z.object({ id: Id, name: z.string(), useCount: z.number().int() })), ['notetypes', 'notes']),
  'notetypes.get': query(z.object({ id: Id }), NotetypeSchema, ['notetypes']),
  'notetypes.current': query(Empty, z.object({ id: Id }), ['config', 'notetypes']),
  'notetypes.setCurrent': mutation(z.object({ id: Id }), Changed),
  'notetypes.addStock': mutation(z.object({ kind: z.enum(STOCK_NOTETYPES), name: z.string().min(1).optional() }), changed({ id: Id, name: z.string() })),
  'notetypes.clone': mutation(z.object({ id: Id, name: z.string().min(1).optional() }), changed({ id: Id, name: z.string() })),
  'notetypes.rename': mutation(z.object({ id: Id, name: z.string().min(1) }), changed({ name: z.string() })),
  'notetypes.remove': mutation(z.object({ id: Id }), changed({ notesDeleted: z.number().int() })),
  'notetypes.setCss': mutation(z.object({ id: Id, css: z.string().max(10_000_000) }), Changed),
  'notetypes.setSortField': mutation(z.object({ id: Id, field: PartRef }), Changed),
  'notetypes.fields.add': mutation(z.object({ id: Id, name: z.string().min(1), index: z.number().int().nonnegative().optional() }), changed({ name: z.string() })),
  'notetypes.fields.rename': mutation(z.object({ id: Id, field: PartRef, name: z.string().min(1) }), changed({ name: z.string() })),
  'notetypes.fields.remove': mutation(z.object({ id: Id, field: PartRef }), Changed),
  'notetypes.fields.reposition': mutation(z.object({ id: Id, field: PartRef, index: z.number().int().nonnegative() }), Changed),
  'notetypes.fields.update': mutation(z.object({ id: Id, field: PartRef, patch: FieldPatch }), Changed),
  'notetypes.templates.add': mutation(z.object({ id: Id, name: z.string().min(1), qFormat: z.string(), aFormat: z.string() }), changed({ name: z.string() })),
  'notetypes.templates.rename': mutation(z.object({ id: Id, template: PartRef, name: z.string().min(1) }), changed({ name: z.string() })),
  'notetypes.templates.remove': mutation(z.object({ id: Id, template: PartRef }), Changed),
  'notetypes.templates.reposition': mutation(z.object({ id: Id, template: PartRef, index: z.number().int().nonnegative() }), Changed),
  'notetypes.templates.update': mutation(z.object({ id: Id, template: PartRef, patch: TemplatePatch }), Changed),

  // --- notes
  'notes.get': query(z.object({ id: Id }), NoteSchema, ['notes', 'notetypes']),
  'notes.add': mutation(
    z.object({ notetypeId: Id, deckId: Id, fields: FieldsInput, tags: TagsInput.default([]) }),
    changed({ noteId: Id, cardIds: Ids }),
  ),
  'notes.update': mutation(z.object({ id: Id, fields: FieldsInput.optional(), tags: TagsInput.optional() }), changed({ note: NoteSchema })),
  'notes.remove': mutation(z.object({ ids: Ids }), changed({ removed: z.number().int() })),
  /** Anki's check before adding: empty first field, duplicate, cloze problems. */
  'notes.check': query(z.object({ notetypeId: Id, fields: FieldsInput }), z.object({ state: z.enum(FIELDS_STATES) }), ['notes', 'notetypes']),
  /** The note type and deck the Add screen starts with (Anki's defaults for adding); with a note type, the deck it last added to. */
  'notes.addDefaults': query(z.object({ notetypeId: Id.optional() }).default({}), z.object({ notetypeId: Id, deckId: Id }), ['config', 'decks', 'notetypes']),
  /** The cards a note with these fields would have, rendered (nothing is saved). */
  'notes.preview': query(
    z.object({ notetypeId: Id, fields: FieldsInput, tags: TagsInput.default([]), deckId: Id.optional() }),
    z.object({ cards: z.array(PreviewCardSchema) }),
    ['notetypes', 'decks'],
  ),
  'notes.addTags': mutation(z.object({ noteIds: Ids, tags: z.string().min(1) }), changed({ count: z.number().int() })),
  'notes.removeTags': mutation(z.object({ noteIds: Ids, tags: z.string().min(1) }), changed({ count: z.number().int() })),
  'notes.findReplace': mutation(
    z.object({
      /** Empty = every note (Anki's "selected notes only" unticked). */
      noteIds: Ids,
      search: z.string().min(1),
      replacement: z.string(),
      regex: z.boolean().default(false),
      matchCase: z.boolean().default(false),
      /** A field name; null = all fields. Ignored for tags. */
      field: z.string().nullable().default(null),
      /** Replace in the notes' fields, or in their tags. */
      target: z.enum(['fields', 'tags']).default('fields'),
    }),
    changed({ count: z.number().int() }),
  ),
  /** The field names of these notes' note types, by name (the Find and Replace field list). */
  'notes.fieldNames': query(z.object({ noteIds: Ids }), z.object({ names: z.array(z.string()) }), ['notetypes', 'notes']),

  // --- cards (bulk)
  'cards.setDeck': mutation(z.object({ cardIds: Ids, deckId: Id }), changed({ count: z.number().int() })),
  'cards.suspend': mutation(z.object({ cardIds: Ids }), changed({ count: z.number().int() })),
  'cards.unsuspend': mutation(z.object({ cardIds: Ids }), changed({ count: z.number().int() })),
  'cards.bury': mutation(z.object({ cardIds: Ids }), changed({ count: z.number().int() })),
  'cards.unbury': mutation(z.object({ cardIds: Ids }), changed({ count: z.number().int() })),
  'cards.setFlag': mutation(z.object({ cardIds: Ids, flag: z.number().int().min(0).max(7) }), changed({ count: z.number().int() })),
  'cards.reposition': mutation(
    z.object({ cardIds: Ids, start: z.number().int().nonnegative(), step: z.number().int().positive().default(1), randomize: z.boolean().default(false), shift: z.boolean().default(false) }),
    changed({ count: z.number().int() }),
  ),
  'cards.forget': mutation(z.object({ cardIds: Ids, restorePosition: z.boolean().default(true), resetCounts: z.boolean().default(false) }), changed({ count: z.number().int() })),
  /** `days` as Anki's Set Due Date dialog takes it: "0", "1-7", "3!". */
  'cards.setDueDate': mutation(z.object({ cardIds: Ids, days: z.string().min(1) }), changed({ count: z.number().int() })),

  // --- tags
  'tags.list': query(Empty, z.array(z.string()), ['tags']),
  'tags.clearUnused': mutation(Empty, changed({ removed: z.number().int() })),

  // --- search and the browser table
  'search.cards': query(SearchInput, z.object({ ids: Ids }), ALL),
  'search.notes': query(SearchInput, z.object({ ids: Ids }), ALL),
  /** The search text for a deck or tag (quoted and escaped as Anki writes it), e.g. for the sidebar. */
  'search.termText': query(z.object({ kind: z.enum(['deck', 'tag', 'notetype']), name: z.string().min(1) }), z.object({ text: z.string() }), []),
  'browser.rows': query(
    z.object({ mode: z.enum(['cards', 'notes']), ids: Ids.max(1000), columns: z.array(z.enum(BROWSER_COLUMNS)).min(1).max(BROWSER_COLUMNS.length) }),
    z.object({ rows: z.array(BrowserRowSchema) }),
    ALL,
  ),
  /** Every column: labels per mode, sortability, alignment. */
  'browser.columns': query(Empty, z.object({ columns: z.array(BrowserColumnInfoSchema) }), []),
  'browser.state': query(Empty, BrowserStateSchema, ['config']),
  /** Saves part of the browser state (not an undo step). */
  'browser.setState': mutation(BrowserStateSchema.omit({ fsrs: true }).partial(), changed({ state: BrowserStateSchema })),
  /** The cards and notes a selection stands for (cards mode: their notes; notes mode: all their cards). */
  'browser.selection': query(z.object({ mode: z.enum(['cards', 'notes']), ids: Ids }), z.object({ cardIds: Ids, noteIds: Ids }), ['cards', 'notes']),

  // --- review
  'review.next': query(
    z.object({ deckId: Id.optional() }),
    z.object({ counts: DeckCountsSchema, card: ReviewCardSchema.nullable() }),
    ['cards', 'notes', 'notetypes', 'decks', 'deckConfigs', 'config', 'studyQueues', 'revlog'],
  ),
  /** With `next`, the reply also carries what `review.next` would return now (one round trip instead of two). */
  'review.answer': mutation(
    z.object({ cardId: Id, rating: Rating, millisecondsTaken: z.number().int().nonnegative(), next: z.object({ deckId: Id.optional() }).optional() }),
    changed({ next: z.object({ counts: DeckCountsSchema, card: ReviewCardSchema.nullable() }).optional() }),
  ),

  // --- media
  'media.add': mutation(z.object({ filename: z.string().min(1).max(1000), dataBase64: z.string().max(140_000_000) }), z.object({ filename: z.string() })),
  'media.url': query(z.object({ filename: z.string().min(1) }), z.object({ url: z.string() }), []),

  // --- tools
  'tools.checkMedia': mutation(Empty, MediaCheckSchema),
  /** Anki's Check Database; progress arrives as `progress` events (task "checkDatabase"). */
  'tools.checkDatabase': mutation(Empty, changed({ report: z.string(), problems: z.array(z.string()), ok: z.boolean() })),
  'tools.emptyCards': query(
    Empty,
    z.object({
      /** Anki's report HTML (`[anki:nid:N]` marks note links). */
      report: z.string(),
      cardIds: Ids,
      notetypes: z.array(z.object({ notetypeId: Id, name: z.string(), notes: z.array(EmptyCardsNoteSchema) })),
    }),
    ['cards', 'notes', 'notetypes'],
  ),
  /** Deletes empty cards; `keepNotes` keeps the first card of notes that would lose them all. */
  'tools.deleteEmptyCards': mutation(z.object({ cardIds: Ids, keepNotes: z.boolean().default(true) }), changed({ count: z.number().int() })),

  // --- import / export (progress arrives as `progress` events). Paths are on the machine running the core.
  'import.file': mutation(
    z.object({ path: z.string().min(1), withScheduling: z.boolean().default(false) }),
    changed({ kind: z.enum(['apkg', 'csv']), log: ImportLogSchema }),
  ),
  /** Replaces the whole collection with a .colpkg (a backup of the current one is made first). */
  'import.collectionPackage': mutation(z.object({ path: z.string().min(1) }), changed({ backupPath: z.string().nullable() })),
  'export.collectionPackage': mutation(z.object({ path: z.string().min(1), includeMedia: z.boolean().default(true) }), z.object({ media: z.number().int() })),
  'backups.list': query(Empty, z.array(BackupSchema), []),
  /** Backs up now (null when nothing changed since the last backup). */
  'backups.create': mutation(Empty, z.object({ path: z.string().nullable() })),
  /** Restores a backup: replaces the collection (backing up the current one first). */
  'backups.restore': mutation(z.object({ path: z.string().min(1) }), changed({ backupPath: z.string().nullable() })),
  'export.package': mutation(
    z.object({ path: z.string().min(1), deckId: Id.nullable(), withMedia: z.boolean().default(true), withScheduling: z.boolean().default(false) }),
    z.object({ notes: z.number().int(), cards: z.number().int(), media: z.number().int() }),
  ),

  // --- sync
  'sync.status': query(Empty, SyncStatusSchema, []),
  'sync.now': mutation(Empty, SyncStatusSchema),
  /** The person's answer when a one-way sync is required. */
  'sync.chooseFullSync': mutation(z.object({ direction: z.enum(['upload', 'download']) }), SyncStatusSchema),
  'sync.login': mutation(z.object({ username: z.string().min(1), password: z.string().min(1), endpoint: z.string().nullable().default(null) }), SyncStatusSchema),
  'sync.logout': mutation(Empty, SyncStatusSchema),

  // --- settings (per profile)
  'settings.get': query(Empty, SettingsSchema, []),
  'settings.update': mutation(SettingsPatch, SettingsSchema),
  /** The AnkiConnect API key (kept in the profile's secrets file, never in profile.json); null = none. */
  'settings.ankiConnectKey': query(Empty, z.object({ key: z.string().nullable() }), []),
  'settings.setAnkiConnectKey': mutation(z.object({ key: z.string().min(1).max(500).nullable() }), z.object({ key: z.string().nullable() })),

  // --- the window's side of AnkiConnect's GUI actions
  /** The answer to a `gui` event. `handled: false` = this window cannot do it (another may). */
  'gui.reply': mutation(
    z.object({ id: z.string().min(1).max(100), handled: z.boolean(), value: z.unknown().optional(), error: z.string().max(10_000).nullable().default(null) }),
    z.object({ accepted: z.boolean() }),
  ),

  // --- statistics
  /** Today's answers and card counts of a deck with its subdecks (null: the whole collection). */
  'stats.summary': query(z.object({ deckId: Id.nullable().default(null) }), StatsSummarySchema, ['revlog', 'cards', 'decks']),
  /** The charts: reviews per day, future due, intervals, true retention (deck with subdecks; null: the whole collection). */
  'stats.graphs': query(z.object({ deckId: Id.nullable().default(null), days: z.number().int().min(7).max(3650).default(30) }), StatsGraphsSchema, ['revlog', 'cards', 'decks']),
} satisfies Record<string, ChannelDef>;

export type Channels = typeof channels;
export type Channel = keyof Channels;
export type ChannelInput<C extends Channel> = z.input<Channels[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Channels[C]['output']>;

export const CHANNELS = Object.keys(channels) as Channel[];
export const isChannel = (name: string): name is Channel => Object.hasOwn(channels, name);

// ---------------------------------------------------------------------------------------------
// Events (main → renderer)

export const events = {
  /** A committed change. `origin` is the client that caused it (null: AnkiConnect, sync, CLI…). */
  changes: z.object({ op: z.string(), changes: OpChangesSchema, origin: z.string().nullable() }),
  'sync-status': SyncStatusSchema,
  progress: ProgressSchema,
  /** AnkiConnect drives the window (guiBrowse, guiAddCards, the reviewer…). */
  gui: GuiCommandSchema,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

// ---------------------------------------------------------------------------------------------
// Replies

/** Errors travel as data: a code (DeckhandError's, or a transport's own) and a message for people. */
export const IpcErrorSchema = z.object({ code: z.string(), message: z.string() });
export type IpcError = z.infer<typeof IpcErrorSchema>;
export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Transport-level error codes (besides DeckhandError's). */
export const TRANSPORT_ERRORS = {
  unknownChannel: 'unknown-channel',
  unavailable: 'unavailable',
  badInput: 'invalid-input',
  badOutput: 'internal',
  internal: 'internal',
} as const;

/** The bridge the preload exposes as `window.deckhand` (and nothing else). */
export interface DeckhandBridge {
  invoke(channel: string, input: unknown): Promise<Reply>;
  on(event: string, cb: (payload: unknown) => void): () => void;
}
