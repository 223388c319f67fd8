import { describe, expect, it } from 'vitest';
import { expectCollectionPasses } from '../collection/test-support/check';
import { freshCollectionsPerTest } from '../collection/test-support/fresh';
import {
  BOOL_CONFIG_KEYS,
  configDefault,
  getAllConfig,
  getConfig,
  getConfigBool,
  getConfigJson,
  isKnownConfigKey,
  removeConfig,
  schedulerVersion,
  setConfig,
  setConfigJson,
  TRUE_BY_DEFAULT,
} from './config-service';

const fresh = freshCollectionsPerTest({ prefix: 'deckhand-config-' });

describe('collection config', () => {
  it('reads what a new collection stores, and Anki’s defaults for missing keys', () => {
    const { col, path } = fresh();
    expect(getConfig(col, 'curDeck')).toBe(1);
    expect(getConfig(col, 'collapseTime')).toBe(1200);
    expect(getConfig(col, 'nextPos')).toBe(1);
    expect(getConfig(col, 'sortType')).toBe('noteFld');
    expect(getConfig(col, 'schedVer')).toBe(2);
    expect(schedulerVersion(col)).toBe(3);
    expect(typeof getConfig(col, 'curModel')).toBe('number');
    expect(getConfig(col, 'creationOffset')).toBe(new Date().getTimezoneOffset());
    // missing keys
    expect(getConfig(col, 'rollover')).toBe(4);
    expect(getConfig(col, 'localOffset')).toBeNull();
    expect(getConfig(col, 'backups')).toEqual({ daily: 12, weekly: 10, monthly: 9, minimum_interval_mins: 30 });
    expect(getConfig(col, 'setDueReviewer')).toBe('1');
    expect(getConfig(col, 'firstDayOfWeek')).toBe(0);
    for (const k of BOOL_CONFIG_KEYS) if (getConfigJson(col, k) === undefined) expect(getConfigBool(col, k)).toBe(TRUE_BY_DEFAULT.has(k));
    expect(getConfigBool(col, 'normalize_note_text')).toBe(true);
    expect(getConfigBool(col, 'fsrs')).toBe(false);
    expect(getConfigBool(col, 'loadBalancerEnabled')).toBe(true);
    expect(configDefault('schedVer')).toBe(1);
    expect(isKnownConfigKey('estTimes')).toBe(true);
    expect(isKnownConfigKey('someAddonKey')).toBe(false);
    col.close();
    expectCollectionPasses(path);
  });

  it('falls back to the default when a stored value has the wrong type, as Anki does', () => {
    const { col } = fresh();
    col.transact('junk', (tx) => {
      tx.setConfig('rollover', 'four');
      tx.setConfig('estTimes', 0);
      tx.setConfig('collapseTime', -5);
      tx.setConfig('schedVer', 3);
      tx.setConfig('firstDayOfWeek', 2);
    });
    expect(getConfig(col, 'rollover')).toBe(4);
    expect(getConfig(col, 'estTimes')).toBe(true);
    expect(getConfig(col, 'collapseTime')).toBe(1200);
    expect(getConfig(col, 'schedVer')).toBe(1);
    expect(schedulerVersion(col)).toBe(1);
    expect(getConfig(col, 'firstDayOfWeek')).toBe(0);
    col.transact('big rollover', (tx) => tx.setConfig('rollover', 30));
    // Anki reads a u8 and caps it at 23
    expect(getConfig(col, 'rollover')).toBe(23);
  });

  it('writes typed values as JSON blobs, only when they change, undoably', () => {
    const { col, path } = fresh();
    expect(setConfig(col, 'rollover', 5).result).toBe(true);
    const row = col.storage.config.getRow('rollover')!;
    expect(Buffer.isBuffer(row.val) || row.val instanceof Uint8Array).toBe(true);
    expect(Buffer.from(row.val).toString()).toBe('5');
    expect(row.usn).toBe(-1);
    const r = setConfig(col, 'rollover', 5);
    expect(r.result).toBe(false);
    expect(r.changes.config).toBe(false);
    expect(() => setConfig(col, 'rollover', 24)).toThrow(/rollover/);
    expect(() => setConfig(col, 'estTimes', 'yes' as unknown as boolean)).toThrow(/estTimes/);
    expect(() => setConfig(col, 'curModel', 1.5)).toThrow(/curModel/);
    setConfig(col, 'sortType', 'cardDue');
    expect(Buffer.from(col.storage.config.getRow('sortType')!.val).toString()).toBe('"cardDue"');
    setConfig(col, 'backups', { daily: 3, weekly: 2, monthly: 1, minimum_interval_mins: 5 });
    expect(getConfig(col, 'backups').daily).toBe(3);
    setConfigJson(col, 'myAddon', { a: [1, 'ß'] });
    expect(getAllConfig(col).myAddon).toEqual({ a: [1, 'ß'] });
    expect(removeConfig(col, 'myAddon').result).toBe(true);
    expect(removeConfig(col, 'myAddon').result).toBe(false);
    col.undo(); // the removal
    expect(getConfigJson(col, 'myAddon')).toEqual({ a: [1, 'ß'] });
    col.undo();
    col.undo();
    col.undo();
    col.undo();
    expect(getConfig(col, 'rollover')).toBe(4);
    col.close();
    expectCollectionPasses(path);
  });
});
