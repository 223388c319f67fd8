// Field HTML in the editor: a small tokenizer (no DOM, so it runs in tests and never executes
// anything) that removes what could run — scripts, event handlers, `javascript:` URLs, frames,
// embedded objects, `<style>`/`<link>`/`<meta>`/`<base>` that would restyle or redirect the app,
// comments (browsers end them in surprising places) — and keeps everything else a field may hold
// (formatting, tables, images, Anki's `[sound:…]`). The same pass maps media references between
// what the note stores (`<img src="cat.jpg">`) and what the editing surface loads
// (`<img src="/media/<token>/cat.jpg">`).

/** Elements removed with everything inside them (their content is not HTML, or it is a document). */
const DROP_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'noscript', 'noembed', 'noframes', 'template', 'title', 'xmp', 'plaintext', 'textarea', 'select', 'button']);
/** Elements whose content the tokenizer must skip as raw text (never parsed as tags). */
const RAW_TEXT = new Set(['script', 'style', 'iframe', 'noscript', 'noembed', 'noframes', 'xmp', 'textarea', 'title', 'plaintext']);
/** Tags removed on their own (no content, or content kept). */
const DROP_TAG = new Set(['link', 'meta', 'base', 'param', 'form', 'input', 'option', 'html', 'head', 'body', 'portal']);
/** Attributes that hold a URL. */
const URL_ATTRS = new Set(['href', 'src', 'xlink:href', 'action', 'formaction', 'background', 'poster', 'cite', 'longdesc', 'data', 'codebase', 'dynsrc', 'lowsrc']);
/** Attributes never kept. */
const DROP_ATTRS = new Set(['srcdoc', 'srcset', 'contenteditable', 'autofocus', 'is', 'ping', 'http-equiv']);

const VOID = new Set(['area', 'br', 'col', 'hr', 'img', 'source', 'track', 'wbr', 'input', 'link', 'meta', 'base', 'param', 'embed', 'keygen']);

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', colon: ':', tab: '\t', newline: '\n', sol: '/', lpar: '(', rpar: ')' };

/** Decodes character references (for checking attribute values; the output re-escapes). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);?/gi, (m, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED[ref.toLowerCase()] ?? m;
  });
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A URL that would run script (`javascript:`, `vbscript:`, `data:` other than images), after the tricks browsers forgive. */
export function isDangerousUrl(value: string, tag = ''): boolean {
  // browsers drop control characters and whitespace anywhere in the scheme
  const v = decodeEntities(value)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is dropped
    .replace(/[\u0000-\u0020\u007f-\u009f]/g, '')
    .toLowerCase();
  if (v.startsWith('javascript:') || v.startsWith('vbscript:') || v.startsWith('livescript:')) return true;
  if (v.startsWith('data:')) return !(/^(img|source|audio|video)$/.test(tag) && /^data:(image\/(png|gif|jpe?g|webp|bmp|avif)|audio\/|video\/)/.test(v));
  return false;
}

export interface Attr {
  name: string;
  value: string | null;
}

/** Context handed to an attribute mapper: the element and the attribute (value decoded). */
export type AttrMapper = (tag: string, name: string, value: string) => string;

export interface TransformOptions {
  /** Rewrites a kept attribute's (decoded) value. */
  mapAttr?: AttrMapper;
}

function parseAttrs(src: string): Attr[] {
  const attrs: Attr[] = [];
  let i = 0;
  while (i < src.length) {
    while (i < src.length && /[\s/]/.test(src[i])) i++;
    if (i >= src.length) break;
    let name = '';
    while (i < src.length && !/[\s/>=]/.test(src[i])) name += src[i++];
    while (i < src.length && /\s/.test(src[i])) i++;
    if (src[i] !== '=') {
      if (name) attrs.push({ name: name.toLowerCase(), value: null });
      continue;
    }
    i++;
    while (i < src.length && /\s/.test(src[i])) i++;
    let value = '';
    const q = src[i];
    if (q === '"' || q === "'") {
      const end = src.indexOf(q, i + 1);
      value = end < 0 ? src.slice(i + 1) : src.slice(i + 1, end);
      i = end < 0 ? src.length : end + 1;
    } else {
      while (i < src.length && !/[\s>]/.test(src[i])) value += src[i++];
    }
    if (name) attrs.push({ name: name.toLowerCase(), value: decodeEntities(value) });
  }
  return attrs;
}

/** Finds the end of a tag starting at `i` (the `<`), honouring quoted attribute values. */
function tagEnd(html: string, i: number): number {
  let q: string | null = null;
  for (let j = i + 1; j < html.length; j++) {
    const c = html[j];
    if (q) {
      if (c === q) q = null;
    } else if (c === '"' || c === "'") {
      // quotes only open a value right after `=` (possibly spaced)
      let k = j - 1;
      while (k > i && /\s/.test(html[k])) k--;
      if (html[k] === '=') q = c;
    } else if (c === '>') return j;
  }
  return -1;
}

/**
 * The sanitiser: field HTML with nothing that could run, attributes re-serialised, comments
 * dropped. Idempotent; text outside tags is kept byte for byte (a stray `<` becomes `&lt;`).
 */
