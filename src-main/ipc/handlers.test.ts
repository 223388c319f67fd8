import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectCollectionPasses, FIXTURES_DIR, tempDir } from '../collection/test-support/check';
import { SyncLoop } from '../sync/sync-loop';
import { startSyncServer } from '../sync/sync-server';
import { forwardSyncStatus } from './sync-view';
import { openProfile, type OpenProfile } from '../host/open-profile';
import { ProfileManager } from '../profiles/profiles-service';
import { channels, type Channel, type ChannelInput, type ChannelOutput, type EventPayload, type Reply } from './contract';
import { createHandlers } from './handlers';
import { createInvoker, EventHub, type Invoker } from './invoker';

let session: OpenProfile;
let invoker: Invoker;
let hub: EventHub;
let stopForward: () => void;

beforeEach(() => {
  const manager = new ProfileManager({ baseDir: tempDir('deckhand-ipc-') });
  session = openProfile(manager, 'Test');
  hub = new EventHub();
  stopForward = hub.forwardChanges(session.col);
  invoker = createInvoker(createHandlers({ session, mediaBase: '/media/tok/', version: '9.9.9' }), {
    onError: (ch, e) => {
      throw new Error(`${ch}: ${String(e)}`);
    },
  });
});
afterEach(() => {
  stopForward();
  if (!session.col.isClosed) session.close();
});

async function call<C extends Channel>(channel: C, input: ChannelInput<C>, origin: string | null = 'test'): Promise<ChannelOutput<C>> {
  const r = await invoker.invoke(channel, input, origin);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as ChannelOutput<C>;
}
const fail = async (channel: string, input: unknown): Promise<Extract<Reply, { ok: false }>['error']> => {
  const r = await invoker.invoke(channel, input);
  if (r.ok) throw new Error(`${channel} succeeded`);
  return r.error;
};

describe('the invoker', () => {
  it('serves only channels of the contract, and says which', async () => {
    const info = await call('app.info', {});
    expect(info.version).toBe('9.9.9');
    expect(info.profile).toBe('Test');
    expect(info.mediaBase).toBe('/media/tok/');
    for (const c of info.channels) expect(Object.hasOwn(channels, c)).toBe(true);
    expect(info.channels).toContain('decks.tree');
    expect(info.channels).toEqual(invoker.channels);
  });

  it('refuses unknown channels, bad input and channels not served yet, as data', async () => {
    expect((await fail('nope', {})).code).toBe('unknown-channel');
    expect((await fail('__proto__', {})).code).toBe('unknown-channel');
    const bad = await fail('decks.add', { name: 42 });
    expect(bad.code).toBe('invalid-input');
    expect(bad.message).toMatch(/name/);
    const missing = createInvoker({});
    const r = await missing.invoke('decks.tree', {});
    expect(r).toEqual({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/not available/) } });
  });

  it('passes DeckhandError codes and messages through', async () => {
    await call('decks.add', { name: 'Spanish' });
    const dup = await fail('decks.add', { name: 'spanish' });
    expect(dup.code).toBe('duplicate-name');
    expect((await fail('notes.get', { id: 12345 })).code).toBe('not-found');
  });

  it('reports a malformed search as a search error with a readable message', async () => {
    const e = await fail('search.cards', { query: 'deck:(' });
    expect(e.code).toBe('search');
    expect(e.message).toMatch(/^Invalid search:/);
  });

  it('catches handler outputs that break the contract', async () => {
    const errors: string[] = [];
    const inv = createInvoker({ 'decks.current': () => ({ id: 'one' }) as never }, { onError: (_c, e) => errors.push(String(e)) });
    const r = await inv.invoke('decks.current', {});
    expect(r.ok).toBe(false);
    expect(errors[0]).toMatch(/does not match the contract/);
  });
});

