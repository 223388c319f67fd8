import type Database from 'better-sqlite3';
import { DEFAULT_DECK_ID } from '../decks/deck';
import { DEFAULT_DECK_CONFIG_ID } from '../decks/deck-config';
import { prepareNotetypeForSave } from '../notetypes/prepare';
import { STOCK_ORDER, stockNotetype } from '../notetypes/stock';
import { createSchema18 } from '../storage/create';
import { deckConfigToRow, deckToRow } from '../storage/deck-store';
import { encodeConfigValue } from '../storage/misc-stores';
import { notetypeToRows } from '../storage/notetype-store';
import { defaultDeckCommon, defaultDeckConfigConfig, defaultNormalDeck } from '../storage/proto/codecs';
import { Storage } from '../storage/storage';
import { secs } from './clock';

/** Epoch seconds of the most recent local 04:00 (Anki's `crt` for a new collection). */
export function creationStamp(nowMs: number): number {
  const d = new Date(nowMs);
  const four = new Date(d.getFullYear(), d.getMonth(), d.getDate(), 4, 0, 0, 0);
  if (four.getTime() > nowMs) four.setDate(four.getDate() - 1);
  return secs(four.getTime());
}

/** Minutes west of UTC at a moment, the unit of Anki's creationOffset/localOffset. */
export const minutesWest = (ms: number) => new Date(ms).getTimezoneOffset();

/**
 * Fills an empty file with what a brand-new Anki collection holds: the col row, deck config 1,
 * deck 1 "Default", the six stock notetypes and the initial config keys (spec §2).
 */
export function initializeNewCollection(db: Database.Database, nowMs: number): void {
  db.transaction(() => {
    createSchema18(db, creationStamp(nowMs), nowMs);
    const s = new Storage(db);
    s.deckConfigs.putRow(deckConfigToRow({ id: DEFAULT_DECK_CONFIG_ID, name: 'Default', mtimeSecs: 0, usn: 0, config: defaultDeckConfigConfig() }));
    s.decks.putRow(
      deckToRow({
        id: DEFAULT_DECK_ID,
        name: 'Default',
        mtimeSecs: 0,
        usn: 0,
        common: { ...defaultDeckCommon(), studyCollapsed: true, browserCollapsed: true },
        kind: { normal: defaultNormalDeck() },
      }),
    );
    const ids: number[] = [];
    let id = nowMs;
    for (const kind of STOCK_ORDER) {
      const nt = prepareNotetypeForSave(stockNotetype(kind));
      nt.id = id++;
      ids.push(nt.id);
      s.notetypes.putRows(notetypeToRows(nt));
    }
    const initial: [string, unknown][] = [
      ['activeDecks', [1]],
      ['curDeck', 1],
      ['newSpread', 0],
      ['collapseTime', 1200],
      ['timeLim', 0],
      ['estTimes', true],
      ['dueCounts', true],
      ['curModel', null],
      ['nextPos', 1],
      ['sortType', 'noteFld'],
      ['sortBackwards', false],
      ['addToCur', true],
      ['dayLearnFirst', false],
      ['schedVer', 2],
      ['creationOffset', minutesWest(nowMs)],
      ['sched2021', true],
    ];
    for (const [KEY, v] of initial) s.config.putRow({ KEY, usn: 0, mtime_secs: 0, val: encodeConfigValue(v) });
    s.config.putRow({ KEY: 'curModel', usn: -1, mtime_secs: secs(nowMs), val: encodeConfigValue(ids[0]) });
  })();
}
