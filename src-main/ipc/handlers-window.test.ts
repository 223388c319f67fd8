// Channels of the Add screen, the reviewer's one-round-trip answer, statistics charts, backups
// and the settings that live outside profile.json (the AnkiConnect key) or apply at once (sync).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../collection/test-support/check';
import type { HostSync } from '../host/host';
import { openProfile, type OpenProfile } from '../host/open-profile';
import { ProfileManager } from '../profiles/profiles-service';
import type { Channel, ChannelInput, ChannelOutput } from './contract';
import { createHandlers } from './handlers';
import { createInvoker, type Invoker } from './invoker';

let session: OpenProfile;
let invoker: Invoker;
const loop = { interval: 0, automatic: null as boolean | null };

beforeEach(() => {
  session = openProfile(new ProfileManager({ baseDir: tempDir('deckhand-ipc-window-') }), 'W');
  const sync = { setIntervalMs: (ms: number) => (loop.interval = ms), setAutomatic: (on: boolean) => (loop.automatic = on) } as unknown as HostSync;
  invoker = createInvoker(createHandlers({ session, mediaBase: '/media/t/', sync }), {
    onError: (ch, e) => {
      throw new Error(`${ch}: ${String(e)}`);
    },
  });
});
afterEach(() => {
  if (!session.col.isClosed) session.close();
});

async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const r = await invoker.invoke(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as ChannelOutput<C>;
}

describe('the Add screen', () => {
  it('starts with Anki’s defaults, remembers the deck per note type, previews unsaved cards', async () => {
    const nts = await call('notetypes.list', {});
    const basic = nts.find((n) => n.name === 'Basic')!.id;
    const reversed = nts.find((n) => n.name === 'Basic (and reversed card)')!.id;
    const cloze = nts.find((n) => n.name === 'Cloze')!.id;
    const deck = await call('decks.add', { name: 'Verbs' });
    expect((await call('notes.addDefaults', {})).deckId).toBe(1);
    await call('notes.add', { notetypeId: reversed, deckId: deck.id, fields: ['ir', 'to go'] });
    expect(await call('notes.addDefaults', { notetypeId: reversed })).toEqual({ notetypeId: reversed, deckId: deck.id });
    expect(await call('notes.addDefaults', { notetypeId: basic })).toEqual({ notetypeId: basic, deckId: 1 });
    expect((await call('notetypes.current', {})).id).toBe(reversed);

    const p = await call('notes.preview', { notetypeId: reversed, fields: ['<b>ver</b> [sound:ver.mp3]', 'to see'] });
    expect(p.cards.map((c) => c.name)).toEqual(['Card 1', 'Card 2']);
    expect(p.cards[0].question).toContain('<b>ver</b>');
    expect(p.cards[0].questionAv).toEqual([{ kind: 'sound', url: '/media/t/ver.mp3' }]);
    expect(p.cards[1].bodyClass).toContain('card2');
    const c = await call('notes.preview', { notetypeId: cloze, fields: ['{{c1::a}} {{c3::b}}', ''] });
    expect(c.cards.map((x) => x.name)).toEqual(['Cloze 1', 'Cloze 3']);
    // an empty note still previews its first card (Anki's empty-front message)
    expect((await call('notes.preview', { notetypeId: basic, fields: ['', ''] })).cards).toHaveLength(1);
    // nothing was saved by previewing
    expect((await call('search.notes', { query: '' })).ids).toHaveLength(1);
  });
});

describe('the reviewer', () => {
  it('answers and gets the next card in one call', async () => {
    const basic = (await call('notetypes.list', {})).find((n) => n.name === 'Basic')!.id;
    for (const f of ['one', 'two']) await call('notes.add', { notetypeId: basic, deckId: 1, fields: [f, ''] });
    const first = await call('review.next', { deckId: 1 });
    const r = await call('review.answer', { cardId: first.card!.cardId, rating: 3, millisecondsTaken: 500, next: { deckId: 1 } });
    expect(r.changes.cards).toBe(true);
    expect(r.next).toEqual(await call('review.next', { deckId: 1 }));
    expect(r.next!.card!.cardId).not.toBe(first.card!.cardId);
    const plain = await call('review.answer', { cardId: r.next!.card!.cardId, rating: 3, millisecondsTaken: 500 });
    expect(plain.next).toBeUndefined();
  });
});

describe('statistics, backups, settings', () => {
  it('serves the charts in the contract’s shape', async () => {
    const g = await call('stats.graphs', { deckId: null, days: 7 });
    expect(g.reviews).toHaveLength(7);
    expect(g.retention.map((r) => r.period)).toEqual(['today', 'yesterday', 'week', 'month', 'year', 'all']);
  });

  it('backs up on request and lists the backups', async () => {
    await call('decks.add', { name: 'Changed' });
    const b = await call('backups.create', {});
    expect(b.path && existsSync(b.path)).toBeTruthy();
    expect((await call('backups.list', {})).map((x) => x.path)).toEqual([b.path]);
  });

  it('keeps the AnkiConnect key in the secrets file, never in profile.json; sync settings apply at once', async () => {
    expect(await call('settings.ankiConnectKey', {})).toEqual({ key: null });
    expect(await call('settings.setAnkiConnectKey', { key: 'sekrit-key-123' })).toEqual({ key: 'sekrit-key-123' });
    expect(readFileSync(join(session.info.dir, 'secrets.json'), 'utf8')).toContain('sekrit-key-123');
    expect(readFileSync(join(session.info.dir, 'profile.json'), 'utf8')).not.toContain('sekrit');
    expect(await call('settings.setAnkiConnectKey', { key: null })).toEqual({ key: null });

    const s = await call('settings.update', { sync: { intervalMinutes: 25, autoSync: false } });
    expect(s.sync.intervalMinutes).toBe(25);
    expect(loop.interval).toBe(25 * 60_000);
    expect(loop.automatic).toBe(false);
    expect((await call('settings.get', {})).sync.intervalMinutes).toBe(25);
    const keymap = await call('settings.update', { ui: { keymap: { again: ['1', 'j'] } } });
    expect(keymap.ui.keymap).toEqual({ again: ['1', 'j'] });
  });
});
