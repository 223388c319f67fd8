// HTML stripping, entity decoding and escaping with the exact semantics of Anki's
// rslib/src/text.rs (regex crate, leftmost-first) and the `htmlescape` 0.3 crate.
//
// Notes on translating Anki's Rust regexes to JS:
// - All regexes use the `u` flag so classes consume code points, and `i` folds case the way
//   Rust's Unicode-aware `(?i)` does (simple case folding, e.g. `ſ` matches `s`).
// - Rust's `.` does not match only `\n`; with `(?s)` it matches everything, written `[^]` here.
// - Rust's `\s` and `str::trim()` use Unicode White_Space, which differs from JS `\s`/`trim()`
//   (JS also treats U+FEFF as space), so `[\p{White_Space}]` is used explicitly.
// - In Rust verbose mode (`x`), whitespace inside character classes is ignored, so Anki's
//   `[^ >]` in HTML_MEDIA_TAGS is really `[^>]`.

import { HTML4_ENTITIES } from './entities';

// ---------------------------------------------------------------------------------------------
// Escaping (htmlescape::encode_minimal / encode_attribute)

const MINIMAL_ENTITIES: Record<string, string> = {
  '"': '&quot;',
  '&': '&amp;',
  "'": '&#x27;',
  '<': '&lt;',
  '>': '&gt;',
};

