// Rows → foreign notes: each record's fields, tags, guid, notetype and deck as the metadata maps
// its columns.

import { escapeHtml } from '../../text/html';
import type { ImportLogNote } from '../import-log';
import { collectTags } from './csv-header';
import { charOf, type CsvMetadata, metaColumns } from './csv-metadata';
import { DEFAULT_NAME_OR_ID, type NameOrId, parseNameOrId } from './csv-name-or-id';
import { parseCsv, withoutTagsLine } from './csv-reader';

export interface ForeignNote {
  guid: string;
  /** null: the column is not mapped / absent in this row (the field is left alone). */
  fields: (string | null)[];
  /** null: no tags column. */
  tags: string[] | null;
  notetype: NameOrId;
  deck: NameOrId;
}

export function foreignNotes(text: string, m: CsvMetadata): ForeignNote[] {
  const records = parseCsv(withoutTagsLine(text), { delimiter: charOf(m.delimiter) });
  const meta = metaColumns(m);
  const fieldColumns = 'globalNotetype' in m.notetype ? m.notetype.globalNotetype.fieldColumns : [];
  const stringify = m.isHtml ? (s: string) => s : (s: string) => escapeHtml(s).replaceAll('\n', '<br>');
  const col = (rec: string[], i: number): string | undefined => (i > 0 ? rec[i - 1] : undefined);
  const deckColumn = 'deckColumn' in m.deck ? m.deck.deckColumn : 0;
  const notetypeColumn = 'notetypeColumn' in m.notetype ? m.notetype.notetypeColumn : 0;
  return records.map((rec) => {
    let fields: (string | null)[];
    if (fieldColumns.length) fields = fieldColumns.map((c) => (c > 0 && col(rec, c) !== undefined ? stringify(col(rec, c)!) : null));
    else {
      fields = [];
      for (let i = 1; i <= rec.length; i++) if (!meta.has(i)) fields.push(stringify(rec[i - 1]));
    }
    const tagText = m.tagsColumn > 0 ? col(rec, m.tagsColumn) : undefined;
    return {
      guid: m.guidColumn > 0 ? (col(rec, m.guidColumn) ?? '') : '',
      fields,
      tags: tagText === undefined ? null : collectTags(tagText),
      notetype: notetypeColumn > 0 ? parseNameOrId(col(rec, notetypeColumn) ?? '') : DEFAULT_NAME_OR_ID,
      deck: deckColumn > 0 ? parseNameOrId(col(rec, deckColumn) ?? '') : DEFAULT_NAME_OR_ID,
    };
  });
}

export const foreignLogNote = (n: ForeignNote): ImportLogNote => ({ fields: n.fields.map((f) => f ?? '') });
