import { afterEach, describe, expect, it } from 'vitest';
import { setUpTestDeck, startTestHost, type TestHost } from '../test-support';
import type { AddCardsDraft, AddCardsPatch, BrowserSort, GuiHooks, ReviewerCard } from './registry';
import { GUI_ACTIONS } from './schemas';

let h: TestHost;
afterEach(async () => h?.close());

describe('headless (no window)', () => {
  it('every GUI action answers the no-window error', async () => {
    h = await startTestHost();
    const params: Record<string, unknown> = {
      guiBrowse: { query: 'deck:current' },
      guiSelectCard: { card: 1 },
      guiSelectNote: { note: 1 },
      guiEditNote: { note: 1 },
      guiAnswerCard: { ease: 3 },
      guiDeckOverview: { name: 'Default' },
      guiDeckReview: { name: 'Default' },
      guiAddNoteSetData: { note: {} },
    };
    expect(GUI_ACTIONS.size).toBe(21);
    for (const action of GUI_ACTIONS) {
      expect(await h.post(action, params[action])).toEqual({ result: null, error: `no window is open: ${action} needs the desktop app` });
    }
  });
});

describe('with a window', () => {
  function fakeGui() {
    const log: unknown[] = [];
    let reviewing: ReviewerCard | null = null;
    let addOpen = false;
    const gui: GuiHooks = {
      isWindowOpen: () => true,
      browse: (query: string | null, sort: BrowserSort | null) => (log.push(['browse', query, sort]), sort?.columnId !== 'bogus'),
      browserSelectCard: (id: number) => (log.push(['select', id]), true),
      browserSelectedNotes: () => [1, 2],
      openAddCards: (draft: AddCardsDraft | null) => (log.push(['add', draft]), (addOpen = true), 0),
      setAddCardsData: (patch: AddCardsPatch) => {
        if (!addOpen) return 'not-open';
        log.push(['set', patch]);
        if (patch.fields && 'Nope' in patch.fields) return { missingField: 'Nope' };
        return true;
      },
      editNote: (id: number) => void log.push(['edit', id]),
      reviewerCard: () => reviewing,
      reviewerShowAnswer: () => reviewing !== null,
      reviewerAnswer: (ease: number) => reviewing !== null && ease >= 1 && ease <= 4,
      undo: () => void log.push(['undo']),
      showDeckOverview: (id: number) => void log.push(['overview', id]),
      checkDatabase: () => void log.push(['check']),
    };
    return { gui, log, review: (c: ReviewerCard | null) => (reviewing = c) };
  }

  it('guiBrowse searches; reorderCards is checked', async () => {
    const f = fakeGui();
    h = await startTestHost({ gui: f.gui });
    const s = await setUpTestDeck(h);
    expect(new Set(await h.call<number[]>('guiBrowse', { query: 'deck:test_deck' }))).toEqual(new Set(s.cards));
    expect(await h.call('guiBrowse', {})).toEqual([]);
    expect((await h.post('guiBrowse', { query: 'x', reorderCards: { columnId: 'bogus', order: 'ascending' } })).error).toBe('invalid columnId: bogus');
    expect((await h.post('guiBrowse', { query: 'x', reorderCards: { columnId: 'noteFld', order: 'up' } })).error).toBe('invalid card order: up');
    expect(f.log[0]).toEqual(['browse', 'deck:test_deck', null]);
    expect(await h.call('guiSelectCard', { card: 5 })).toBe(true);
    expect(await h.call('guiSelectNote', { note: 6 })).toBe(true);
    expect(await h.call('guiSelectedNotes')).toEqual([1, 2]);
  });

  it('Add window: open, prefill, set data', async () => {
    const f = fakeGui();
    h = await startTestHost({ gui: f.gui });
    await setUpTestDeck(h);
    expect(await h.call('guiAddNoteSetData', { note: { fields: { field1: 'x' } } })).toEqual({ error: 'Add Note dialog is not open', code: 1 });
    expect(await h.call('guiAddCards', { note: { deckName: 'test_deck', modelName: 'test_model', fields: { field1: 'a', FIELD2: 'ignored' }, tags: ['t'] } })).toBe(0);
    const draft = (f.log.find((e) => (e as unknown[])[0] === 'add') as [string, AddCardsDraft])[1];
    expect(draft.fields).toEqual(['a', '']);
    expect(draft.tags).toEqual(['t']);
    expect((await h.post('guiAddCards', { note: { deckName: 'nope', modelName: 'test_model' } })).error).toBe('deck was not found: nope');
    expect(await h.call('guiAddNoteSetData', { note: { deckName: 'test_deck', fields: { field2: 'b' }, tags: 'x' }, append: true })).toBe(true);
    expect((await h.post('guiAddNoteSetData', { note: { deckName: 'nope' } })).error).toBe('Deck "nope" not found');
    expect((await h.post('guiAddNoteSetData', { note: { modelName: 'nope' } })).error).toBe('Model "nope" not found');
    expect((await h.post('guiAddNoteSetData', { note: { fields: { Nope: 1 } } })).error).toBe('Field "Nope" not found in current note');
  });

  it('reviewer actions; a hook the window lacks is a clear error', async () => {
    const f = fakeGui();
    h = await startTestHost({ gui: f.gui });
    const s = await setUpTestDeck(h);
    expect(await h.call('guiReviewActive')).toBe(false);
    expect((await h.post('guiCurrentCard')).error).toBe('Gui review is not currently active.');
    expect(await h.call('guiShowAnswer')).toBe(false);
    f.review({ cardId: s.note1Cards[0], side: 'question', buttons: [1, 2, 3, 4], nextReviews: ['<1m', '<6m', '<10m', '4d'] });
    expect(await h.call('guiReviewActive')).toBe(true);
    expect(await h.call('guiCurrentCard')).toMatchObject({
      cardId: s.note1Cards[0],
      question: '<style>* {}</style>note1 field1',
      buttons: [1, 2, 3, 4],
      nextReviews: ['<1m', '<6m', '<10m', '4d'],
      modelName: 'test_model',
      deckName: 'test_deck',
      template: 'Card 1',
      fieldOrder: 0,
    });
    expect(await h.call('guiAnswerCard', { ease: 3 })).toBe(true);
    expect(await h.call('guiUndo')).toBe(true);
    expect(await h.call('guiDeckOverview', { name: 'test_deck' })).toBe(true);
    expect(await h.call('guiDeckOverview', { name: 'nope' })).toBe(false);
    expect(await h.call('guiCheckDatabase')).toBe(true);
    expect(await h.call('guiEditNote', { note: s.note1 })).toBe(null);
    expect((await h.post('guiEditNote', { note: 9 })).error).toBe('Note was not found: 9');
    expect((await h.post('guiDeckBrowser')).error).toBe('guiDeckBrowser is not available in this window');
  });
});
