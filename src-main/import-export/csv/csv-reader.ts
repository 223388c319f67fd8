// A CSV reader with the settings Anki gives the Rust `csv` crate for imports: no header row,
// records of varying length allowed, `#` starts a comment line, `"` quotes with `""` as an
// escaped quote, and `\r`, `\n` or `\r\n` end a record. Blank lines are skipped, as csv-core
// does. A leading "tags:" line (a historic header) is not part of the data.

export const UTF8_BOM = '\ufeff';

export function stripUtf8Bom(s: string): string {
  return s.startsWith(UTF8_BOM) ? s.slice(1) : s;
}

/** Splits text into lines that keep their line ending (`BufRead::read_line`). */
export function linesWithEndings(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** The text without a first line starting with "tags:" (after an optional BOM). */
export function withoutTagsLine(text: string): string {
  const first = linesWithEndings(text)[0] ?? '';
  return stripUtf8Bom(first).startsWith('tags:') ? text.slice(first.length) : text;
}

const enum State {
  StartRecord,
  StartField,
  InField,
  InQuoted,
  QuoteInQuoted,
  Comment,
}

export interface CsvReadOptions {
  delimiter: string;
  /** Comment character at the start of a record (Anki: '#'). Null disables comments. */
  comment?: string | null;
  /** Stop after this many records. */
  limit?: number;
}

/** Parses records (arrays of fields). A BOM at the start is dropped. */
export function parseCsv(input: string, opts: CsvReadOptions): string[][] {
  const text = stripUtf8Bom(input);
  const delim = opts.delimiter;
  const comment = opts.comment === undefined ? '#' : opts.comment;
  const limit = opts.limit ?? Infinity;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let state = State.StartRecord;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  for (let i = 0; i < text.length && records.length < limit; i++) {
    const c = text[i];
    const isTerm = c === '\n' || c === '\r';
    if (state === State.StartRecord) {
      if (isTerm) continue;
      if (comment !== null && c === comment) {
        state = State.Comment;
        continue;
      }
      state = State.StartField;
    }
    switch (state) {
      case State.StartField:
      case State.InField:
      case State.QuoteInQuoted:
        if (c === '"' && state === State.StartField) {
          state = State.InQuoted;
        } else if (c === '"' && state === State.QuoteInQuoted) {
          field += '"';
          state = State.InQuoted;
        } else if (c === delim) {
          endField();
          state = State.StartField;
        } else if (isTerm) {
          endRecord();
          state = State.StartRecord;
        } else {
          field += c;
          state = State.InField;
        }
        break;
      case State.InQuoted:
        if (c === '"') state = State.QuoteInQuoted;
        else field += c;
        break;
      case State.Comment:
        if (c === '\n') state = State.StartRecord;
        break;
    }
  }
  if (records.length < limit && state !== State.StartRecord && state !== State.Comment) endRecord();
  return records;
}
