// Thin adapters: each channel validates nothing itself (the invoker already parsed the input
// against the contract), calls one service function and shapes the result into the contract's
// plain-JSON form. Channels whose service has not landed yet are absent, not stubbed.

import { buryCards, setDeck, setFlag, suspendCards, unburyCards, unsuspendCards } from '../cards/cards-service';
import type { OpChanges } from '../collection/op-changes';
import {
  addDeckConfig,
  deckConfigForDeck,
  deckConfigUseCounts,
  getDeckConfig,
  listDeckConfigs,
  removeDeckConfig,
  setDeckConfigForDecks,
  updateDeckConfig,
} from '../decks/deck-config-service';
import type { DeckConfig } from '../decks/deck-config';
import {
  addDeck,
  deckNames,
  getCurrentDeckId,
  getDeck,
  removeDecks,
  renameDeck,
  reparentDecks,
  setCurrentDeck,
  setDeckCollapsed,
} from '../decks/decks-service';
import type { OpenProfile } from '../host/open-profile';
import { checkMedia } from '../media/media-check';
import { addMediaFile } from '../media/media-service';
import { deleteNotes, getNote, noteFieldsCheck, updateNote } from '../notes/notes-service';
import type { Note } from '../notes/note';
import { isCloze, type Notetype } from '../notetypes/notetype';
import {
  addField,
  addStockNotetype,
  addTemplate,
  cloneNotetype,
  currentNotetypeId,
  getNotetype,
  notetypeUseCounts,
  removeField,
  removeNotetype,
  removeTemplate,
  renameField,
  renameNotetype,
  renameTemplate,
  repositionField,
  repositionTemplate,
  setCurrentNotetype,
  setNotetypeCss,
  setSortField,
  updateFieldConfig,
  updateTemplate,
} from '../notetypes/notetypes-service';
import type { ProfileSettings } from '../profiles/profile-settings';
import { browserSortMode, findCards, findNotes, searchContextFromDb, type SortMode } from '../search/search-service';
import { deckSearchText, notetypeSearchText, tagSearchText } from '../search/writer';
import {
  answerCard,
  deckOverview,
  deckTreeWithCounts,
  type DeckCountsNode,
  forgetCards,
  getQueuedCards,
  repositionNewCards,
  setDueDate,
  unburyDeck,
} from '../scheduler/sched-service';
import { addTagsToNotes, allTags, clearUnusedTags, removeTagsFromNotes } from '../tags/tags-service';
import { browserColumns, browserRows, browserSelection } from '../browser/browser-table';
import { browserState, setBrowserState } from '../browser/browser-state';
import { fieldNamesForNotes, findAndReplace, findAndReplaceTags } from '../notes/find-replace';
import { checkDatabase } from '../collection/dbcheck';
import { deleteEmptyCards, emptyCards } from '../notetypes/empty-cards';
import { type DeckNode, DECK_OPTION_KEYS, type DeckOptions, type DeckPreset, type NoteView, type NotetypeView, type Settings, THEMES } from './contract';
import {
  backups,
  createBackup,
  exportCollectionPackage,
  exportDeckPackage,
  type ImportLog,
  importDeckPackage,
  importKindOf,
  importTextFile,
  replaceProfileCollection,
  restoreProfileBackup,
} from '../import-export/import-export-service';
import { collectionStats, statsGraphs } from '../stats/stats-service';
import { addingDefaults, addNoteFromEditor } from '../notes/adding';
import { previewNoteCards } from '../cards/card-preview';
import { readSecrets, writeSecrets } from '../profiles/secrets';
import { intervalMinutesFromSettings } from '../sync/sync-loop';
import type { GuiReply } from './gui-bridge';
import type { EventHub, HandlerMap } from './invoker';
import type { HostSync } from '../host/host';
import { toSyncView } from './sync-view';
import { DeckhandError } from '../collection/errors';
import { previewCardView, reviewCardView } from './review-view';