/** htmlescape::encode_minimal: `" & ' < >` become `&quot; &amp; &#x27; &lt; &gt;`. */
export function escapeHtml(text: string): string {
  return text.replace(/["&'<>]/g, (c) => MINIMAL_ENTITIES[c]);
}

/**
 * htmlescape::encode_attribute: the minimal five as above; every other character below U+0100
 * that is not an ASCII letter or digit becomes `&#xHH;` (two uppercase hex digits); characters
 * from U+0100 up are kept.
 */
export function encodeAttribute(text: string): string {
  let out = '';
  for (const ch of text) {
    const minimal = MINIMAL_ENTITIES[ch];
    if (minimal !== undefined) {
      out += minimal;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (cp < 256 && (cp > 127 || !/^[A-Za-z0-9]$/.test(ch))) {
      out += '&#x' + cp.toString(16).toUpperCase().padStart(2, '0') + ';';
    } else {
      out += ch;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Entity decoding (htmlescape::decode_html)

const enum DecodeState {
  Normal,
  Entity,
  Named,
  Numeric,
  Hex,
  Dec,
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isHexDigit(c: string): boolean {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

function numericToChar(digits: string, radix: 10 | 16): string | null {
  if (digits.length === 0) return null;
  let n = 0;
  for (const c of digits) {
    n = n * radix + Number.parseInt(c, radix);
    if (n > 0x10ffff) return null; // overflow or not a valid scalar value
  }
  if (n >= 0xd800 && n <= 0xdfff) return null;
  return String.fromCodePoint(n);
}

/**
 * Strict HTML entity decoding exactly like `htmlescape::decode_html`: named entities must be
 * HTML 4 names terminated by `;` (case-sensitive), numeric ones `&#123;` or `&#x7B;` (lowercase
 * `x` only). Any malformed or unknown entity, or a bare `&` that is not followed by a valid
 * entity, makes the whole decode fail: returns null.
 */
export function decodeHtmlStrict(text: string): string | null {
  let state = DecodeState.Normal;
  let buf = '';
  let out = '';
  for (const c of text) {
    switch (state) {
      case DecodeState.Normal:
        if (c === '&') state = DecodeState.Entity;
        else out += c;
        break;
      case DecodeState.Entity:
        if (c === '#') state = DecodeState.Numeric;
        else if (c === ';') return null;
        else {
          state = DecodeState.Named;
          buf = c;
        }
        break;
      case DecodeState.Named:
        if (c === ';') {
          const cp = HTML4_ENTITIES.get(buf);
          if (cp === undefined) return null;
          out += String.fromCodePoint(cp);
          buf = '';
          state = DecodeState.Normal;
        } else {
          buf += c;
        }
        break;
      case DecodeState.Numeric:
        if (isDigit(c)) {
          state = DecodeState.Dec;
          buf = c;
        } else if (c === 'x') {
          state = DecodeState.Hex;
          buf = '';
        } else return null;
        break;
      case DecodeState.Dec:
      case DecodeState.Hex: {
        if (c === ';') {
          const ch = numericToChar(buf, state === DecodeState.Dec ? 10 : 16);
          if (ch === null) return null;
          out += ch;
          buf = '';
          state = DecodeState.Normal;
        } else if (state === DecodeState.Dec ? isDigit(c) : isHexDigit(c)) {
          buf += c;
        } else return null;
        break;
      }
    }
  }
  return state === DecodeState.Normal ? out : null;
}

/**
 * Anki's `decode_entities`: if the text contains `&`, decode it strictly; on success, NBSP
 * (U+00A0, however written) becomes a plain space. If decoding fails, the text is returned
 * unchanged, NBSP included.
 */
export function decodeEntities(html: string): string {
  if (!html.includes('&')) return html;
  const decoded = decodeHtmlStrict(html);
  return decoded === null ? html : decoded.replaceAll('\u00a0', ' ');
}

// ---------------------------------------------------------------------------------------------
// Stripping

const HTML_RE = /<!--[^]*?-->|<style[^]*?>[^]*?<\/style>|<script[^]*?>[^]*?<\/script>|<[^]*?>/giu;

/** Removes comments, style/script blocks and all tags; entities are kept. */
export function stripHtmlPreservingEntities(html: string): string {
  if (!html.includes('<')) return html;
  return html.replace(HTML_RE, '');
}

/** Anki's `strip_html`: remove comments, style/script blocks and tags, then decode entities. */
export function stripHtml(html: string): string {
  return decodeEntities(stripHtmlPreservingEntities(html));
}

/** Anki's `is_html`: true if the text contains a tag or comment. */
export function isHtml(text: string): boolean {
  HTML_RE.lastIndex = 0;
  const found = HTML_RE.test(text);
  HTML_RE.lastIndex = 0;
  return found;
}

// ---------------------------------------------------------------------------------------------
// Media tags (HTML_MEDIA_TAGS)
//
// Anki's regex, with verbose-mode whitespace removed and flags `si`:
//   <\b(?:img|audio|video|object|source)\b(?:[^>]|"[^"]+?"|'[^']+?')+?\b(?:src|data)\b=
//   (?:"([^"]+?)"[^>]*>|'([^']+?)'[^>]*>|([^>]+?)(?:\x20[^>]*>|>))
// The attribute prefix can be matched in exponentially many ways by a backtracking engine, so
// this is a dedicated matcher that returns the same (leftmost-first) match as the regex in
// linear time, using the fact that what follows the prefix only depends on its end position.

export interface MediaTagMatch {
  /** Index of the `<`. */
  start: number;
  /** Index just after the match (after the tag's closing `>`). */
  end: number;
  /** The captured filename, exactly as written in the attribute (entities not decoded). */
  fname: string;
}

const RUST_WORD_CHAR = /^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]$/u;
const MEDIA_TAG_NAME = /(?:img|audio|video|object|source)/iuy;
const MEDIA_SRC_ATTR = /(?:src|data)=(?:"([^"]+?)"[^>]*>|'([^']+?)'[^>]*>|([^>]+?)(?: [^>]*>|>))/iuy;
const MEDIA_TAG_START = /<(?:img|audio|video|object|source)/iu;

/** The code point ending just before `pos`, or '' at the start. */
function charBefore(s: string, pos: number): string {
  if (pos <= 0) return '';
  const low = s.charCodeAt(pos - 1);
  if (low >= 0xdc00 && low <= 0xdfff && pos >= 2) {
    const high = s.charCodeAt(pos - 2);
    if (high >= 0xd800 && high <= 0xdbff) return s.slice(pos - 2, pos);
  }
  return s[pos - 1];
}

function charAt(s: string, pos: number): string {
  const cp = s.codePointAt(pos);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

function isRustWordChar(ch: string): boolean {
  return ch !== '' && RUST_WORD_CHAR.test(ch);
}

interface AttrMatch {
  end: number;
  fname: string;
}

class MediaTagMatcher {
  private readonly n: number;
  /** success[pos]: match of `(more pieces)? src=value` starting at pos after ≥1 piece. */
  private success: (AttrMatch | null)[] | undefined;

  constructor(private readonly s: string) {
    this.n = s.length;
  }

  private build(): (AttrMatch | null)[] {
    const { s, n } = this;
    const success = new Array<AttrMatch | null>(n + 1).fill(null);
    let nextDq = -1;
    let nextSq = -1;
    let hasGt = false;
    for (let pos = n - 1; pos >= 0; pos--) {
      const c = s[pos];
      // quote positions strictly after pos (for a quoted piece starting at pos)
      const dqAfter = nextDq;
      const sqAfter = nextSq;
      if (c === '"') nextDq = pos;
      if (c === "'") nextSq = pos;
      if (c === '>') hasGt = true;
      let result: AttrMatch | null = null;
      if (hasGt && /[sSdD\u017f]/.test(c) && !isRustWordChar(charBefore(s, pos))) {
        MEDIA_SRC_ATTR.lastIndex = pos;
        const m = MEDIA_SRC_ATTR.exec(s);
        if (m) result = { end: MEDIA_SRC_ATTR.lastIndex, fname: m[1] ?? m[2] ?? m[3] };
      }
      if (!result) result = this.afterPiece(pos, success, dqAfter, sqAfter);
      success[pos] = result;
    }
    return success;
  }

  /** Try one more piece at pos ([^>], "…" or '…') followed by success at its end. */
  private afterPiece(
    pos: number,
    success: (AttrMatch | null)[],
    dqAfter: number,
    sqAfter: number,
  ): AttrMatch | null {
    const c = this.s[pos];
    if (c !== '>') {
      const r = success[pos + 1];
      if (r) return r;
    }
    if (c === '"' && dqAfter > pos + 1) {
      const r = success[dqAfter + 1];
      if (r) return r;
    }
    if (c === "'" && sqAfter > pos + 1) {
      const r = success[sqAfter + 1];
      if (r) return r;
    }
    return null;
  }

  private firstPiece(pos: number): AttrMatch | null {
    if (pos >= this.n) return null;
    this.success ??= this.build();
    const s = this.s;
    const c = s[pos];
    const dqAfter = c === '"' ? s.indexOf('"', pos + 1) : -1;
    const sqAfter = c === "'" ? s.indexOf("'", pos + 1) : -1;
    return this.afterPiece(pos, this.success, dqAfter, sqAfter);
  }

  /** Match starting exactly at `p` (which must be a `<`), or null. */
  matchAt(p: number): MediaTagMatch | null {
    MEDIA_TAG_NAME.lastIndex = p + 1;
    if (!MEDIA_TAG_NAME.exec(this.s)) return null;
    const q = MEDIA_TAG_NAME.lastIndex;
    if (q >= this.n || isRustWordChar(charAt(this.s, q))) return null;
    const m = this.firstPiece(q);
    return m ? { start: p, end: m.end, fname: m.fname } : null;
  }
}

/** All non-overlapping media tag matches, leftmost first, as Anki's HTML_MEDIA_TAGS finds them. */
export function findMediaTags(html: string): MediaTagMatch[] {
  const out: MediaTagMatch[] = [];
  if (!MEDIA_TAG_START.test(html)) return out;
  const matcher = new MediaTagMatcher(html);
  let p = html.indexOf('<');
  while (p !== -1) {
    const m = matcher.matchAt(p);
    if (m) {
      out.push(m);
      p = html.indexOf('<', m.end);
    } else {
      p = html.indexOf('<', p + 1);
    }
  }
  return out;
}

/** Replace every media tag match with `replacer(match)`. */
export function replaceMediaTags(html: string, replacer: (m: MediaTagMatch, whole: string) => string): string {
  const matches = findMediaTags(html);
  if (matches.length === 0) return html;
  let out = '';
  let last = 0;
  for (const m of matches) {
    out += html.slice(last, m.start) + replacer(m, html.slice(m.start, m.end));
    last = m.end;
  }
  return out + html.slice(last);
}

/** True if the text contains an img/audio/video/object/source tag with a src/data attribute. */
export function containsMediaTag(html: string): boolean {
  return findMediaTags(html).length > 0;
}

/**
 * Anki's `strip_html_preserving_media_filenames`: media tags become ` filename ` (the attribute
 * value as written, space-padded), then `stripHtml`. Used for `sfld` and `csum`.
 */
export function stripHtmlPreservingMediaFilenames(html: string): string {
  return stripHtml(replaceMediaTags(html, (m) => ` ${m.fname} `));
}

// ---------------------------------------------------------------------------------------------
// Other text helpers from text.rs

const WHITE_SPACE_TRIM = /^[\p{White_Space}]+|[\p{White_Space}]+$/gu;

/** Rust's `str::trim()` (Unicode White_Space at both ends). */
export function rustTrim(text: string): string {
  return text.replace(WHITE_SPACE_TRIM, '');
}

const PERSISTENT_HTML_SPACERS = /<br[\p{White_Space}]*\/?>|<div>|\n/giu;
const TYPE_TAG = /\[\[type:[^\]]+\]\]/gu;
const SOUND_TAG = /\[sound:([^\]]+)\]/gu;

/**
 * Anki's `html_to_text_line` (browser columns, notes export): `<br>`, `<div>` and newlines
 * become spaces, `[[type:…]]` is removed, `[sound:x]` becomes `x` (preserveMediaFilenames) or
 * nothing, HTML is stripped, and the result trimmed.
 */
export function htmlToTextLine(html: string, preserveMediaFilenames = false): string {
  let text = html.replace(PERSISTENT_HTML_SPACERS, ' ');
  text = text.replace(TYPE_TAG, '');
  text = text.replace(SOUND_TAG, preserveMediaFilenames ? '$1' : '');
  text = preserveMediaFilenames ? stripHtmlPreservingMediaFilenames(text) : stripHtml(text);
  return rustTrim(text);
}

const HTML_LINEBREAK_TAGS =
  /<\/?(?:br|address|article|aside|blockquote|canvas|dd|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|li|main|nav|noscript|ol|output|p|pre|section|table|tfoot|ul|video)>/giu;

/** Anki's `strip_html_for_tts`: block-level tags (without attributes) become spaces, then strip. */
export function stripHtmlForTts(html: string): string {
  return stripHtml(html.replace(HTML_LINEBREAK_TAGS, ' '));
}

/** Anki's `newlines_to_spaces`. */
export function newlinesToSpaces(text: string): string {
  return text.replaceAll('\n', ' ');
}

const REMOTE_FILENAME = /^https?:\/\//i;

/** Percent-encodes ASCII controls, space, `"`, `<`, `>`, `` ` `` and `#`; non-ASCII is kept (IRI). */
function encodeIriComponent(fname: string): string {
  let out = '';
  for (const ch of fname) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || cp === 0x7f || ' "<>`#'.includes(ch)) {
      out += '%' + cp.toString(16).toUpperCase().padStart(2, '0');
    } else {
      out += ch;
    }
  }
  return out;
}

/** percent_decode_str(...).decode_utf8_lossy(). */
function decodeIriComponent(fname: string): string {
  if (!fname.includes('%')) return fname;
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < fname.length; ) {
    if (fname[i] === '%' && i + 2 < fname.length && /^[0-9a-fA-F]{2}$/.test(fname.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(fname.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const cp = fname.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      for (const b of enc.encode(ch)) bytes.push(b);
      i += ch.length;
    }
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(bytes));
}

function transformHtmlPaths(html: string, transform: (fname: string) => string): string {
  return replaceMediaTags(html, (m, whole) =>
    REMOTE_FILENAME.test(m.fname) ? whole : whole.split(m.fname).join(transform(m.fname)),
  );
}

/** Anki's `encode_iri_paths`: IRI-encode local media paths in src/data attributes for display. */
export function encodeIriPaths(html: string): string {
  return transformHtmlPaths(html, encodeIriComponent);
}

/** Anki's `decode_iri_paths`: the reverse of encodeIriPaths. */
export function decodeIriPaths(html: string): string {
  return transformHtmlPaths(html, decodeIriComponent);
}