describe('handlers', () => {
  it('decks: add, tree, rename, reparent, collapse, remove, with OpChanges', async () => {
    const a = await call('decks.add', { name: 'Languages' });
    expect(a.changes.decks).toBe(true);
    const b = await call('decks.add', { name: 'Spanish' });
    await call('decks.reparent', { deckIds: [b.id], parentId: a.id });
    let tree = await call('decks.tree', {});
    const langs = tree.children.find((c) => c.id === a.id)!;
    expect(langs.children.map((c) => c.fullName)).toEqual(['Languages::Spanish']);
    expect(langs.counts).toEqual({ new: 0, learn: 0, review: 0 });
    await call('decks.rename', { id: b.id, name: 'Languages::Español' });
    await call('decks.setCollapsed', { id: a.id, collapsed: true });
    tree = await call('decks.tree', {});
    expect(tree.children.find((c) => c.id === a.id)).toMatchObject({ collapsed: true, children: [{ name: 'Español' }] });
    const removed = await call('decks.remove', { deckIds: [a.id] });
    expect(removed.cardsDeleted).toBe(0);
    expect((await call('decks.list', {})).map((d) => d.name)).toEqual(['Default']);
  });

  it('notes: add Basic and Cloze, check, get, update, remove; search finds them', async () => {
    const nts = await call('notetypes.list', {});
    const basic = nts.find((n) => n.name === 'Basic')!;
    const cloze = nts.find((n) => n.name === 'Cloze')!;
    const deck = await call('decks.add', { name: 'Capitals' });
    expect((await call('notes.check', { notetypeId: basic.id, fields: ['', 'x'] })).state).toBe('empty');
    const n1 = await call('notes.add', { notetypeId: basic.id, deckId: deck.id, fields: ['France', 'Paris'], tags: ['geo'] });
    expect(n1.cardIds).toHaveLength(1);
    expect((await call('notes.check', { notetypeId: basic.id, fields: ['France', 'x'] })).state).toBe('duplicate');
    const n2 = await call('notes.add', { notetypeId: cloze.id, deckId: deck.id, fields: ['{{c1::Berlin}} is in {{c2::Germany}}', ''] });
    expect(n2.cardIds).toHaveLength(2);
    expect((await call('search.cards', { query: 'deck:Capitals' })).ids).toHaveLength(3);
    expect((await call('search.notes', { query: 'tag:geo' })).ids).toEqual([n1.noteId]);
    const up = await call('notes.update', { id: n1.noteId, fields: ['France', 'Paris!'] });
    expect(up.note.fields).toEqual(['France', 'Paris!']);
    expect((await call('notes.get', { id: n1.noteId })).tags).toEqual(['geo']);
    const nt = await call('notetypes.get', { id: cloze.id });
    expect(nt.kind).toBe('cloze');
    expect(nt.fields.map((f) => f.name)).toEqual(['Text', 'Back Extra']);
    await call('notes.remove', { ids: [n2.noteId] });
    expect((await call('search.cards', { query: 'deck:Capitals' })).ids).toEqual(n1.cardIds);
  });

  it('cards: bulk suspend, flag, undo and redo', async () => {
    const basic = (await call('notetypes.list', {})).find((n) => n.name === 'Basic')!;
    const ids: number[] = [];
    for (const f of ['a', 'b', 'c']) ids.push(...(await call('notes.add', { notetypeId: basic.id, deckId: 1, fields: [f, f] })).cardIds);
    const s = await call('cards.suspend', { cardIds: ids });
    expect(s).toMatchObject({ count: 3, changes: { cards: true } });
    expect((await call('search.cards', { query: 'is:suspended' })).ids.sort()).toEqual([...ids].sort());
    expect((await call('collection.undoStatus', {})).undo).toBe('Suspend Card');
    const u = await call('collection.undo', {});
    expect(u.op).toBe('Suspend Card');
    expect(u.status.redo).toBe('Suspend Card');
    expect((await call('search.cards', { query: 'is:suspended' })).ids).toEqual([]);
    await call('collection.redo', {});
    await call('cards.setFlag', { cardIds: ids.slice(0, 1), flag: 3 });
    expect((await call('search.cards', { query: 'flag:3' })).ids).toEqual(ids.slice(0, 1));
  });

  it('review: next card rendered with its buttons, answer, counts, undo; overview and congrats', async () => {
    const basic = (await call('notetypes.list', {})).find((n) => n.name === 'Basic')!;
    const deck = await call('decks.add', { name: 'Study' });
    await call('notes.add', { notetypeId: basic.id, deckId: deck.id, fields: ['What is <b>2+2</b>?', '4 [sound:four.mp3]'] });
    await call('notes.add', { notetypeId: basic.id, deckId: deck.id, fields: ['Capital of Peru?', 'Lima'] });
    const tree = await call('decks.tree', {});
    expect(tree.children.find((c) => c.id === deck.id)?.counts).toEqual({ new: 2, learn: 0, review: 0 });
    const first = await call('review.next', { deckId: deck.id });
    expect(first.counts).toEqual({ new: 2, learn: 0, review: 0 });
    const card = first.card!;
    expect(card.question).toContain('What is <b>2+2</b>?');
    expect(card.answer).toContain('<hr id=answer>');
    expect(card.answer).toContain('replay-button');
    expect(card.answerAv).toEqual([{ kind: 'sound', url: '/media/tok/four.mp3' }]);
    expect(card.bodyClass).toBe('card card1');
    expect(card.queue).toBe('new');
    expect(card.buttons.slice(0, 3)).toEqual(['<1m', '<6m', '<10m']);
    expect(card.buttons[3]).toMatch(/^\d+d$/);
    const answered = await call('review.answer', { cardId: card.cardId, rating: 3, millisecondsTaken: 4000 });
    expect(answered.changes.cards).toBe(true);
    const second = await call('review.next', { deckId: deck.id });
    expect(second.counts).toEqual({ new: 1, learn: 1, review: 0 });
    expect(second.card!.cardId).not.toBe(card.cardId);
    expect((await call('collection.undo', {})).op).toBe('Answer Card');
    expect((await call('review.next', { deckId: deck.id })).counts).toEqual({ new: 2, learn: 0, review: 0 });
    const overview = await call('decks.overview', { id: deck.id });
    expect(overview).toMatchObject({ name: 'Study', counts: { new: 2, learn: 0, review: 0 }, congrats: { newRemaining: true } });
    await call('cards.bury', { cardIds: [card.cardId] });
    expect((await call('decks.overview', { id: deck.id })).congrats.haveUserBuried).toBe(true);
    expect((await call('decks.unbury', { id: deck.id })).count).toBe(1);
  });

  it('deck option presets: read, update a few options, assign', async () => {
    const p = await call('deckPresets.forDeck', { deckId: 1 });
    expect(p.id).toBe(1);
    expect(p.options.newPerDay).toBe(20);
    await call('deckPresets.update', { id: 1, options: { newPerDay: 35, learnSteps: [2, 15] } });
    const p2 = await call('deckPresets.forDeck', { deckId: 1 });
    expect(p2.options).toMatchObject({ newPerDay: 35, learnSteps: [2, 15] });
    const added = await call('deckPresets.add', { name: 'Fast', cloneFromId: 1 });
    const d = await call('decks.add', { name: 'Quick' });
    await call('deckPresets.assign', { presetId: added.id, deckIds: [d.id] });
    expect((await call('decks.get', { id: d.id })).presetId).toBe(added.id);
    expect((await call('deckPresets.list', {})).find((x) => x.id === added.id)?.useCount).toBe(1);
  });

  it('settings: read defaults and change the theme and AnkiConnect port', async () => {
    const s = await call('settings.get', {});
    expect(s.ui.theme).toBe('system');
    expect(s.ankiConnect.port).toBe(8765);
    const s2 = await call('settings.update', { ui: { theme: 'dark' }, ankiConnect: { port: 8888 } });
    expect(s2.ui.theme).toBe('dark');
    expect(s2.ankiConnect.port).toBe(8888);
    expect((await call('settings.get', {})).ui).toEqual({ theme: 'dark', keymap: {} });
  });

  it('media: adds a file under a safe name and gives its URL', async () => {
    const r = await call('media.add', { filename: 'pic?.png', dataBase64: Buffer.from('png').toString('base64') });
    expect(r.filename).not.toContain('?');
    expect((await call('media.url', { filename: 'a b.png' })).url).toBe('/media/tok/a%20b.png');
  });
});

