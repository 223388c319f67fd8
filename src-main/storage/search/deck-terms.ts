// Deck searches (`deck:`, `did:`, `preset:`): a deck matches with its children, and a card
// also through its home deck while it is in a filtered deck.

import { normalizeToNfc, regexEscape, toRe } from '../../search/wildcards';
import { compileChecked, type SqlTarget } from './sql-target';

/** Deck name component normalisation, as Anki's `NativeDeckName::from_human_name`. */
function normalizeDeckComponent(comp: string): string {
  // eslint-disable-next-line no-control-regex -- Anki drops ASCII control characters
  let out = normalizeToNfc(comp).replace(/[\x00-\x1f\x7f]/g, '');
  out = out.replace(/^[\p{White_Space}:]+|[\p{White_Space}:]+$/gu, '');
  return out === '' ? 'blank' : out;
}

export function writeDeck(w: SqlTarget, deck: string): void {
  if (deck === '*') {
    w.sql += 'true';
    return;
  }
  if (deck === 'filtered') {
    w.sql += 'c.odid != 0';
    return;
  }
  let native: string;
  if (deck === 'current') {
    const current = w.catalog.decks().find((d) => d.id === w.ctx.currentDeckId);
    native = regexEscape(current?.name ?? 'Default');
  } else {
    native = toRe(deck).split('::').map(normalizeDeckComponent).join('\x1f');
  }
  // the deck and its children (a match on the name or on a "name\x1f…" prefix)
  const re = compileChecked(`(?i)^${native}($|\x1f)`);
  const ids = w.catalog
    .decks()
    .filter((d) => re.test(d.name))
    .map((d) => d.id)
    .sort((a, b) => a - b);
  if (ids.length === 0) {
    w.sql += 'false';
    return;
  }
  writeDeckList(w, ids);
}

/**
 * Cards in these decks, or in a filtered deck with one of them as home deck:
 * `(c.did in (…) or (c.odid != 0 and c.odid in (…)))`. When no card has one of the decks as
 * its home deck the second half cannot match and is left out, so SQLite can use
 * ix_cards_sched directly instead of a slower multi-index OR.
 */
export function writeDeckList(w: SqlTarget, ids: ReadonlyArray<number | bigint>): void {
  const list = ids.join(',');
  const safe = ids.filter((id) => typeof id === 'number' || (id >= -(2n ** 53n) && id <= 2n ** 53n)).map(Number);
  if (safe.length === ids.length && !w.catalog.anyCardWithOriginalDeck(safe)) {
    w.sql += `c.did in (${list})`;
    return;
  }
  w.sql += `(c.did in (${list}) or (c.odid != 0 and c.odid in (${list})))`;
}

export function writePreset(w: SqlTarget, name: string): void {
  const dcid = w.catalog.deckConfigIdByName(name);
  if (dcid === undefined) {
    w.sql += 'false';
    return;
  }
  const ids = w.catalog
    .decks()
    .filter((d) => d.configId === dcid)
    .map((d) => d.id);
  if (ids.length === 0) {
    w.sql += 'false';
    return;
  }
  // Anki: `(c.did in (ids) or c.odid in (ids))`; deck ids are never 0, so adding `c.odid != 0`
  // changes nothing and lets SQLite use the partial index on odid.
  writeDeckList(w, ids);
}
