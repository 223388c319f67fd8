// Field text normalisation as Anki applies it when a note is saved (`normalize_field`), and the
// "no combining marks" folding used by `nc:` searches and type-answer comparison.

/** ASCII control characters other than `\n` and `\t` (Rust `is_ascii_control`: 0x00–0x1F, 0x7F). */
// eslint-disable-next-line no-control-regex
const INVALID_FIELD_CHARS = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** Removes the control characters Anki strips from fields (keeps `\n` and `\t`; `\r` goes). */
export function stripInvalidFieldChars(text: string): string {
  return text.replace(INVALID_FIELD_CHARS, '');
}

/** NFC normalisation (`normalize_to_nfc`). */
export function toNfc(text: string): string {
  return text.normalize('NFC');
}

/**
 * Anki's `normalize_field`: strip invalid control characters, then NFC-normalise when the
 * collection's `normalize_note_text` setting is on (the default).
 */
export function normalizeFieldText(text: string, normalize = true): string {
  const cleaned = stripInvalidFieldChars(text);
  return normalize ? toNfc(cleaned) : cleaned;
}

/** Normalise every field of a note. */
export function normalizeNoteFields(fields: readonly string[], normalize = true): string[] {
  return fields.map((f) => normalizeFieldText(f, normalize));
}

const EXTRA_NO_COMBINING_REPLACEMENTS: Record<string, string> = {
  '€': 'E',
  Æ: 'AE',
  Ð: 'D',
  Ø: 'O',
  Þ: 'TH',
  ß: 's',
  æ: 'ae',
  ð: 'd',
  ø: 'o',
  þ: 'th',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  ĸ: 'k',
  Ł: 'L',
  ł: 'l',
  Ŋ: 'N',
  ŋ: 'n',
  Œ: 'OE',
  œ: 'oe',
  Ŧ: 'T',
  ŧ: 't',
  Ə: 'E',
  ǝ: 'e',
  ɑ: 'a',
};

const COMBINING_MARK = /\p{M}/u;

/** True for a combining mark (General_Category M: Mn, Mc, Me). */
export function isCombiningMark(ch: string): boolean {
  return COMBINING_MARK.test(ch);
}

/**
 * Anki's `without_combining`: NFKD, drop combining marks, and fold a few letters that have no
 * decomposition (ß → s, æ → ae, ł → l, …).
 */
export function withoutCombining(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFKD')) {
    if (COMBINING_MARK.test(ch)) continue;
    out += EXTRA_NO_COMBINING_REPLACEMENTS[ch] ?? ch;
  }
  return out;
}
