// `deckhand serve`'s browser UI on a running host: the collection replaced under it (a .colpkg
// import, a backup restore, a full sync download) while a tab is connected, and AnkiConnect's GUI
// actions driving the connected tab (or refused when none is connected).

import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { expectCollectionPasses, tempDir } from '../collection/test-support/check';
import { addDeck } from '../decks/decks-service';
import { DeckhandHost } from '../host/host';
import { exportCollectionPackage } from '../import-export/import-export-service';
import type { GuiCommand, Reply } from './contract';
import { attachBrowserUi, type BrowserUi } from './serve-ui';

const TOKEN = 'serve-ui-test-token-0123456789';
let dir: string;
let host: DeckhandHost;
let ui: BrowserUi;

beforeEach(async () => {
  dir = tempDir('deckhand-serve-ui-');
  host = await DeckhandHost.start({ dataDir: join(dir, 'data'), profile: 'P', ankiConnect: { port: 0 }, sync: false, backups: false });
  ui = await attachBrowserUi(host, { token: TOKEN, staticDir: null, onError: (w, e) => console.error(w, e) });
});
afterEach(async () => {
  await host.stop();
});

async function api<T>(channel: string, input: unknown = {}): Promise<T> {
  const res = await fetch(`${ui.url}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-deckhand-token': TOKEN }, body: JSON.stringify(input) });
  const reply = (await res.json()) as Reply<T>;
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.value;
}

async function ac(action: string, params: unknown = {}): Promise<{ result: unknown; error: string | null }> {
  const res = await fetch(host.ankiConnectUrl!, { method: 'POST', body: JSON.stringify({ action, version: 6, params }) });
  return (await res.json()) as { result: unknown; error: string | null };
}

/** A connected tab's event stream: the events as they arrive. */
function connectTab(): Promise<{ events: { event: string; data: unknown }[]; next(event: string): Promise<unknown>; close(): void }> {
  return new Promise((resolve, reject) => {
    const events: { event: string; data: unknown }[] = [];
    const waiters: { event: string; resolve(d: unknown): void }[] = [];
    const req = request(`${ui.url}/api/events?client=tab1`, { headers: { 'x-deckhand-token': TOKEN } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!event || data === undefined) continue;
          const parsed = { event, data: JSON.parse(data) as unknown };
          const w = waiters.findIndex((x) => x.event === event);
          if (w >= 0) waiters.splice(w, 1)[0].resolve(parsed.data);
          else events.push(parsed);
        }
      });
      resolve({
        events,
        next: (event) => {
          const i = events.findIndex((e) => e.event === event);
          if (i >= 0) return Promise.resolve(events.splice(i, 1)[0].data);
          return new Promise((res2) => waiters.push({ event, resolve: res2 }));
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
    req.end();
  });
}

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('the collection replaced under a running browser UI', () => {
  it('channels and events follow the new collection (.colpkg import), the old one is closed', async () => {
    const tab = await connectTab();
    try {
      await until(() => ui.events.subscriberCount('changes') > 0);
      await api('decks.add', { name: 'Before' });
      expect(await tab.next('changes')).toMatchObject({ op: 'Add Deck' });
      // a .colpkg of another collection, with its own deck
      const otherPath = join(dir, 'other', 'collection.anki2');
      const other = Collection.create(otherPath);
      addDeck(other, 'From the package');
      const pkg = join(dir, 'other.colpkg');
      await exportCollectionPackage(other, pkg, { includeMedia: false });
      other.close();

      const before = host.session.col;
      const r = await api<{ backupPath: string | null; changes: Record<string, boolean> }>('import.collectionPackage', { path: pkg });
      expect(r.changes.decks).toBe(true);
      expect(r.backupPath).toMatch(/backup-.*\.colpkg$/);
      expect(before.isClosed).toBe(true);
      expect(host.session.col).not.toBe(before);
      // the tab is told everything changed
      expect(await tab.next('changes')).toMatchObject({ op: 'Sync', changes: { decks: true, cards: true } });

      const names = (await api<{ name: string }[]>('decks.list')).map((d) => d.name);
      expect(names).toContain('From the package');
      expect(names).not.toContain('Before');
      // AnkiConnect works on the new collection, and its changes reach the tab
      expect((await ac('createDeck', { deck: 'After' })).error).toBeNull();
      expect(await tab.next('changes')).toMatchObject({ changes: { decks: true }, origin: null });
      expect((await api<{ name: string }[]>('decks.list')).map((d) => d.name)).toContain('After');

      // restoring the backup made before the import brings "Before" back
      const list = await api<{ path: string }[]>('backups.list');
      expect(list.map((b) => b.path)).toContain(r.backupPath);
      await api('backups.restore', { path: r.backupPath });
      expect((await api<{ name: string }[]>('decks.list')).map((d) => d.name)).toContain('Before');
      await expect(api('backups.restore', { path: pkg })).rejects.toThrow(/not one of this profile’s backups/);
      expectCollectionPasses(host.session.col.path);
    } finally {
      tab.close();
    }
  });

  it('a replacement made elsewhere (as a full sync download does) is followed too', async () => {
    const path = host.session.col.path;
    host.session.col.close();
    host.session.replaceCollection(Collection.open(path));
    expect((await api<{ id: number }>('decks.add', { name: 'Still works' })).id).toBeGreaterThan(1);
    expect((await ac('deckNames')).result).toContain('Still works');
  });
});

describe('AnkiConnect GUI actions and a connected tab', () => {
  it('without a tab: the no-window error; with one: the tab gets the command and its answer is the result', async () => {
    expect(await ac('guiBrowse', { query: 'deck:Default' })).toEqual({ result: null, error: 'no window is open: guiBrowse needs the desktop app' });

    const tab = await connectTab();
    try {
      await until(() => ui.events.subscriberCount('gui') > 0);
      const added = await ac('addNote', { note: { deckName: 'Default', modelName: 'Basic', fields: { Front: 'q', Back: 'a' } } });
      const browsing = ac('guiBrowse', { query: 'deck:Default' });
      const cmd = (await tab.next('gui')) as GuiCommand;
      expect(cmd).toMatchObject({ command: 'browse', args: ['deck:Default', null] });
      expect(await api('gui.reply', { id: cmd.id, handled: true, value: null })).toEqual({ accepted: true });
      expect((await browsing).result).toHaveLength(1);
      // an answer comes once
      expect(await api('gui.reply', { id: cmd.id, handled: true })).toEqual({ accepted: false });

      // the reviewer's state comes from the tab; a tab that is not reviewing declines
      const active = ac('guiReviewActive');
      const c2 = (await tab.next('gui')) as GuiCommand;
      expect(c2.command).toBe('reviewerCard');
      await api('gui.reply', { id: c2.id, handled: false });
      expect(await active).toEqual({ result: false, error: null });

      // the Add window: prefilled note, then its data changed
      const open = ac('guiAddCards', { note: { deckName: 'Default', modelName: 'Basic', fields: { Front: 'pre' }, tags: ['t'] } });
      const c3 = (await tab.next('gui')) as GuiCommand;
      expect(c3).toMatchObject({ command: 'openAddCards', args: [{ deckId: 1, fields: ['pre', ''], tags: ['t'] }] });
      await api('gui.reply', { id: c3.id, handled: true, value: 0 });
      expect(await open).toEqual({ result: 0, error: null });

      // errors the window reports become the action's error
      const set = ac('guiAddNoteSetData', { note: { fields: { Front: 'x' } } });
      const c4 = (await tab.next('gui')) as GuiCommand;
      await api('gui.reply', { id: c4.id, handled: false, error: 'the editor is busy' });
      expect(await set).toEqual({ result: null, error: 'the editor is busy' });

      // undo and the deck overview are done by the core (the tab only shows them)
      expect(added.error).toBeNull();
      expect(await ac('guiUndo')).toEqual({ result: true, error: null });
      expect((await ac('findNotes', { query: '' })).result).toEqual([]);
      const overview = ac('guiDeckOverview', { name: 'Default' });
      const c5 = (await tab.next('gui')) as GuiCommand;
      expect(c5).toMatchObject({ command: 'showDeckOverview', args: [1] });
      await api('gui.reply', { id: c5.id, handled: true });
      expect(await overview).toEqual({ result: true, error: null });
    } finally {
      tab.close();
    }
    await until(() => ui.events.subscriberCount('gui') === 0);
    expect((await ac('guiDeckBrowser')).error).toBe('no window is open: guiDeckBrowser needs the desktop app');
  });
});
