// `[sound:…]` and `[anki:tts …]…[/anki:tts]` handling after template rendering, following
// rslib/src/card_rendering (parser.rs, writer.rs): extraction into `[anki:play:q:N]` references,
// stripping, and the browser's pretty form.

import { decodeEntities, stripHtmlForTts } from '../text/html';
import { DEFAULT_STRINGS, type RenderStrings } from './messages';

export type AvTag =
  | { type: 'soundOrVideo'; filename: string }
  | { type: 'tts'; fieldText: string; lang: string; voices: string[]; speed: number; otherArgs: string[] };

interface TtsDirective {
  kind: 'tts';
  content: string;
  lang: string;
  voices: string[];
  speed: number;
  blank: string | null;
  options: Map<string, string>;
}

interface OtherDirective {
  kind: 'other';
  name: string;
  content: string;
  options: Map<string, string>;
}

type CardNode =
  | { type: 'text'; text: string }
  | { type: 'sound'; resource: string }
  | { type: 'directive'; directive: TtsDirective | OtherDirective };

const WS = ' \t\r\n';

/** Rust `str::parse::<f32>()` acceptance, rounded to f32. */
function parseF32(s: string): number | null {
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)$/i.test(s)) return null;
  const lower = s.toLowerCase().replace(/^[+]/, '');
  if (lower === 'inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (lower === 'nan' || lower === '-nan') return NaN;
  return Math.fround(Number.parseFloat(s));
}

function makeDirective(name: string, options: [string, string][], content: string): TtsDirective | OtherDirective {
  if (name === 'tts') {
    let lang = '';
    let voices: string[] = [];
    let speed = 1.0;
    let blank: string | null = null;
    const other = new Map<string, string>();
    for (const [key, val] of options) {
      switch (key) {
        case 'lang':
          lang = val;
          break;
        case 'voices':
          voices = val.split(',');
          break;
        case 'speed':
          speed = parseF32(val) ?? 1.0;
          break;
        case 'cloze_blank':
          blank = val;
          break;
        default:
          other.set(key, val);
      }
    }
    return { kind: 'tts', content, lang, voices, speed, blank, options: other };
  }
  return { kind: 'other', name, content, options: new Map(options) };
}

/** Index of the first char at/after `pos` that is in `set`, or the end. */
function takeUntilAny(s: string, pos: number, set: string): number {
  let i = pos;
  while (i < s.length && !set.includes(s[i])) i++;
  return i;
}

function multispace0(s: string, pos: number): number {
  let i = pos;
  while (i < s.length && WS.includes(s[i])) i++;
  return i;
}

function parseSound(s: string, pos: number): { node: CardNode; end: number } | null {
  if (!s.startsWith('[sound:', pos)) return null;
  const start = pos + 7;
  const close = s.indexOf(']', start);
  if (close === -1 || close === start) return null;
  return { node: { type: 'sound', resource: s.slice(start, close) }, end: close + 1 };
}

function parseOptions(s: string, pos: number): { options: [string, string][]; end: number } {
  const options: [string, string][] = [];
  let i = pos;
  for (;;) {
    // key: one or more chars not in "] \t\r\n="
    const keyEnd = takeUntilAny(s, i, '] \t\r\n=');
    if (keyEnd === i || s[keyEnd] !== '=') break;
    const key = s.slice(i, keyEnd);
    let j = keyEnd + 1;
    let val: string;
    const closingQuote = s[j] === '"' ? s.indexOf('"', j + 1) : -1;
    if (closingQuote !== -1) {
      val = s.slice(j + 1, closingQuote);
      j = closingQuote + 1;
    } else {
      const valEnd = takeUntilAny(s, j, '] \t\r\n"');
      val = s.slice(j, valEnd);
      j = valEnd;
    }
    options.push([key, val]);
    i = multispace0(s, j);
  }
  return { options, end: i };
}

function parseDirective(s: string, pos: number): { node: CardNode; end: number } | null {
  if (!s.startsWith('[anki:', pos)) return null;
  const nameStart = pos + 6;
  const nameEnd = takeUntilAny(s, nameStart, '] \t\r\n');
  if (nameEnd === nameStart) return null;
  const name = s.slice(nameStart, nameEnd);
  const { options, end: optionsEnd } = parseOptions(s, multispace0(s, nameEnd));
  if (s[optionsEnd] !== ']') return null;
  const contentStart = optionsEnd + 1;
  const closing = `[/anki:${name}]`;
  const contentEnd = s.indexOf(closing, contentStart);
  if (contentEnd === -1) return null;
  return {
    node: { type: 'directive', directive: makeDirective(name, options, s.slice(contentStart, contentEnd)) },
    end: contentEnd + closing.length,
  };
}

