/**
 * Parameter schemas for every AnkiConnect action (122: the 116 documented ones and the 6
 * undocumented-but-callable ones), written by hand from `ankiconnect-actions.json` and checked
 * against the upstream Python signatures by `schemas.test.ts` (names, order, which have
 * defaults, default values).
 *
 * Conventions:
 * - keys appear in the Python signature's order (the "missing … arguments" text depends on it);
 * - a parameter with a Python default is optional here. Absent → that default. `null` → the
 *   default too, except for booleans where `null` means false (Python truthiness: upstream
 *   tests `if add:` etc.);
 * - nested objects are `looseObject`s (upstream ignores unknown keys in them);
 * - where AnkiConnect raises a specific text for a bad value, the schema raises the same text
 *   (e.g. `option parameter "allowDuplicate" must be boolean`, `scopes has invalid value`);
 *   elsewhere the message is ours and names the parameter;
 * - where AnkiConnect *answers* rather than fails on odd input (setSpecificValueOfCard's
 *   guards return false), the parameter is left unchecked for the handler to answer the same.
 */
import { z } from 'zod';
import { pyStr } from '../py-compat';
import { describeValue, paramMsg } from './messages';

// ---------------------------------------------------------------------------------------------
// building blocks


/** A JSON integer within ±2^53 (note/card/deck ids are millisecond timestamps). */
export const int = () =>
  z
    .number({ error: (iss) => (iss.input === undefined ? undefined : paramMsg(`must be an integer, not ${describeValue(iss.input)}`)) })
    .int({
      error: (iss) =>
        paramMsg(
          iss.code === 'invalid_type'
            ? `must be an integer, not ${describeValue(iss.input)}`
            : `must be an integer between -(2^53 - 1) and 2^53 - 1, not ${describeValue(iss.input)}`,
        ),
    });
export const ints = () => z.array(int());
export const str = () => z.string();
export const strs = () => z.array(z.string());

/** Optional parameter: absent or null → `dflt`. */
export function opt<T extends z.ZodType, D>(schema: T, dflt: D) {
  return schema
    .nullable()
    .optional()
    .transform((v): z.output<T> | D => (v === null || v === undefined ? dflt : (v as z.output<T>)));
}

/** Optional boolean parameter: absent → `dflt`; null → false (Python truthiness). */
export function optBool(dflt: boolean) {
  return z
    .boolean()
    .nullable()
    .optional()
    .transform((v) => (v === undefined ? dflt : (v ?? false)));
}

