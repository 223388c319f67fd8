// The metadata a CSV/TSV file starts with on Anki's import screen: its header, the guessed
// delimiter and HTML flag, a preview, and columns mapped to the notetype's fields.

import { readFileSync } from 'node:fs';
import type { Collection } from '../../collection/collection';
import { DeckhandError } from '../../collection/errors';
import { getConfig } from '../../config/config-service';
import { DEFAULT_DECK_ID } from '../../decks/deck';
import { getCurrentDeckId } from '../../decks/decks-service';
import { htmlToTextLine, isHtml } from '../../text/html';
import { detectDelimiter, parseHeader } from './csv-header';
import { charOf, type CsvMetadata, type CsvMetadataRequest, metaColumns } from './csv-metadata';
import type { Reader } from './csv-name-or-id';
import { parseCsv, withoutTagsLine } from './csv-reader';

export function readUtf8(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new DeckhandError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not-found' : 'io', `cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DeckhandError('invalid-input', `${path} is not UTF-8 text. Save it as UTF-8 and try again.`);
  }
}

/** Anki's `defaults_for_adding`: the deck and notetype the Add screen would start with. */
export function defaultsForAdding(r: Reader): { deckId: number; notetypeId: number } {
  const currentNotetype = (): number => {
    const cur = r.storage.config.get<unknown>('curModel');
    if (typeof cur === 'number' && r.storage.notetypes.get(cur)) return cur;
    const first = r.storage.notetypes.namesInIdOrder()[0];
    if (!first) throw new DeckhandError('invalid-input', 'collection has no notetypes');
    return first.id;
  };
  const currentDeck = (): number => {
    const d = r.storage.decks.get(getCurrentDeckId(r));
    return d && !d.kind.filtered ? d.id : DEFAULT_DECK_ID;
  };
  if (getConfig(r, 'addToCur')) {
    const deckId = currentDeck();
    const last = r.storage.config.get<unknown>(`_deck_${deckId}_lastNotetype`);
    const notetypeId = typeof last === 'number' && r.storage.notetypes.get(last) ? last : currentNotetype();
    return { deckId, notetypeId };
  }
  const notetypeId = currentNotetype();
  const last = r.storage.config.get<unknown>(`_nt_${notetypeId}_lastDeck`);
  const deck = typeof last === 'number' ? r.storage.decks.get(last) : undefined;
  return { deckId: deck && !deck.kind.filtered ? deck.id : currentDeck(), notetypeId };
}

/** Metadata from text already read (see {@link getCsvMetadata}). */
export function csvMetadataFromText(r: Reader, text: string, req: CsvMetadataRequest = {}): CsvMetadata {
  const h = parseHeader(r, text);
  const m = h.meta;
  if (req.delimiter) m.delimiter = req.delimiter;
  else if (!m.forceDelimiter) m.delimiter = detectDelimiter(text, h.metaBytes);
  const records = parseCsv(withoutTagsLine(text), { delimiter: charOf(m.delimiter), limit: 5 });
  if (req.isHtml !== undefined) m.isHtml = req.isHtml;
  else if (!m.forceIsHtml) m.isHtml = records.some((rec) => rec.some((f) => isHtml(f)));
  let minLen = 1;
  m.preview = records.map((rec, idx) => {
    const padded = [...rec];
    while (padded.length < minLen) padded.push('');
    const row = padded.map((f) => [...(m.isHtml ? htmlToTextLine(f, true) : f)].slice(0, 80).join(''));
    if (idx === 0) minLen = row.length;
    return row;
  });
  if (m.columnLabels.length === 0) m.columnLabels = new Array<string>(m.preview[0]?.length ?? 0).fill('');
  const defaults = (req.notetypeId === undefined || req.deckId === undefined) && (!h.hasNotetype || !h.hasDeck) ? defaultsForAdding(r) : undefined;
  if (!h.hasNotetype || req.notetypeId !== undefined) m.notetype = { globalNotetype: { id: req.notetypeId ?? defaults!.notetypeId, fieldColumns: [] } };
  if (!h.hasDeck || req.deckId !== undefined) m.deck = { deckId: req.deckId ?? defaults!.deckId };
  if ('globalNotetype' in m.notetype) {
    const global = m.notetype.globalNotetype;
    const nt = r.storage.notetypes.get(global.id);
    if (!nt) throw new DeckhandError('not-found', `note type ${global.id} not found`);
    const meta = metaColumns(m);
    const cols = new Array<number>(nt.fields.length).fill(0);
    cols[0] = 1;
    const columnLen = m.columnLabels.length;
    if (m.columnLabels.every((l) => l === '')) {
      let f = 0;
      for (let index = 1; index <= columnLen && f < cols.length; index++) if (!meta.has(index)) cols[f++] = index;
    } else {
      const byLabel = new Map<string, number>();
      m.columnLabels.forEach((l, i) => {
        if (!meta.has(i + 1)) byLabel.set(l, i + 1);
      });
      nt.fields.forEach((field, i) => {
        const c = byLabel.get(field.name);
        if (c !== undefined) cols[i] = c;
      });
    }
    if (cols[0] === 0) {
      let first = 0;
      for (let i = 1; i <= columnLen; i++)
        if (!meta.has(i)) {
          first = i;
          break;
        }
      if (!first) throw new DeckhandError('invalid-input', 'The file must contain at least one column that can be mapped to a note field.');
      cols[0] = first;
    }
    global.fieldColumns = cols;
    if (m.tagsColumn === 0) {
      const maxField = Math.max(0, ...cols);
      for (let idx = maxField + 1; idx <= m.columnLabels.length; idx++)
        if (!meta.has(idx)) {
          m.tagsColumn = idx;
          break;
        }
    }
  }
  return m;
}

/** Reads a CSV/TSV file's metadata as Anki's import screen starts with it. Throws for an empty file. */
export function getCsvMetadata(col: Collection, path: string, req: CsvMetadataRequest = {}): CsvMetadata {
  const m = csvMetadataFromText(col, readUtf8(path), req);
  if (m.preview.length === 0) throw new DeckhandError('invalid-input', 'The file is empty.');
  return m;
}