export interface HandlerDeps {
  /** The profile this process holds open (collection, settings). */
  session: OpenProfile;
  /** Base URL of the media folder as card HTML sees it (`/media/<token>/`, `app://deckhand/media/`). */
  mediaBase: string;
  version?: string;
  /** Where `progress` events go. */
  events?: EventHub;
  /** The profile's sync loop (the host's); without it the sync channels are not served. */
  sync?: HostSync;
  /** Where the window's answers to AnkiConnect GUI commands go (`gui.reply`); absent: not served. */
  gui?: { reply(r: GuiReply): { accepted: boolean } };
}

const changesOf = (r: { changes: OpChanges }) => ({ changes: r.changes });

// ---------------------------------------------------------------------------------------------
// Shaping domain values into the contract's JSON

export function toDeckNode(n: DeckCountsNode): DeckNode {
  return {
    id: n.deckId,
    name: n.name,
    fullName: n.fullName,
    level: n.level,
    collapsed: n.collapsed,
    filtered: n.filtered,
    counts: { new: n.newCount, learn: n.learnCount, review: n.reviewCount },
    children: n.children.map(toDeckNode),
  };
}

export function toDeckPreset(c: DeckConfig, useCount: number): DeckPreset {
  const options = Object.fromEntries(DECK_OPTION_KEYS.map((k) => [k, c.config[k]])) as DeckOptions;
  return { id: c.id, name: c.name, useCount, options };
}

export function toNotetypeView(nt: Notetype): NotetypeView {
  return {
    id: nt.id,
    name: nt.name,
    kind: isCloze(nt) ? 'cloze' : 'normal',
    css: nt.config.css,
    sortFieldIdx: nt.config.sortFieldIdx,
    fields: nt.fields.map((f) => ({
      ord: f.ord,
      name: f.name,
      sticky: f.config.sticky,
      rtl: f.config.rtl,
      fontName: f.config.fontName,
      fontSize: f.config.fontSize,
      description: f.config.description,
      plainText: f.config.plainText,
      collapsed: f.config.collapsed,
      excludeFromSearch: f.config.excludeFromSearch,
    })),
    templates: nt.templates.map((t) => ({
      ord: t.ord,
      name: t.name,
      qFormat: t.config.qFormat,
      aFormat: t.config.aFormat,
      qFormatBrowser: t.config.qFormatBrowser,
      aFormatBrowser: t.config.aFormatBrowser,
    })),
  };
}

export const toNoteView = (n: Note): NoteView => ({ id: n.id, guid: n.guid, notetypeId: n.notetypeId, mtimeSecs: n.mtimeSecs, fields: n.fields, tags: n.tags });

/** Profile settings as the contract shows them; the UI keys live under `ui` in profile.json. */
export function toSettings(s: ProfileSettings): Settings {
  const ui = (s as { ui?: { theme?: unknown; keymap?: unknown } }).ui ?? {};
  const theme = (THEMES as readonly unknown[]).includes(ui.theme) ? (ui.theme as Settings['ui']['theme']) : 'system';
  const keymap = ui.keymap && typeof ui.keymap === 'object' ? (ui.keymap as Record<string, string[]>) : {};
  return {
    ankiConnect: { enabled: s.ankiConnect.enabled, port: s.ankiConnect.port, bindAddress: s.ankiConnect.bindAddress, corsOrigins: s.ankiConnect.corsOrigins },
    sync: {
      endpoint: s.sync.endpoint,
      username: s.sync.username,
      autoSync: s.sync.autoSync,
      syncMedia: s.sync.syncMedia,
      intervalMinutes: Math.min(24 * 60, Math.round(intervalMinutesFromSettings(s))),
    },
    ui: { theme, keymap },
  };
}

// ---------------------------------------------------------------------------------------------

/** An import's log in counts. */
export function importLogCounts(log: ImportLog) {
  return {
    found: log.foundNotes,
    new: log.new.length,
    updated: log.updated.length,
    duplicate: log.duplicate.length,
    conflicting: log.conflicting.length,
    skipped: log.missingNotetype.length + log.missingDeck.length + log.emptyFirstField.length,
  };
}

