// The browser's and tools' channels through the invoker (inputs and outputs checked against the
// contract): rows, columns, saved state in Anki's config keys, selections, find and replace,
// Check Database with progress events, Empty Cards.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../collection/test-support/check';
import { openProfile, type OpenProfile } from '../host/open-profile';
import type { Channel, ChannelInput, ChannelOutput, EventPayload } from '../ipc/contract';
import { createHandlers } from '../ipc/handlers';
import { createInvoker, EventHub, type Invoker } from '../ipc/invoker';
import { ProfileManager } from '../profiles/profiles-service';

let session: OpenProfile;
let invoker: Invoker;
let hub: EventHub;

beforeEach(() => {
  const manager = new ProfileManager({ baseDir: tempDir('deckhand-browser-ipc-') });
  session = openProfile(manager, 'Test');
  hub = new EventHub();
  invoker = createInvoker(createHandlers({ session, mediaBase: '/media/tok/', events: hub }), {
    onError: (ch, e) => {
      throw new Error(`${ch}: ${String(e)}`);
    },
  });
});
afterEach(() => {
  if (!session.col.isClosed) session.close();
});

async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const r = await invoker.invoke(channel, input, 'test');
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as ChannelOutput<C>;
}

async function addBasic(front: string, back = '', tags: string[] = []) {
  const nts = await call('notetypes.list', {});
  const basic = nts.find((n) => n.name === 'Basic')!.id;
  return call('notes.add', { notetypeId: basic, deckId: 1, fields: [front, back], tags });
}

describe('browser channels', () => {
  it('rows for a window of ids in either mode, in the order asked', async () => {
    const a = await addBasic('alpha', 'A', ['x']);
    const b = await addBasic('beta', 'B');
    const { ids } = await call('search.cards', { query: '', order: { column: 'noteFld', reverse: true } });
    expect(ids).toEqual([b.cardIds[0], a.cardIds[0]]);
    const { rows } = await call('browser.rows', { mode: 'cards', ids, columns: ['noteFld', 'answer', 'noteTags'] });
    expect(rows.map((r) => r.cells)).toEqual([
      ['beta', 'B', ''],
      ['alpha', 'A', 'x'],
    ]);
    const notes = await call('browser.rows', { mode: 'notes', ids: [a.noteId], columns: ['template', 'note'] });
    expect(notes.rows[0]).toMatchObject({ id: a.noteId, noteId: a.noteId, cells: ['1', 'Basic'], color: 'default', disabled: false });
    const cols = await call('browser.columns', {});
    expect(cols.columns.find((c) => c.key === 'question')!.sortingCards).toBe('none');
  });

  it("keeps its state in Anki's config keys; saved searches in savedFilters", async () => {
    const s = await call('browser.state', {});
    expect(s).toMatchObject({ notesMode: false, cardColumns: ['noteFld', 'template', 'cardDue', 'deck'], noteColumns: ['noteFld', 'note', 'template', 'noteTags'], savedSearches: {} });
    const r = await call('browser.setState', { notesMode: true, noteColumns: ['noteFld', 'cardDue'], noteSort: { column: 'noteCrt', reverse: true }, savedSearches: { Verbs: 'tag:verb' } });
    expect(r.state).toMatchObject({ notesMode: true, noteColumns: ['noteFld', 'cardDue'], noteSort: { column: 'noteCrt', reverse: true } });
    const cfg = session.col.storage.config;
    expect([cfg.get('browserTableShowNotesMode'), cfg.get('activeNoteCols'), cfg.get('noteSortType'), cfg.get('browserNoteSortBackwards'), cfg.get('savedFilters')]).toEqual([
      true,
      ['noteFld', 'cardDue'],
      'noteCrt',
      true,
      { Verbs: 'tag:verb' },
    ]);
    // not an undo step
    expect((await call('collection.undoStatus', {})).undo).toBeNull();
    // the saved note order is what an unordered notes search uses
    const a = await addBasic('b');
    const b = await addBasic('a');
    expect((await call('search.notes', { query: '' })).ids).toEqual([b.noteId, a.noteId]);
  });

  it('selections convert between cards and notes', async () => {
    const nts = await call('notetypes.list', {});
    const rev = nts.find((n) => n.name === 'Basic (and reversed card)')!.id;
    const n = await call('notes.add', { notetypeId: rev, deckId: 1, fields: ['q', 'a'], tags: [] });
    expect(await call('browser.selection', { mode: 'notes', ids: [n.noteId] })).toEqual({ cardIds: n.cardIds, noteIds: [n.noteId] });
    expect(await call('browser.selection', { mode: 'cards', ids: [n.cardIds[1]] })).toEqual({ cardIds: [n.cardIds[1]], noteIds: [n.noteId] });
    expect((await call('search.termText', { kind: 'notetype', name: 'Basic (and reversed card)' })).text).toBe('"note:Basic (and reversed card)"');
  });

  it('find and replace in fields or tags, in all notes when none are given', async () => {
    const a = await addBasic('cat', 'dog', ['old']);
    expect((await call('notes.fieldNames', { noteIds: [a.noteId] })).names).toEqual(['Back', 'Front']);
    const r = await call('notes.findReplace', { noteIds: [], search: 'D(o)G', replacement: '$1$1', regex: true, field: 'Back' });
    expect(r.count).toBe(1);
    expect((await call('notes.get', { id: a.noteId })).fields).toEqual(['cat', 'oo']);
    expect((await call('notes.findReplace', { noteIds: [a.noteId], search: 'old', replacement: 'new', target: 'tags' })).count).toBe(1);
    expect((await call('notes.get', { id: a.noteId })).tags).toEqual(['new']);
    const bad = await invoker.invoke('notes.findReplace', { noteIds: [], search: '(', replacement: '', regex: true }, 'test');
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('Check Database reports with progress events; Empty Cards lists and deletes', async () => {
    const seen: EventPayload<'progress'>[] = [];
    const off = hub.subscribe((event, payload) => {
      if (event === 'progress') seen.push(payload as EventPayload<'progress'>);
    });
    await addBasic('x');
    const r = await call('tools.checkDatabase', {});
    off();
    expect(r).toMatchObject({ ok: true, problems: [], report: 'Database rebuilt and optimized.' });
    expect(seen.map((p) => p.message)).toContain('Checking notes...');
    // as in Anki, a backup is made first
    expect((await call('backups.list', {})).length).toBe(1);

    const nts = await call('notetypes.list', {});
    const cloze = nts.find((n) => n.name === 'Cloze')!.id;
    const n = await call('notes.add', { notetypeId: cloze, deckId: 1, fields: ['{{c1::a}} {{c2::b}}', ''], tags: [] });
    await call('notes.update', { id: n.noteId, fields: ['{{c2::b}}', ''] });
    const empty = await call('tools.emptyCards', {});
    expect(empty.cardIds).toEqual([n.cardIds[0]]);
    expect(empty.notetypes[0].notes[0]).toMatchObject({ noteId: n.noteId, templateNames: 'Cloze 1', willDeleteNote: false });
    expect((await call('tools.deleteEmptyCards', { cardIds: empty.cardIds, keepNotes: true })).count).toBe(1);
    expect((await call('tools.emptyCards', {})).cardIds).toEqual([]);
  });
});
