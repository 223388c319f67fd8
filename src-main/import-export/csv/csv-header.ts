// The header lines at the start of a CSV/TSV file (`#separator:`, `#html:`, `#tags:`,
// `#columns:`, `#notetype:`, `#deck:`, `#… column:`, `#match scope:`, `#if matches:`, or a historic
// leading `tags:` line), and the delimiter guessed from the data when none is given.

import { getConfig } from '../../config/config-service';
import { charOf, type CsvMetadata, type Delimiter, DELIMITERS, DUPE_CODES, SCOPE_CODES } from './csv-metadata';
import { deckIdByNameOrId, notetypeByNameOrId, parseNameOrId, type Reader } from './csv-name-or-id';
import { linesWithEndings, parseCsv, stripUtf8Bom } from './csv-reader';

/** Anki's `collect_tags`: split on whitespace. */
export const collectTags = (s: string) => s.split(/[\p{White_Space}]+/u).filter((t) => t !== '');

const stripLineEnding = (line: string) => (line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') ? line.slice(0, -1) : line);

/** Cuts a header value at the first non-alphanumeric character after its first (so `#separator:,,,` is `,`). */
function trimmedValue(value: string): string {
  const chars = [...value];
  if (chars.length < 2) return value;
  const rest = chars.slice(1);
  const j = rest.findIndex((c) => !/^[A-Za-z0-9]$/.test(c));
  return j < 0 ? value : chars.slice(0, 1 + j).join('');
}

function delimiterFromValue(value: string): Delimiter | undefined {
  const normed = value.toLowerCase();
  return DELIMITERS.find((d) => normed.trim() === d.name || normed === d.char)?.name;
}

/** Defaults from the collection's config, as Anki's `CsvMetadata::from_config`. */
function metadataFromConfig(r: Reader): CsvMetadata {
  return {
    delimiter: 'tab',
    isHtml: false,
    globalTags: [],
    updatedTags: [],
    columnLabels: [],
    deck: { deckId: 0 },
    notetype: { notetypeColumn: 0 },
    tagsColumn: 0,
    guidColumn: 0,
    forceDelimiter: false,
    forceIsHtml: false,
    preview: [],
    dupeResolution: DUPE_CODES[getConfig(r, 'csvDuplicateResolution')] ?? 'update',
    matchScope: SCOPE_CODES[getConfig(r, 'matchScope')] ?? 'notetype',
  };
}

export interface ParsedHeader {
  meta: CsvMetadata;
  hasDeck: boolean;
  hasNotetype: boolean;
  /** Bytes of header lines at the start of the file. */
  metaBytes: number;
}

function parseMetaValue(r: Reader, key: string, value: string, h: ParsedHeader): void {
  const m = h.meta;
  const tv = trimmedValue(value);
  switch (key.trim().toLowerCase()) {
    case 'separator': {
      const d = delimiterFromValue(tv);
      if (d) {
        m.delimiter = d;
        m.forceDelimiter = true;
      }
      break;
    }
    case 'html': {
      const v = tv.toLowerCase();
      if (v === 'true' || v === 'false') {
        m.isHtml = v === 'true';
        m.forceIsHtml = true;
      }
      break;
    }
    case 'tags':
      m.globalTags = collectTags(value);
      break;
    case 'columns': {
      const rec = parseCsv(value, { delimiter: charOf(m.delimiter), comment: null, limit: 1 })[0];
      m.columnLabels = rec ?? [''];
      break;
    }
    case 'notetype': {
      const nt = notetypeByNameOrId(r, parseNameOrId(value));
      if (nt) {
        m.notetype = { globalNotetype: { id: nt.id, fieldColumns: [] } };
        h.hasNotetype = true;
      }
      break;
    }
    case 'deck': {
      const did = deckIdByNameOrId(r, parseNameOrId(value));
      if (did !== undefined) {
        m.deck = { deckId: did };
        h.hasDeck = true;
      } else if (value !== '') {
        m.deck = { deckName: value };
        h.hasDeck = true;
      }
      break;
    }
    case 'notetype column':
    case 'deck column':
    case 'tags column':
    case 'guid column': {
      const t = tv.trim();
      if (!/^\+?\d+$/.test(t) || Number(t) > 0xffffffff) break;
      const n = Number(t);
      const k = key.trim().toLowerCase();
      if (k === 'notetype column') {
        m.notetype = { notetypeColumn: n };
        h.hasNotetype = true;
      } else if (k === 'deck column') {
        m.deck = { deckColumn: n };
        h.hasDeck = true;
      } else if (k === 'tags column') m.tagsColumn = n;
      else m.guidColumn = n;
      break;
    }
    case 'match scope':
      if (value === 'notetype') m.matchScope = 'notetype';
      else if (value === 'notetype + deck') m.matchScope = 'notetypeAndDeck';
      break;
    case 'if matches':
      if (value === 'update current') m.dupeResolution = 'update';
      else if (value === 'keep current') m.dupeResolution = 'preserve';
      else if (value === 'keep both') m.dupeResolution = 'duplicate';
      break;
  }
}

/** A `#key:value` line (true, and applied), or false when the line is data. */
function parseLine(r: Reader, line: string, h: ParsedHeader): boolean {
  if (!line.startsWith('#')) return false;
  const l = line.slice(1);
  const colon = l.indexOf(':');
  if (colon >= 0) parseMetaValue(r, l.slice(0, colon), stripLineEnding(l.slice(colon + 1)), h);
  return true;
}

export function parseHeader(r: Reader, text: string): ParsedHeader {
  const h: ParsedHeader = { meta: metadataFromConfig(r), hasDeck: false, hasNotetype: false, metaBytes: 0 };
  const lines = linesWithEndings(text);
  let i = 0;
  const first = lines[0] ?? '';
  const firstNoBom = stripUtf8Bom(first);
  let isMeta: boolean;
  if (firstNoBom.startsWith('tags:')) {
    h.meta.globalTags = collectTags(firstNoBom.slice('tags:'.length));
    isMeta = true;
  } else isMeta = parseLine(r, firstNoBom, h);
  if (isMeta) {
    h.metaBytes += Buffer.byteLength(first);
    for (i = 1; i < lines.length && parseLine(r, lines[i], h); i++) h.metaBytes += Buffer.byteLength(lines[i]);
  }
  return h;
}

export function detectDelimiter(text: string, metaBytes: number): Delimiter {
  const buf = Buffer.from(text, 'utf8').subarray(metaBytes, metaBytes + 8 * 1024);
  for (const d of DELIMITERS) if (buf.includes(d.char.charCodeAt(0))) return d.name;
  return 'space';
}
