/**
 * GUI actions. The dispatcher refuses them with `no window is open: <action> needs the desktop
 * app` when there is no window (headless `deckhand serve`); with a window, the handler does the
 * AnkiConnect part (names checked, media stored, search run, card rendered) and the GuiHooks
 * drive the window.
 */
import { answerWithStyle, questionWithStyle } from '../../template/card';
import { renderStoredCard } from '../../cards/card-render';
import { getDeckByName } from '../../decks/decks-service';
import { isCloze } from '../../notetypes/notetype';
import { defineAnkiAction } from './define';
import { addNoteMedia, hasMedia, webTimeout } from './media';
import type { ActionContext, AddCardsPatch, GuiHooks } from './registry';
import { existingCard } from './cards';
import { searchCards } from './search';
import { collection, deckByName, deckOrDefault, fieldsObject, modelByName, session } from './session';
import { pyStr } from '../py-compat';
import { notesById } from '../../notes/notes-service';
import { getNotetypeByName } from '../../notetypes/notetypes-service';
import { checkDatabase } from '../../collection/dbcheck';
import { createBackup } from '../../import-export/import-export-service';

type HookName = Exclude<keyof GuiHooks, 'isWindowOpen' | 'promptPermission'>;

/** A window hook, or a clear error when this window does not offer it. */
function hook<K extends HookName>(ctx: ActionContext, name: K): NonNullable<GuiHooks[K]> {
  const gui = ctx.requireWindow();
  const fn = gui[name];
  if (typeof fn !== 'function') throw new Error(`${ctx.action} is not available in this window`);
  return (fn as (...args: unknown[]) => unknown).bind(gui) as NonNullable<GuiHooks[K]>;
}

export const guiBrowse = defineAnkiAction('guiBrowse', async ({ query, reorderCards }, ctx) => {
  const col = collection(ctx);
  const ok = await hook(ctx, 'browse')(query, reorderCards);
  if (!ok && reorderCards) throw new Error(`invalid columnId: ${reorderCards.columnId}`);
  return query === null ? [] : searchCards(col, query);
});

export const guiSelectCard = defineAnkiAction('guiSelectCard', async ({ card }, ctx) => hook(ctx, 'browserSelectCard')(card));
/** Deprecated name of guiSelectCard (it always selected cards). */
export const guiSelectNote = defineAnkiAction('guiSelectNote', async ({ note }, ctx) => hook(ctx, 'browserSelectCard')(note));

export const guiSelectedNotes = defineAnkiAction('guiSelectedNotes', async (_p, ctx) => [...(await hook(ctx, 'browserSelectedNotes')())]);

/** Opens the Add window, pre-filled when a note is given (exact field names; media stored and appended). */
export const guiAddCards = defineAnkiAction('guiAddCards', async ({ note }, ctx) => {
  const open = hook(ctx, 'openAddCards');
  if (note === null) return open(null);
  const col = collection(ctx);
  const deck = deckByName(col, note.deckName);
  const nt = modelByName(col, note.modelName);
  const ords = new Map(nt.fields.map((f) => [f.name, f.ord]));
  const fields = nt.fields.map(() => '');
  for (const [name, value] of Object.entries(note.fields ?? {})) {
    const ord = ords.get(name);
    if (ord !== undefined) fields[ord] = value;
  }
  if (hasMedia(note)) {
    await addNoteMedia(
      col,
      note,
      (field, text) => {
        const ord = ords.get(field);
        if (ord !== undefined) fields[ord] += text;
      },
      webTimeout(ctx),
    );
  }
  return open({ deckId: deck.id, notetypeId: nt.id, fields, tags: note.tags ?? [] });
});

export const guiEditNote = defineAnkiAction('guiEditNote', async ({ note }, ctx) => {
  const edit = hook(ctx, 'editNote');
  if (!notesById(collection(ctx), [note]).has(note)) throw new Error(`Note was not found: ${note}`);
  await edit(note);
  return null;
});

/**
 * Sets deck, note type, fields, tags and media of the open Add window. Without one, the result
 * (not an error) is `{error: "Add Note dialog is not open", code: 1}`, as upstream.
 */
export const guiAddNoteSetData = defineAnkiAction('guiAddNoteSetData', async ({ note, append }, ctx) => {
  const set = hook(ctx, 'setAddCardsData');
  const col = collection(ctx);
  const patch: AddCardsPatch = { append, mediaHtml: [] };
  if (note.deckName !== undefined) {
    const deck = getDeckByName(col, note.deckName);
    if (!deck) throw new Error(`Deck "${note.deckName}" not found`);
    patch.deckId = deck.id;
  }
  if (note.modelName !== undefined) {
    const nt = getNotetypeByName(col, note.modelName);
    if (!nt) throw new Error(`Model "${note.modelName}" not found`);
    patch.notetypeId = nt.id;
  }
  if (note.fields !== undefined) patch.fields = Object.fromEntries(Object.entries(note.fields).map(([k, v]) => [k, typeof v === 'string' ? v : pyStr(v)]));
  if (note.tags !== undefined) patch.tags = typeof note.tags === 'string' ? [note.tags] : note.tags;
  if (hasMedia(note)) await addNoteMedia(col, note, (field, html) => patch.mediaHtml.push({ field, html }), webTimeout(ctx));
  const outcome = await set(patch);
  if (outcome === 'not-open') return { error: 'Add Note dialog is not open', code: 1 };
  if (outcome !== true) throw new Error(`Field "${outcome.missingField}" not found in current note`);
  return true;
});