/** A required parameter whose value is checked by the handler (anything but absent). */
export const anyValue = () => z.custom<unknown>(() => true);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{filename, data?|path?|url?, skipHash?, deleteExisting?, fields?}` — audio/video/picture entries. */
export const mediaObject = z.looseObject({
  filename: z.string(),
  data: z.string().nullish(),
  path: z.string().nullish(),
  url: z.string().nullish(),
  skipHash: z.string().nullish(),
  deleteExisting: z.boolean().nullish(),
  fields: z.array(z.string()).nullish(),
});
export type MediaObject = z.output<typeof mediaObject>;

/** `audio` / `video` / `picture`: one media object or a list of them (null entries skipped). */
export const mediaInput = z
  .union([mediaObject, z.array(mediaObject.nullable())], {
    error: paramMsg('must be a media object {filename, data|path|url, fields, …} or an array of them'),
  })
  .nullish();

export const duplicateScopeOptions = z.looseObject({
  deckName: z.string().nullish(),
  checkChildren: z.boolean({ error: 'option parameter "duplicateScopeOptions.checkChildren" must be boolean' }).optional(),
  checkAllModels: z.boolean({ error: 'option parameter "duplicateScopeOptions.checkAllModels" must be boolean' }).optional(),
});

export const noteOptions = z.looseObject({
  allowDuplicate: z.boolean({ error: 'option parameter "allowDuplicate" must be boolean' }).optional(),
  /** Only "deck" is special; anything else means the collection. */
  duplicateScope: z.unknown().optional(),
  duplicateScopeOptions: duplicateScopeOptions.nullish(),
});

/** Field name → content. */
export const fieldsMap = z.record(z.string(), z.string());

/** The note object of addNote / addNotes / canAddNote(s) / canAddNote(s)WithErrorDetail. */
export const noteSpec = z.looseObject({
  deckName: z.string(),
  modelName: z.string(),
  fields: fieldsMap,
  tags: z.array(z.string()).optional(),
  options: noteOptions.nullish(),
  audio: mediaInput,
  video: mediaInput,
  picture: mediaInput,
});
export type NoteSpec = z.output<typeof noteSpec>;

/** updateNoteTags / updateNote tags: one tag or a list of tags. */
const tagsInput = () =>
  z.union([z.string(), z.array(z.string())], { error: 'Must provide tags as a list of strings' });

export const noteFieldsUpdate = z.looseObject({
  id: int(),
  fields: fieldsMap,
  audio: mediaInput,
  video: mediaInput,
  picture: mediaInput,
});

export const noteUpdate = z
  .looseObject({
    id: int(),
    fields: fieldsMap.optional(),
    tags: tagsInput().optional(),
    audio: mediaInput,
    video: mediaInput,
    picture: mediaInput,
  })
  .refine((n) => 'fields' in n || 'tags' in n, { error: 'Must provide a "fields" or "tags" property.' });

export const noteModelUpdate = z.looseObject({
  id: z.number({ error: 'Note ID is required' }).int({ error: 'Note ID is required' }).refine((v) => v !== 0, { error: 'Note ID is required' }),
  modelName: z.string({ error: 'Model name is required' }).min(1, { error: 'Model name is required' }),
  fields: z
    .record(z.string(), z.string(), { error: 'Fields must be provided as a dictionary' })
    .refine((f) => Object.keys(f).length > 0, { error: 'Fields must be provided as a dictionary' }),
  tags: z.array(z.string()).optional(),
});

/** guiAddCards: like noteSpec; `options` ignored, `fields` optional. */
export const guiNoteSpec = z.looseObject({
  deckName: z.string(),
  modelName: z.string(),
  fields: fieldsMap.optional(),
  tags: z.array(z.string()).optional(),
  audio: mediaInput,
  video: mediaInput,
  picture: mediaInput,
});

/** guiAddNoteSetData: every part optional; with `append`, field values are concatenated. */
export const guiNotePatch = z.looseObject({
  deckName: z.string().optional(),
  modelName: z.string().optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  tags: tagsInput().optional(),
  audio: mediaInput,
  video: mediaInput,
  picture: mediaInput,
});

export const cardTemplateSpec = z.looseObject({
  Name: z.string().optional(),
  Front: z.string(),
  Back: z.string(),
});

export const reorderCards = z
  .unknown()
  .optional()
  .transform((v, ctx): { order: 'ascending' | 'descending'; columnId: string } | null => {
    if (v === undefined || v === null) return null;
    if (!isPlainObject(v)) {
      ctx.addIssue({ code: 'custom', message: `reorderCards should be a dict: ${pyStr(v)}` });
      return z.NEVER;
    }
    if (!('columnId' in v && 'order' in v)) {
      ctx.addIssue({ code: 'custom', message: 'Must provide a "columnId" and a "order" property"' });
      return z.NEVER;
    }
    if (v.order !== 'ascending' && v.order !== 'descending') {
      ctx.addIssue({ code: 'custom', message: `invalid card order: ${pyStr(v.order)}` });
      return z.NEVER;
    }
    if (typeof v.columnId !== 'string') {
      ctx.addIssue({ code: 'custom', message: `invalid columnId: ${pyStr(v.columnId)}` });
      return z.NEVER;
    }
    return { order: v.order, columnId: v.columnId };
  });

/** An integer, or a string Python's int() accepts (setDeckConfigId calls int(configId)). */
const intLike = () =>
  z.union([int(), z.string().regex(/^\s*[-+]?\d+\s*$/)], { error: paramMsg('must be an integer') }).transform((v) => Number(v));

// ---------------------------------------------------------------------------------------------
// the table

const o = z.object;

export const ACTION_PARAMS = {
  // ---- Card
  getEaseFactors: o({ cards: ints() }),
  setEaseFactors: o({ cards: ints(), easeFactors: ints() }),
  setSpecificValueOfCard: o({ card: anyValue(), keys: anyValue(), newValues: anyValue(), warning_check: optBool(false) }),
  /** `suspend` is an undocumented keyword of the Python method (false = unsuspend). */
  suspend: o({ cards: ints(), suspend: optBool(true) }),
  unsuspend: o({ cards: ints() }),
  suspended: o({ card: int() }),
  areSuspended: o({ cards: ints() }),
  areDue: o({ cards: ints() }),
  getIntervals: o({ cards: ints(), complete: optBool(false) }),
  findCards: o({ query: opt(str(), null) }),
  cardsToNotes: o({ cards: ints() }),
  cardsModTime: o({ cards: ints() }),
  cardsInfo: o({ cards: ints() }),
  forgetCards: o({ cards: ints() }),
  relearnCards: o({ cards: ints() }),
  answerCards: o({ answers: z.array(z.looseObject({ cardId: int(), ease: int() })) }),
  setDueDate: o({ cards: ints(), days: str() }),

  // ---- Deck
  deckNames: o({}),
  deckNamesAndIds: o({}),
  getDecks: o({ cards: ints() }),
  createDeck: o({ deck: str() }),
  changeDeck: o({ cards: ints(), deck: str() }),
  deleteDecks: o({ decks: strs(), cardsToo: optBool(false) }),
  getDeckConfig: o({ deck: str() }),
  saveDeckConfig: o({ config: z.looseObject({ id: z.union([int(), z.string()], { error: paramMsg('must be an integer') }) }) }),
  setDeckConfigId: o({ decks: strs(), configId: intLike() }),
  cloneDeckConfigId: o({ name: str(), cloneFrom: opt(z.union([int(), z.string()], { error: paramMsg('must be an integer or a string') }), '1' as number | string) }),
  removeDeckConfigId: o({ configId: int() }),
  getDeckStats: o({ decks: strs() }),

  // ---- Graphical
  guiBrowse: o({ query: opt(str(), null), reorderCards }),
  guiSelectCard: o({ card: int() }),
  guiSelectedNotes: o({}),
  guiAddCards: o({ note: opt(guiNoteSpec, null) }),
  guiEditNote: o({ note: int() }),
  guiAddNoteSetData: o({ note: guiNotePatch, append: optBool(false) }),
  guiCurrentCard: o({}),
  guiStartCardTimer: o({}),
  guiShowQuestion: o({}),
  guiShowAnswer: o({}),
  guiAnswerCard: o({ ease: int() }),
  guiUndo: o({}),
  guiDeckOverview: o({ name: str() }),
  guiDeckBrowser: o({}),
  guiDeckReview: o({ name: str() }),
  guiImportFile: o({ path: opt(str(), null) }),
  guiExitAnki: o({}),
  guiCheckDatabase: o({}),
  guiPlayAudio: o({}),

  // ---- Media
  storeMediaFile: o({
    filename: str(),
    data: opt(str(), null),
    path: opt(str(), null),
    url: opt(str(), null),
    skipHash: opt(str(), null),
    deleteExisting: optBool(true),
  }),
  retrieveMediaFile: o({ filename: str() }),
  getMediaFilesNames: o({ pattern: opt(str(), '*') }),
  getMediaDirPath: o({}),
  deleteMediaFile: o({ filename: str() }),

  // ---- Miscellaneous
  /** Both are injected by the server from the request; required as in Python (so `multi` fails). */
  requestPermission: o({ origin: str(), allowed: z.boolean() }),
  version: o({}),
  apiReflect: o({
    scopes: z
      .unknown()
      .optional()
      .transform((v, ctx): unknown[] => {
        if (!Array.isArray(v)) {
          ctx.addIssue({ code: 'custom', message: 'scopes has invalid value' });
          return z.NEVER;
        }
        return v;
      }),
    actions: z
      .unknown()
      .optional()
      .transform((v, ctx): unknown[] | null => {
        if (v === undefined || v === null) return null;
        if (!Array.isArray(v)) {
          ctx.addIssue({ code: 'custom', message: 'actions has invalid value' });
          return z.NEVER;
        }
        return v;
      }),
  }),
  sync: o({}),
  getProfiles: o({}),
  getActiveProfile: o({}),
  loadProfile: o({ name: str() }),
  multi: o({ actions: z.array(z.unknown()) }),
  exportPackage: o({ deck: str(), path: str(), includeSched: optBool(false) }),
  importPackage: o({ path: str() }),
  reloadCollection: o({}),

  // ---- Model
  modelNames: o({}),
  modelNamesAndIds: o({}),
  findModelsById: o({ modelIds: ints() }),
  findModelsByName: o({ modelNames: strs() }),
  modelFieldNames: o({ modelName: str() }),
  modelFieldDescriptions: o({ modelName: str() }),
  modelFieldFonts: o({ modelName: str() }),
  modelFieldsOnTemplates: o({ modelName: str() }),
  createModel: o({
    modelName: str(),
    inOrderFields: strs().min(1, { error: 'Must provide at least one field for inOrderFields' }),
    cardTemplates: z.array(cardTemplateSpec).min(1, { error: 'Must provide at least one card for cardTemplates' }),
    css: opt(str(), null),
    isCloze: optBool(false),
  }),
  modelTemplates: o({ modelName: str() }),
  modelStyling: o({ modelName: str() }),
  updateModelTemplates: o({
    model: z.looseObject({
      name: str(),
      templates: z.record(z.string(), z.looseObject({ Front: z.string().nullish(), Back: z.string().nullish() })),
    }),
  }),
  updateModelStyling: o({ model: z.looseObject({ name: str(), css: str() }) }),
  /** `modelName` null or '' = every note type. */
  findAndReplaceInModels: o({
    modelName: str().nullable(),
    findText: str(),
    replaceText: str(),
    front: optBool(true),
    back: optBool(true),
    css: optBool(true),
  }),
  modelTemplateRename: o({ modelName: str(), oldTemplateName: str(), newTemplateName: str() }),
  modelTemplateReposition: o({ modelName: str(), templateName: str(), index: int() }),
  modelTemplateAdd: o({ modelName: str(), template: z.looseObject({ Name: str(), Front: str(), Back: str() }) }),
  modelTemplateRemove: o({ modelName: str(), templateName: str() }),
  modelFieldRename: o({ modelName: str(), oldFieldName: str(), newFieldName: str() }),
  modelFieldReposition: o({ modelName: str(), fieldName: str(), index: int() }),
  modelFieldAdd: o({ modelName: str(), fieldName: str(), index: opt(int(), null) }),
  modelFieldRemove: o({ modelName: str(), fieldName: str() }),
  modelFieldSetFont: o({
    modelName: str(),
    fieldName: str(),
    font: z.string({ error: (iss) => `font should be a string: ${pyStr(iss.input)}` }),
  }),
  modelFieldSetFontSize: o({
    modelName: str(),
    fieldName: str(),
    fontSize: z.number({ error: (iss) => `fontSize should be an integer: ${pyStr(iss.input)}` }).int({
      error: (iss) => `fontSize should be an integer: ${pyStr(iss.input)}`,
    }),
  }),
  modelFieldSetDescription: o({
    modelName: str(),
    fieldName: str(),
    description: z.string({ error: (iss) => `description should be a string: ${pyStr(iss.input)}` }),
  }),

  // ---- Note
  addNote: o({ note: noteSpec }),
  /** Each note is checked by the handler: one bad note must not hide the others' outcome. */
  addNotes: o({ notes: z.array(z.unknown()) }),
  canAddNotes: o({ notes: z.array(z.unknown()) }),
  canAddNotesWithErrorDetail: o({ notes: z.array(z.unknown()) }),
  updateNoteFields: o({ note: noteFieldsUpdate }),
  updateNote: o({ note: noteUpdate }),
  updateNoteModel: o({ note: noteModelUpdate }),
  updateNoteTags: o({ note: int(), tags: tagsInput() }),
  getNoteTags: o({ note: int() }),
  addTags: o({ notes: ints(), tags: str(), add: optBool(true) }),
  removeTags: o({ notes: ints(), tags: str() }),
  getTags: o({}),
  clearUnusedTags: o({}),
  replaceTags: o({ notes: ints(), tag_to_replace: str(), replace_with_tag: str() }),
  replaceTagsInAllNotes: o({ tag_to_replace: str(), replace_with_tag: str() }),
  findNotes: o({ query: opt(str(), null) }),
  notesInfo: o({ notes: opt(ints(), null), query: opt(str(), null) }),
  notesModTime: o({ notes: ints() }),
  deleteNotes: o({ notes: ints() }),
  removeEmptyNotes: o({}),

  // ---- Statistic
  getNumCardsReviewedToday: o({}),
  getNumCardsReviewedByDay: o({}),
  getCollectionStatsHTML: o({ wholeCollection: optBool(true) }),
  cardReviews: o({ deck: str(), startID: int() }),
  /** README samples pass ids as strings; upstream then answers [] for them, so accept both. */
  getReviewsOfCards: o({ cards: z.array(z.union([int(), z.string()], { error: paramMsg('must be a card id') })) }),
  getLatestReviewID: o({ deck: str() }),
  insertReviews: o({ reviews: z.array(z.array(z.number()).length(9)) }),

  // ---- undocumented but callable
  /** Checked per note by the handler (a bad note answers false / an error detail). */
  canAddNote: o({ note: z.unknown() }),
  canAddNoteWithErrorDetail: o({ note: z.unknown() }),
  modelNameFromId: o({ modelId: int() }),
  deckNameFromId: o({ deckId: int() }),
  guiSelectNote: o({ note: int() }),
  guiReviewActive: o({}),
} as const satisfies Record<string, z.ZodObject>;

export type ActionName = keyof typeof ACTION_PARAMS;
/** The parsed params a handler receives for `N` (defaults filled in). */
export type ActionParams<N extends ActionName> = z.output<(typeof ACTION_PARAMS)[N]>;

export const ACTION_NAMES = Object.keys(ACTION_PARAMS) as ActionName[];

/** GUI actions (AnkiConnect's "Graphical" category plus the undocumented GUI helpers). */
export const GUI_ACTIONS: ReadonlySet<ActionName> = new Set<ActionName>([
  'guiBrowse',
  'guiSelectCard',
  'guiSelectedNotes',
  'guiAddCards',
  'guiEditNote',
  'guiAddNoteSetData',
  'guiCurrentCard',
  'guiStartCardTimer',
  'guiShowQuestion',
  'guiShowAnswer',
  'guiAnswerCard',
  'guiUndo',
  'guiDeckOverview',
  'guiDeckBrowser',
  'guiDeckReview',
  'guiImportFile',
  'guiExitAnki',
  'guiCheckDatabase',
  'guiPlayAudio',
  'guiSelectNote',
  'guiReviewActive',
]);