export function sanitizeFieldHtml(html: string, opts: TransformOptions = {}): string {
  let out = '';
  let i = 0;
  /** Depth inside an element dropped with its content: its name, for matching the end tag. */
  const dropping: string[] = [];
  const emit = (s: string) => {
    if (!dropping.length) out += s;
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      emit(html.slice(i));
      break;
    }
    emit(html.slice(i, lt));
    i = lt;
    if (html.startsWith('<!--', i)) {
      // comments are dropped: where a browser ends one (`<!-->`, `--!>`…) is a classic trick
      if (html.startsWith('<!-->', i)) i += 5;
      else if (html.startsWith('<!--->', i)) i += 6;
      else {
        const ends = [html.indexOf('-->', i + 4), html.indexOf('--!>', i + 4)].filter((e) => e >= 0);
        if (!ends.length) break; // an unterminated comment hides the rest
        const end = Math.min(...ends);
        i = end + (html.startsWith('-->', end) ? 3 : 4);
      }
      continue;
    }
    const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/.exec(html.slice(i, i + 64));
    if (!m) {
      // `<!doctype`, `<?xml`, `</ 3`, a lone `<`: not markup we keep
      if (html[i + 1] === '!' || html[i + 1] === '?') {
        const end = html.indexOf('>', i);
        i = end < 0 ? html.length : end + 1;
      } else {
        emit('&lt;');
        i++;
      }
      continue;
    }
    const closing = m[1] === '/';
    const name = m[2].toLowerCase();
    const end = tagEnd(html, i);
    if (end < 0) {
      // an unterminated tag: the browser would drop it
      break;
    }
    const inner = html.slice(i + m[0].length, end);
    i = end + 1;
    if (closing) {
      if (dropping.length) {
        if (dropping.at(-1) === name) dropping.pop();
        continue;
      }
      if (DROP_WITH_CONTENT.has(name) || DROP_TAG.has(name) || VOID.has(name)) continue;
      emit(`</${name}>`);
      continue;
    }
    if (DROP_WITH_CONTENT.has(name)) {
      if (RAW_TEXT.has(name)) {
        // skip to the matching end tag without parsing what is inside
        const close = html.toLowerCase().indexOf(`</${name}`, i);
        if (close < 0) {
          i = html.length;
        } else {
          const e2 = html.indexOf('>', close);
          i = e2 < 0 ? html.length : e2 + 1;
        }
      } else if (!inner.trimEnd().endsWith('/') && !VOID.has(name)) {
        dropping.push(name);
      }
      continue;
    }
    if (dropping.length) {
      continue;
    }
    if (DROP_TAG.has(name)) continue;
    let tag = `<${name}`;
    for (const a of parseAttrs(inner)) {
      if (a.name.startsWith('on') || DROP_ATTRS.has(a.name) || !/^[a-z_:][a-z0-9_:.-]*$/.test(a.name)) continue;
      if (a.value === null) {
        tag += ` ${a.name}`;
        continue;
      }
      let value = a.value;
      if (URL_ATTRS.has(a.name) && isDangerousUrl(value, name)) continue;
      if (a.name === 'style' && /expression\s*\(|javascript:|behavior\s*:|-moz-binding/i.test(value)) continue;
      if (opts.mapAttr) value = opts.mapAttr(name, a.name, value);
      tag += ` ${a.name}="${escapeAttr(value)}"`;
    }
    emit(`${tag}>`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Media references: stored names ↔ the URLs the editing surface loads

const MEDIA_TAGS = new Set(['img', 'audio', 'video', 'source']);
const hasScheme = (v: string) => /^[a-z][a-z0-9+.-]*:/i.test(v) || v.startsWith('/') || v.startsWith('#');

/** The field as the editing surface shows it: sanitised, local media pointed at the media folder URL. */
export function toEditorHtml(fieldHtml: string, mediaBase: string): string {
  return sanitizeFieldHtml(fieldHtml, {
    mapAttr: (tag, name, value) => (MEDIA_TAGS.has(tag) && name === 'src' && value && !hasScheme(value) ? mediaBase + encodeURIComponent(value) : value),
  });
}

/** The editing surface's HTML back as field HTML: sanitised, media URLs back to plain file names (as Anki stores them). */
export function fromEditorHtml(editorHtml: string, mediaBase: string): string {
  const html = sanitizeFieldHtml(editorHtml, {
    mapAttr: (tag, name, value) => {
      if (!(MEDIA_TAGS.has(tag) && name === 'src' && value.startsWith(mediaBase))) return value;
      try {
        return decodeURIComponent(value.slice(mediaBase.length));
      } catch {
        return value.slice(mediaBase.length);
      }
    },
  });
  // an editable surface emptied by the user often keeps a lone <br>
  return html === '<br>' ? '' : html;
}

/** How Anki references a media file in a field: images as `<img src="…">`, sound and video as `[sound:…]`. */
export function mediaReference(filename: string, mimeType: string): string {
  if (mimeType.startsWith('audio/') || mimeType.startsWith('video/') || /\.(mp3|ogg|oga|opus|wav|flac|m4a|aac|webm|mp4|mkv|mov|3gp|spx)$/i.test(filename)) return `[sound:${filename}]`;
  return `<img src="${escapeAttr(filename)}">`;
}

/** A name for pasted data that has none (Anki names pastes `paste-<sha1>.png`; the core renames clashes). */
export function pastedFileName(name: string, mimeType: string, now = Date.now()): string {
  if (name && name !== 'image.png' && name !== 'blob') return name;
  const ext = /^image\/(png|jpeg|gif|webp|svg\+xml|avif)$/.exec(mimeType)?.[1]?.replace('jpeg', 'jpg').replace('svg+xml', 'svg') ?? (mimeType.startsWith('audio/') ? 'mp3' : 'png');
  return `paste-${now.toString(36)}.${ext}`;
}

/** Anki's duplicate search for a note's first field (what "Show Duplicates" opens in the browser). */
export function duplicatesSearch(notetypeId: number, firstField: string): string {
  const text = `dupe:${notetypeId},${firstField.replaceAll('\\', '\\\\')}`;
  return `"${text.replaceAll('"', '\\"')}"`;
}