/** The card under review with its fields, rendered sides, buttons and labels. */
export const guiCurrentCard = defineAnkiAction('guiCurrentCard', async (_p, ctx) => {
  const current = await hook(ctx, 'reviewerCard')();
  if (!current) throw new Error('Gui review is not currently active.');
  const col = collection(ctx);
  const card = existingCard(col, current.cardId);
  const note = notesById(col, [card.noteId]).get(card.noteId);
  const nt = note && col.storage.notetypes.get(note.notetypeId);
  if (!note || !nt) throw new Error(`Note was not found: ${card.noteId}`);
  const rendered = renderStoredCard(col, card, note, nt);
  const template = isCloze(nt) ? nt.templates[0] : nt.templates[card.ord];
  return {
    cardId: card.id,
    fields: fieldsObject(nt, note.fields),
    fieldOrder: card.ord,
    question: questionWithStyle(rendered),
    answer: answerWithStyle(rendered),
    buttons: current.buttons,
    nextReviews: current.nextReviews,
    modelName: nt.name,
    deckName: deckOrDefault(col, card.deckId).name,
    css: nt.config.css,
    template: template?.name ?? '',
  };
});

export const guiReviewActive = defineAnkiAction('guiReviewActive', async (_p, ctx) => (await hook(ctx, 'reviewerCard')()) !== null);
export const guiStartCardTimer = defineAnkiAction('guiStartCardTimer', async (_p, ctx) => hook(ctx, 'reviewerStartTimer')());
export const guiShowQuestion = defineAnkiAction('guiShowQuestion', async (_p, ctx) => hook(ctx, 'reviewerShowQuestion')());
export const guiShowAnswer = defineAnkiAction('guiShowAnswer', async (_p, ctx) => hook(ctx, 'reviewerShowAnswer')());
export const guiAnswerCard = defineAnkiAction('guiAnswerCard', async ({ ease }, ctx) => hook(ctx, 'reviewerAnswer')(ease));
export const guiPlayAudio = defineAnkiAction('guiPlayAudio', async (_p, ctx) => hook(ctx, 'reviewerReplayAudio')());

export const guiUndo = defineAnkiAction('guiUndo', async (_p, ctx) => {
  await hook(ctx, 'undo')();
  return true;
});

export const guiDeckOverview = defineAnkiAction('guiDeckOverview', async ({ name }, ctx) => {
  const show = hook(ctx, 'showDeckOverview');
  const deck = getDeckByName(collection(ctx), name);
  if (!deck) return false;
  await show(deck.id);
  return true;
});

export const guiDeckReview = defineAnkiAction('guiDeckReview', async ({ name }, ctx) => {
  const start = hook(ctx, 'startReview');
  const deck = getDeckByName(collection(ctx), name);
  if (!deck) return false;
  await start(deck.id);
  return true;
});

export const guiDeckBrowser = defineAnkiAction('guiDeckBrowser', async (_p, ctx) => {
  await hook(ctx, 'showDeckBrowser')();
  return null;
});

export const guiImportFile = defineAnkiAction('guiImportFile', async ({ path }, ctx) => {
  await hook(ctx, 'importFile')(path);
  return null;
});

export const guiExitAnki = defineAnkiAction('guiExitAnki', async (_p, ctx) => {
  await hook(ctx, 'exitApp')();
  return null;
});

/** Check Database in the window when it offers it, else run here (the window refreshes from the change event). */
export const guiCheckDatabase = defineAnkiAction('guiCheckDatabase', async (_p, ctx) => {
  const gui = ctx.requireWindow();
  if (typeof gui.checkDatabase === 'function') await gui.checkDatabase();
  else {
    // as Anki's Tools › Check Database: a backup first
    const s = session(ctx);
    await createBackup(s.col, s.info.backupsDir, { force: true });
    checkDatabase(s.col);
  }
  return true;
});

export const GUI_ACTION_DEFS = [
  guiBrowse,
  guiSelectCard,
  guiSelectNote,
  guiSelectedNotes,
  guiAddCards,
  guiEditNote,
  guiAddNoteSetData,
  guiCurrentCard,
  guiReviewActive,
  guiStartCardTimer,
  guiShowQuestion,
  guiShowAnswer,
  guiAnswerCard,
  guiPlayAudio,
  guiUndo,
  guiDeckOverview,
  guiDeckReview,
  guiDeckBrowser,
  guiImportFile,
  guiExitAnki,
  guiCheckDatabase,
];
