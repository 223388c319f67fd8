// Media references in field text, as Anki's text.rs finds them (media check, export, rename).

import { decodeEntities, escapeHtml, findMediaTags, replaceMediaTags } from './html';

export interface MediaRef {
  /** The whole matched text: the full tag, or `[sound:…]`. */
  fullRef: string;
  /** The filename exactly as written. */
  fname: string;
  /** The filename with HTML entities decoded (e.g. `&amp;` → `&`). */
  fnameDecoded: string;
  kind: 'html' | 'sound';
}

// `[sound:(.+?)]` with (?s): at least one character, lazily up to the first `]`.
const AV_TAGS = /\[sound:([^]+?)\]/gu;

/**
 * Every media reference in the text: first all HTML media tags (`img`, `audio`, `video`,
 * `object`, `source` with a `src`/`data` attribute), then all `[sound:…]` tags — the order in
 * which Anki's `extract_media_refs` reports them.
 */
export function extractMediaRefs(text: string): MediaRef[] {
  const out: MediaRef[] = [];
  for (const m of findMediaTags(text)) {
    out.push({
      fullRef: text.slice(m.start, m.end),
      fname: m.fname,
      fnameDecoded: decodeEntities(m.fname),
      kind: 'html',
    });
  }
  if (text.includes('[sound:')) {
    for (const m of text.matchAll(AV_TAGS)) {
      out.push({ fullRef: m[0], fname: m[1], fnameDecoded: decodeEntities(m[1]), kind: 'sound' });
    }
  }
  return out;
}

/** The distinct decoded filenames referenced by the text, in first-seen order. */
export function referencedMediaFilenames(text: string): string[] {
  return [...new Set(extractMediaRefs(text).map((r) => r.fnameDecoded))];
}

/**
 * Anki's `replace_media_refs`: calls `replacer` with each (decoded) filename; when it returns a
 * string, that name replaces the old one inside the reference (HTML-escaped if the original
 * needed entity decoding). Returns null if nothing was changed.
 */
export function replaceMediaRefs(text: string, replacer: (fname: string) => string | null | undefined): string | null {
  let changed = false;
  const rep = (whole: string, oldName: string): string => {
    const decoded = decodeEntities(oldName);
    let newName = replacer(decoded);
    if (newName === null || newName === undefined) return whole;
    if (decoded !== oldName) newName = escapeHtml(newName);
    changed = true;
    return whole.split(oldName).join(newName);
  };
  let out = replaceMediaTags(text, (m, whole) => rep(whole, m.fname));
  if (out.includes('[sound:')) {
    out = out.replace(AV_TAGS, (whole: string, fname: string) => rep(whole, fname));
  }
  return changed ? out : null;
}

// Anki's regex (flags x, i). Its first group really is `@import "…"` OR a bare `'…'`, as written.
const UNDERSCORED_CSS_IMPORTS =
  /(?:@import[\p{White_Space}]+"(_[^"]*[^\n]css)"|'(_[^']*[^\n]css)')|(?:url\([\p{White_Space}]*"(_[^"]+)"|'(_[^']+)'|(_[^\n]+?)[\p{White_Space}]*\))/giu;

/** Files with a leading underscore referenced from notetype CSS (`@import`, `url()`). */
export function extractUnderscoredCssImports(css: string): string[] {
  const out: string[] = [];
  for (const m of css.matchAll(UNDERSCORED_CSS_IMPORTS)) {
    const v = m.slice(1).find((g) => g !== undefined);
    if (v !== undefined) out.push(v);
  }
  return out;
}

// Anki's regex (flag x, so `[^ >]` is really `[^>]`).
const UNDERSCORED_REFERENCES =
  /\[sound:(_[^\]]+)\]|"(_[^"]+)"|'(_[^']+)'|(?<![\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}])(?:src|data)=(_[^>]+)/gu;

/** Strings and src/data values with a leading underscore referenced from templates. */
export function extractUnderscoredReferences(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(UNDERSCORED_REFERENCES)) {
    const v = m.slice(1).find((g) => g !== undefined);
    if (v !== undefined) out.push(v);
  }
  return out;
}