describe('events', () => {
  it('pushes every committed change with the client that caused it', async () => {
    const seen: EventPayload<'changes'>[] = [];
    hub.subscribe((event, payload) => {
      if (event === 'changes') seen.push(payload as EventPayload<'changes'>);
    });
    await call('decks.add', { name: 'X' }, 'window-1');
    session.col.transact('Outside', (tx) => tx.setConfig('someKey', 1));
    expect(seen).toEqual([
      { op: 'Add Deck', changes: expect.objectContaining({ decks: true }), origin: 'window-1' },
      { op: 'Outside', changes: expect.objectContaining({ config: true }), origin: null },
    ]);
  });
});

it('leaves a collection Anki accepts', async () => {
  const basic = (await call('notetypes.list', {})).find((n) => n.name === 'Basic')!;
  const d = await call('decks.add', { name: 'A::B' });
  await call('notes.add', { notetypeId: basic.id, deckId: d.id, fields: ['q', 'a'], tags: ['t1'] });
  await call('deckPresets.update', { id: 1, options: { newPerDay: 11 } });
  await call('notetypes.fields.add', { id: basic.id, name: 'Extra' });
  const path = session.col.path;
  session.close();
  expectCollectionPasses(path);
});

describe('import, export, stats, sync', () => {
  it('imports a CSV fixture, exports a deck and imports that package elsewhere, with progress events', async () => {
    const progress: string[] = [];
    hub.subscribe((e, p) => {
      if (e === 'progress') progress.push((p as { task: string }).task);
    });
    const inv = createInvoker(createHandlers({ session, mediaBase: '/m/', events: hub }));
    const run = async (ch: string, input: unknown) => {
      const r = await inv.invoke(ch, input);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as Record<string, any>;
    };
    const csv = await run('import.file', { path: join(FIXTURES_DIR, 'text-2fields.txt') });
    expect(csv.kind).toBe('csv');
    expect(csv.log.new).toBeGreaterThan(0);
    expect(csv.changes.notes).toBe(true);
    const out = join(tempDir(), 'deck.apkg');
    const exported = await run('export.package', { path: out, deckId: null });
    expect(exported.notes).toBe(csv.log.new);
    expect(progress).toContain('export');

    const other = openProfile(new ProfileManager({ baseDir: tempDir() }), 'Other');
    try {
      const inv2 = createInvoker(createHandlers({ session: other, mediaBase: '/m/', events: hub }));
      const r = await inv2.invoke('import.file', { path: out });
      expect(r).toMatchObject({ ok: true, value: { kind: 'apkg', log: { new: csv.log.new } } });
      expect(progress).toContain('import');
      expect(await inv2.invoke('import.file', { path: '/nowhere/x.colpkg' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    } finally {
      other.close();
    }
  });

  it('stats: today and card counts, per deck or whole collection', async () => {
    const basic = (await call('notetypes.list', {})).find((n) => n.name === 'Basic')!;
    const d = await call('decks.add', { name: 'S' });
    await call('notes.add', { notetypeId: basic.id, deckId: d.id, fields: ['a', 'b'] });
    const next = await call('review.next', { deckId: d.id });
    await call('review.answer', { cardId: next.card!.cardId, rating: 3, millisecondsTaken: 2500 });
    const s = await call('stats.summary', { deckId: d.id });
    expect(s.deck).toEqual({ id: d.id, name: 'S' });
    expect(s.today).toMatchObject({ count: 1, timeMs: 2500, learn: 1 });
    expect(s.cards).toMatchObject({ total: 1, learning: 1, notes: 1 });
    expect((await call('stats.summary', {})).deck).toBeNull();
  });

  it('sync: served through the sync loop — login (host key stored, never the password), sync now, status events, logout', async () => {
    const server = await startSyncServer({ port: 0, dataDir: tempDir(), users: ['ana:secret'] });
    const loop = new SyncLoop({ session, log: () => undefined });
    const statuses: string[] = [];
    hub.subscribe((e, p) => {
      if (e === 'sync-status') statuses.push((p as { state: string }).state);
    });
    const stop = forwardSyncStatus(hub, loop);
    const inv = createInvoker(createHandlers({ session, mediaBase: '/m/', events: hub, sync: loop }));
    expect(createInvoker(createHandlers({ session, mediaBase: '/m/' })).channels).not.toContain('sync.now');
    try {
      expect(await inv.invoke('sync.status', {})).toMatchObject({ ok: true, value: { state: 'logged-out', username: null } });
      const bad = await inv.invoke('sync.login', { username: 'ana', password: 'wrong', endpoint: server.url });
      expect(bad.ok).toBe(false);
      const ok = await inv.invoke('sync.login', { username: 'ana', password: 'secret', endpoint: server.url });
      expect(ok).toMatchObject({ ok: true, value: { username: 'ana' } });
      expect(readFileSync(join(session.info.dir, 'profile.json'), 'utf8')).not.toMatch(/secret|hostKey/i);
      await call('decks.add', { name: 'Synced deck' });
      const r = await inv.invoke('sync.now', {});
      expect(r.ok).toBe(true);
      const view = (r as { value: { state: string; fullSync: unknown; lastSummary: string | null } }).value;
      expect(['idle', 'full-sync-required']).toContain(view.state);
      if (view.state === 'full-sync-required') {
        expect(view.fullSync).toMatchObject({ uploadOk: true });
        const up = await inv.invoke('sync.chooseFullSync', { direction: 'upload' });
        expect(up).toMatchObject({ ok: true, value: { state: 'idle', lastSummary: expect.stringMatching(/uploaded/) } });
      }
      expect(statuses).toContain('syncing');
      expect(await inv.invoke('sync.logout', {})).toMatchObject({ ok: true, value: { state: 'logged-out' } });
    } finally {
      stop();
      await loop.stop({ finalSync: false });
      await server.close();
    }
  });
});
