// DeckhandHost's automatic backups: periodic (Anki's maybe_backup every few minutes) and on close.
import { readdirSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { tempDir } from '../collection/test-support/check';
import { addDeck } from '../decks/decks-service';
import { DeckhandHost } from './host';

let host: DeckhandHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

const backupsIn = (h: DeckhandHost) => readdirSync(h.session.info.backupsDir).filter((f) => f.startsWith('backup-'));

it('backs up on close when the collection changed', async () => {
  host = await DeckhandHost.start({ dataDir: tempDir('deckhand-bk-'), profile: 'P', ankiConnect: false, sync: false });
  const h = host;
  addDeck(h.session.col, 'Changed');
  expect(backupsIn(h)).toEqual([]);
  await h.stop();
  expect(backupsIn(h)).toHaveLength(1);
});

it('backs up periodically, only after changes', async () => {
  host = await DeckhandHost.start({ dataDir: tempDir('deckhand-bk-'), profile: 'P', ankiConnect: false, sync: false, backups: { intervalMs: 20 } });
  const h = host;
  for (let i = 0; i < 100 && backupsIn(h).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(backupsIn(h)).toHaveLength(1);
  // nothing new without a change (and a backup younger than the minimum interval exists anyway)
  await new Promise((r) => setTimeout(r, 100));
  expect(backupsIn(h)).toHaveLength(1);
});