/** One character, then everything up to the next `[`. */
function textRunEnd(s: string, pos: number): number {
  const cp = s.codePointAt(pos)!;
  const first = pos + (cp > 0xffff ? 2 : 1);
  const next = s.indexOf('[', first);
  return next === -1 ? s.length : next;
}

function parseCardNodes(s: string): { nodes: CardNode[]; textOnly: boolean } {
  const nodes: CardNode[] = [];
  let textOnly = true;
  let pos = 0;
  while (pos < s.length) {
    const parsed = parseSound(s, pos) ?? parseDirective(s, pos);
    if (parsed) {
      textOnly = false;
      nodes.push(parsed.node);
      pos = parsed.end;
    } else {
      const end = textRunEnd(s, pos);
      nodes.push({ type: 'text', text: s.slice(pos, end) });
      pos = end;
    }
  }
  return { nodes, textOnly };
}

function writeOption(key: string, val: string): string {
  return /[\] \t\r\n]/.test(val) ? ` ${key}="${val}"` : ` ${key}=${val}`;
}

function writeOtherDirective(d: OtherDirective): string {
  let buf = `[anki:${d.name}`;
  for (const [k, v] of d.options) buf += writeOption(k, v);
  return buf + `]${d.content}[/anki:${d.name}]`;
}

/** Remove `[sound:…]` and TTS directives (Anki's `strip_av_tags`). */
export function stripAvTags(text: string): string {
  const { nodes, textOnly } = parseCardNodes(text);
  if (textOnly) return text;
  let buf = '';
  for (const node of nodes) {
    if (node.type === 'text') buf += node.text;
    else if (node.type === 'directive' && node.directive.kind === 'other') buf += writeOtherDirective(node.directive);
  }
  return buf;
}

export interface ExtractedAv {
  text: string;
  avTags: AvTag[];
}

/**
 * Replace each `[sound:…]` and valid `[anki:tts …]…[/anki:tts]` with `[anki:play:q:N]`
 * (question side) or `[anki:play:a:N]` (answer side), N counting from 0, and collect the tags.
 * A TTS directive without `lang` becomes an error text in brackets.
 */
export function extractAvTags(text: string, questionSide: boolean, strings: RenderStrings = DEFAULT_STRINGS): ExtractedAv {
  const { nodes, textOnly } = parseCardNodes(text);
  if (textOnly) return { text, avTags: [] };
  const side = questionSide ? 'q' : 'a';
  const avTags: AvTag[] = [];
  let buf = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        buf += node.text;
        break;
      case 'sound':
        buf += `[anki:play:${side}:${avTags.length}]`;
        avTags.push({ type: 'soundOrVideo', filename: decodeEntities(node.resource) });
        break;
      case 'directive': {
        const d = node.directive;
        if (d.kind === 'other') {
          buf += writeOtherDirective(d);
        } else if (d.lang === '') {
          buf += `[${strings.badDirective('anki:tts', strings.optionNotSet('lang'))}]`;
        } else {
          buf += `[anki:play:${side}:${avTags.length}]`;
          avTags.push({
            type: 'tts',
            fieldText: stripHtmlForTts(d.content).replaceAll('[...]', d.blank ?? strings.blank),
            lang: d.lang,
            voices: d.voices,
            speed: d.speed,
            otherArgs: [...d.options].map(([k, v]) => `${k}=${v}`),
          });
        }
        break;
      }
    }
  }
  return { text: buf, avTags };
}

/** The browser's display form: `🔉file🔉` for sounds and `💬text💬` for TTS. */
export function prettifyAvTags(text: string): string {
  const { nodes, textOnly } = parseCardNodes(text);
  if (textOnly) return text;
  let buf = '';
  for (const node of nodes) {
    if (node.type === 'text') buf += node.text;
    else if (node.type === 'sound') buf += `🔉${node.resource}🔉`;
    else if (node.directive.kind === 'tts') buf += `💬${node.directive.content}💬`;
    else buf += writeOtherDirective(node.directive);
  }
  return buf;
}

/** `[anki:play:q:0]` references (pylib `AV_REF_RE`). */
export const AV_REF_RE = /\[anki:(play:(.):(\d+))\]/gu;

/** Remove `[anki:play:…]` references (the "hide play buttons" option). */
export function stripAvRefs(text: string): string {
  return text.replace(AV_REF_RE, '');
}

/** Replace `[anki:play:X:N]` references with the reviewer's replay buttons (aqt `av_refs_to_play_icons`). */
export function avRefsToPlayIcons(text: string): string {
  return text.replace(
    AV_REF_RE,
    (_m, cmd: string) => `
<a class="replay-button soundLink" href=# onclick="pycmd('${cmd}'); return false;" draggable="false">
    <svg class="playImage" viewBox="0 0 64 64" version="1.1">
        <circle cx="32" cy="32" r="29" />
        <path d="M56.502,32.301l-37.502,20.101l0.329,-40.804l37.173,20.703Z" />
    </svg>
</a>`,
  );
}