export function createHandlers(deps: HandlerDeps): HandlerMap {
  const { session, mediaBase, events } = deps;
  const progress = (task: string) => (p: { stage: string; done: number; total?: number }) => events?.emit('progress', { task, done: p.done, total: p.total ?? null, message: p.stage });
  // Read per call: the host may reopen the collection (full sync download, .colpkg import).
  const searchOrder = (order: { column: string; reverse: boolean } | undefined, kind: 'cards' | 'notes'): SortMode =>
    order ? { kind: 'builtin', column: order.column as never, reverse: order.reverse } : browserSortMode(session.col.db, kind);
  const ctx = () => searchContextFromDb(session.col.db, session.col.nowSecs());
  const nextReview = (deckId: number | undefined) => {
    const q = getQueuedCards(session.col, deckId, 1);
    return {
      counts: { new: q.newCount, learn: q.learningCount, review: q.reviewCount },
      card: q.cards[0] ? reviewCardView(session.col, q.cards[0], mediaBase) : null,
    };
  };

  const handlers: HandlerMap = {
    'app.info': () => ({
      version: deps.version ?? '0.0.0',
      channels: [...served],
      profile: session.name,
      collectionPath: session.col.path,
      mediaBase,
    }),
    'collection.undoStatus': () => session.col.undoStatus(),
    'collection.undo': () => {
      const r = session.col.undo();
      return { op: r.result.op, changes: r.changes, status: session.col.undoStatus() };
    },
    'collection.redo': () => {
      const r = session.col.redo();
      return { op: r.result.op, changes: r.changes, status: session.col.undoStatus() };
    },

    'decks.tree': () => toDeckNode(deckTreeWithCounts(session.col)),
    'decks.list': ({ includeFiltered }) => deckNames(session.col, { includeFiltered }),
    'decks.get': ({ id }) => {
      const d = getDeck(session.col, id);
      return {
        id: d.id,
        name: d.name,
        filtered: !!d.kind.filtered,
        description: d.kind.normal?.description ?? '',
        presetId: d.kind.normal ? Number(d.kind.normal.configId) : null,
      };
    },
    'decks.overview': ({ id }) => {
      const o = deckOverview(session.col, id);
      return {
        id: o.deckId,
        name: o.name,
        description: o.description,
        filtered: o.filtered,
        counts: { new: o.counts.new, learn: o.counts.learning, review: o.counts.review },
        studiedToday: o.studiedToday,
        dueTomorrow: o.dueTomorrow,
        congrats: o.congrats,
      };
    },
    'decks.unbury': ({ id, mode }) => counted(unburyDeck(session.col, id, mode)),
    'decks.current': () => ({ id: getCurrentDeckId(session.col) }),
    'decks.setCurrent': ({ id }) => changesOf(setCurrentDeck(session.col, id)),
    'decks.add': ({ name }) => {
      const r = addDeck(session.col, name);
      return { id: r.result.id, name: r.result.name, changes: r.changes };
    },
    'decks.rename': ({ id, name }) => {
      const r = renameDeck(session.col, id, name);
      return { name: r.result.name, changes: r.changes };
    },
    'decks.reparent': ({ deckIds, parentId }) => {
      const r = reparentDecks(session.col, deckIds, parentId);
      return { moved: r.result, changes: r.changes };
    },
    'decks.remove': ({ deckIds }) => {
      const r = removeDecks(session.col, deckIds);
      return { cardsDeleted: r.result, changes: r.changes };
    },
    'decks.setCollapsed': ({ id, collapsed, scope }) => changesOf(setDeckCollapsed(session.col, id, collapsed, scope)),

    'deckPresets.list': () => listDeckConfigs(session.col).map((c) => toDeckPreset(c, c.useCount)),
    'deckPresets.forDeck': ({ deckId }) => {
      const c = deckConfigForDeck(session.col, deckId);
      return toDeckPreset(c, deckConfigUseCounts(session.col).get(c.id) ?? 0);
    },
    'deckPresets.add': ({ name, cloneFromId }) => {
      const r = addDeckConfig(session.col, name, cloneFromId);
      return { id: r.result.id, changes: r.changes };
    },
    'deckPresets.update': ({ id, name, options }) => {
      const current = getDeckConfig(session.col, id);
      return changesOf(updateDeckConfig(session.col, { ...current, name: name ?? current.name, config: { ...current.config, ...options } }));
    },
    'deckPresets.remove': ({ id }) => {
      const r = removeDeckConfig(session.col, id);
      return { decksMoved: r.result, changes: r.changes };
    },
    'deckPresets.assign': ({ presetId, deckIds, includeChildren }) => {
      const r = setDeckConfigForDecks(session.col, presetId, deckIds, { includeChildren });
      return { decksChanged: r.result, changes: r.changes };
    },

    'notetypes.list': () => notetypeUseCounts(session.col),
    'notetypes.get': ({ id }) => toNotetypeView(getNotetype(session.col, id)),
    'notetypes.current': () => ({ id: currentNotetypeId(session.col) }),
    'notetypes.setCurrent': ({ id }) => changesOf(setCurrentNotetype(session.col, id)),
    'notetypes.addStock': ({ kind, name }) => {
      const r = addStockNotetype(session.col, kind, name);
      return { ...r.result, changes: r.changes };
    },
    'notetypes.clone': ({ id, name }) => {
      const r = cloneNotetype(session.col, id, name);
      return { ...r.result, changes: r.changes };
    },
    'notetypes.rename': ({ id, name }) => {
      const r = renameNotetype(session.col, id, name);
      return { name: r.result, changes: r.changes };
    },
    'notetypes.remove': ({ id }) => {
      const r = removeNotetype(session.col, id);
      return { notesDeleted: r.result, changes: r.changes };
    },
    'notetypes.setCss': ({ id, css }) => changesOf(setNotetypeCss(session.col, id, css)),
    'notetypes.setSortField': ({ id, field }) => changesOf(setSortField(session.col, id, field)),
    'notetypes.fields.add': ({ id, name, index }) => {
      const r = addField(session.col, id, name, { index });
      return { name: r.result, changes: r.changes };
    },
    'notetypes.fields.rename': ({ id, field, name }) => {
      const r = renameField(session.col, id, field, name);
      return { name: r.result, changes: r.changes };
    },
    'notetypes.fields.remove': ({ id, field }) => changesOf(removeField(session.col, id, field)),
    'notetypes.fields.reposition': ({ id, field, index }) => changesOf(repositionField(session.col, id, field, index)),
    'notetypes.fields.update': ({ id, field, patch }) => changesOf(updateFieldConfig(session.col, id, field, patch)),
    'notetypes.templates.add': ({ id, name, qFormat, aFormat }) => {
      const r = addTemplate(session.col, id, { name, qFormat, aFormat });
      return { name: r.result, changes: r.changes };
    },
    'notetypes.templates.rename': ({ id, template, name }) => {
      const r = renameTemplate(session.col, id, template, name);
      return { name: r.result, changes: r.changes };
    },
    'notetypes.templates.remove': ({ id, template }) => changesOf(removeTemplate(session.col, id, template)),
    'notetypes.templates.reposition': ({ id, template, index }) => changesOf(repositionTemplate(session.col, id, template, index)),
    'notetypes.templates.update': ({ id, template, patch }) => changesOf(updateTemplate(session.col, id, template, patch)),

    'notes.get': ({ id }) => toNoteView(getNote(session.col, id)),
    // the Add screen: Anki remembers the deck per note type, the note type per deck, curModel
    'notes.add': ({ notetypeId, deckId, fields, tags }) => {
      const r = addNoteFromEditor(session.col, { notetypeId, deckId, fields, tags });
      return { noteId: r.result.noteId, cardIds: r.result.cardIds, changes: r.changes };
    },
    'notes.update': ({ id, fields, tags }) => {
      const r = updateNote(session.col, id, { fields, tags });
      return { note: toNoteView(r.result), changes: r.changes };
    },
    'notes.remove': ({ ids }) => {
      const r = deleteNotes(session.col, ids);
      return { removed: r.result, changes: r.changes };
    },
    'notes.check': ({ notetypeId, fields }) => ({ state: noteFieldsCheck(session.col, notetypeId, fields) }),
    'notes.addDefaults': ({ notetypeId }) => addingDefaults(session.col, { notetypeId }),
    'notes.preview': ({ notetypeId, fields, tags, deckId }) => ({
      cards: previewNoteCards(session.col, { notetypeId, fields, tags, deckId }).map((c) => previewCardView(c, mediaBase)),
    }),
    'notes.addTags': ({ noteIds, tags }) => counted(addTagsToNotes(session.col, noteIds, tags)),
    'notes.removeTags': ({ noteIds, tags }) => counted(removeTagsFromNotes(session.col, noteIds, tags)),
    'notes.findReplace': ({ noteIds, search, replacement, regex, matchCase, field, target }) =>
      counted(target === 'tags' ? findAndReplaceTags(session.col, { noteIds, search, replacement, regex, matchCase }) : findAndReplace(session.col, { noteIds, search, replacement, regex, matchCase, field })),
    'notes.fieldNames': ({ noteIds }) => ({ names: fieldNamesForNotes(session.col, noteIds) }),

    'cards.setDeck': ({ cardIds, deckId }) => counted(setDeck(session.col, cardIds, deckId)),
    'cards.suspend': ({ cardIds }) => counted(suspendCards(session.col, cardIds)),
    'cards.unsuspend': ({ cardIds }) => counted(unsuspendCards(session.col, cardIds)),
    'cards.bury': ({ cardIds }) => counted(buryCards(session.col, cardIds)),
    'cards.unbury': ({ cardIds }) => counted(unburyCards(session.col, cardIds)),
    'cards.setFlag': ({ cardIds, flag }) => counted(setFlag(session.col, cardIds, flag)),
    'cards.reposition': ({ cardIds, start, step, randomize, shift }) => counted(repositionNewCards(session.col, cardIds, start, step, randomize, shift)),
    'cards.forget': ({ cardIds, restorePosition, resetCounts }) => counted(forgetCards(session.col, cardIds, { restorePosition, resetCounts, context: 'browser' })),
    'cards.setDueDate': ({ cardIds, days }) => counted(setDueDate(session.col, cardIds, days, { context: 'browser' })),

    'tags.list': () => allTags(session.col),
    'tags.clearUnused': () => {
      const r = clearUnusedTags(session.col);
      return { removed: r.result, changes: r.changes };
    },

    'search.cards': ({ query, order }) => ({ ids: findCards(session.col.db, query, ctx(), searchOrder(order, 'cards')) }),
    'search.notes': ({ query, order }) => ({ ids: findNotes(session.col.db, query, ctx(), searchOrder(order, 'notes')) }),
    'search.termText': ({ kind, name }) => ({ text: kind === 'deck' ? deckSearchText(name) : kind === 'tag' ? tagSearchText(name) : notetypeSearchText(name) }),
    'browser.rows': ({ mode, ids, columns }) => ({ rows: browserRows(session.col, ids, columns, mode) }),
    'browser.columns': () => ({ columns: browserColumns() }),
    'browser.state': () => browserState(session.col),
    'browser.setState': (patch) => {
      const r = setBrowserState(session.col, patch);
      return { state: r.result, changes: r.changes };
    },
    'browser.selection': ({ mode, ids }) => browserSelection(session.col, mode, ids),

    'review.next': ({ deckId }) => nextReview(deckId),
    'review.answer': ({ cardId, rating, millisecondsTaken, next }) => {
      const { changes } = answerCard(session.col, cardId, rating, millisecondsTaken);
      return next ? { changes, next: nextReview(next.deckId) } : { changes };
    },

    'media.add': ({ filename, dataBase64 }) => ({ filename: addMediaFile(session.col, filename, Buffer.from(dataBase64, 'base64')) }),
    'media.url': ({ filename }) => ({ url: mediaBase + encodeURIComponent(filename) }),

    'tools.checkMedia': () => checkMedia(session.col),
    'tools.checkDatabase': async () => {
      // as Anki's Tools › Check Database: a backup first
      await createBackup(session.col, session.info.backupsDir, { force: true });
      const r = checkDatabase(session.col, { progress: (p) => events?.emit('progress', { task: 'checkDatabase', done: p.done, total: p.total, message: p.stage }) });
      return { report: r.result.report, problems: r.result.problems, ok: r.result.ok, changes: r.changes };
    },
    'tools.emptyCards': () => {
      const r = emptyCards(session.col);
      return { report: r.report, cardIds: r.cardIds, notetypes: r.notetypes };
    },
    'tools.deleteEmptyCards': ({ cardIds, keepNotes }) => counted(deleteEmptyCards(session.col, cardIds, keepNotes)),

    'import.file': async ({ path, withScheduling }) => {
      const kind = importKindOf(path);
      if (kind === 'colpkg') throw new DeckhandError('invalid-input', 'A .colpkg replaces the whole collection: use “Replace collection” (import.collectionPackage) for it.');
      if (kind === 'apkg') {
        const r = await importDeckPackage(session.col, path, { withScheduling, progress: progress('import') });
        return { kind, log: importLogCounts(r.result.log), changes: r.changes };
      }
      const r = importTextFile(session.col, path);
      return { kind, log: importLogCounts(r.result), changes: r.changes };
    },
    'export.package': ({ path, deckId, withMedia, withScheduling }) =>
      exportDeckPackage(session.col, path, deckId === null ? { all: true } : { deckId }, { withMedia, withScheduling, progress: progress('export') }),

    'import.collectionPackage': async ({ path }) => {
      const r = await replaceProfileCollection(session, path, { progress: progress('import') });
      return { backupPath: r.backupPath, changes: everything() };
    },
    'export.collectionPackage': ({ path, includeMedia }) => exportCollectionPackage(session.col, path, { includeMedia, progress: progress('export') }),
    'backups.list': () => backups(session.info.backupsDir).map((b) => ({ path: b.path, name: b.name, dateMs: b.date.getTime(), sizeBytes: b.size })),
    'backups.create': async () => ({ path: await createBackup(session.col, session.info.backupsDir, { force: true }) }),
    'backups.restore': async ({ path }) => {
      if (!backups(session.info.backupsDir).some((b) => b.path === path)) throw new DeckhandError('not-found', 'that is not one of this profile’s backups');
      const r = await restoreProfileBackup(session, path, { progress: progress('restore') });
      return { backupPath: r.backupPath, changes: everything() };
    },

    ...(deps.sync ? syncHandlers(deps.sync) : {}),
    ...(deps.gui ? { 'gui.reply': (r: GuiReply) => deps.gui!.reply(r) } : {}),

    'stats.summary': ({ deckId }) => collectionStats(session.col, deckId === null ? { wholeCollection: true } : { wholeCollection: false, deckId }),
    'stats.graphs': ({ deckId, days }) => statsGraphs(session.col, deckId === null ? { wholeCollection: true } : { wholeCollection: false, deckId }, days),

    'settings.get': () => toSettings(session.settings()),
    'settings.update': (patch) => {
      const next = toSettings(session.updateSettings(patch));
      // what the running sync loop can take at once
      if (patch.sync?.intervalMinutes !== undefined) deps.sync?.setIntervalMs?.(next.sync.intervalMinutes * 60_000);
      if (patch.sync?.autoSync !== undefined) deps.sync?.setAutomatic?.(next.sync.autoSync && next.sync.username !== null);
      return next;
    },
    'settings.ankiConnectKey': () => ({ key: readSecrets(session.info.dir).ankiConnectApiKey ?? null }),
    'settings.setAnkiConnectKey': ({ key }) => {
      writeSecrets(session.info.dir, { ankiConnectApiKey: key ?? undefined });
      return { key: readSecrets(session.info.dir).ankiConnectApiKey ?? null };
    },
  };
  const served = Object.keys(handlers);
  return handlers;
}

function syncHandlers(sync: HostSync): HandlerMap {
  return {
    'sync.status': () => toSyncView(sync.status),
    'sync.now': async () => toSyncView(await sync.syncNow()),
    'sync.chooseFullSync': async ({ direction }) => toSyncView(await sync.chooseFullSync(direction)),
    'sync.login': async ({ username, password, endpoint }) => toSyncView(await sync.login({ username, password, endpoint: endpoint ?? undefined })),
    'sync.logout': async () => toSyncView(await sync.logout()),
  };
}

/** After the collection was replaced, everything the window shows may have changed. */
const everything = (): OpChanges => ({ notes: true, cards: true, decks: true, deckConfigs: true, notetypes: true, tags: true, config: true, revlog: true, studyQueues: true });

function counted(r: { result: number; changes: OpChanges }) {
  return { count: r.result, changes: r.changes };
}
