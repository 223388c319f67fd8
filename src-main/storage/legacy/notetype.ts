// Notetype ⇄ legacy (schema-11) JSON, following Anki's rslib/src/notetype/schema11.rs
// (NotetypeSchema11, NoteFieldSchema11, CardTemplateSchema11).

import type { Notetype, NotetypeField, NotetypeTemplate } from '../../notetypes/notetype';
import {
  CardRequirementKind,
  type CardRequirement,
  type FieldConfig,
  NotetypeKind,
  type TemplateConfig,
} from '../proto/messages';
import { type JsonObject, type JsonValue, isJsonObject, otherToBytes, parseOtherFields } from './json';
import {
  Fields,
  I32,
  I64,
  I64FromString,
  U16,
  U8,
  asU16,
  asU8,
  bool,
  boolFromAnything,
  fail,
  i64Big,
  i64Out,
  int,
  option,
  str,
  vec,
  type Reader,
} from './serde';

// Keys Anki drops from `other` when writing legacy JSON (RESERVED_*_KEYS in schema11.rs).
const RESERVED_NOTETYPE_KEYS = new Set([
  'latexPost',
  'flds',
  'css',
  'originalStockKind',
  'originalId',
  'id',
  'usn',
  'mod',
  'req',
  'latexPre',
  'name',
  'did',
  'tmpls',
  'type',
  'sortf',
  'latexsvg',
]);
const RESERVED_FIELD_KEYS = new Set([
  'name',
  'ord',
  'sticky',
  'rtl',
  'plainText',
  'font',
  'size',
  'collapsed',
  'description',
  'excludeFromSearch',
  'id',
  'tag',
  'preventDeletion',
]);
const RESERVED_TEMPLATE_KEYS = new Set(['name', 'ord', 'did', 'afmt', 'bafmt', 'qfmt', 'bqfmt', 'bfont', 'bsize', 'id']);

/** `DeckId` newtype (i64); Option<DeckId> under default_on_invalid → 0 when absent/invalid */
const deckIdOpt: Reader<bigint | undefined> = option(i64Big);

function requireObject(json: unknown, what: string): JsonObject {
  if (!isJsonObject(json)) throw new TypeError(`legacy ${what} JSON is not an object`);
  return json;
}

// ---------------------------------------------------------------------------------------------
// legacy → domain

const REQ_KINDS: Record<string, CardRequirementKind> = {
  any: CardRequirementKind.Any,
  all: CardRequirementKind.All,
  none: CardRequirementKind.None,
};

/** CardRequirementSchema11: a 3-tuple [card_ord, "any"|"all"|"none", [field ords]] (serde also
 * accepts the struct as a map). */
const cardRequirement: Reader<CardRequirement> = (h, k) => {
  const v = (h as Record<string | number, JsonValue>)[k];
  let cardOrd: number, kind: string, fieldOrds: number[];
  if (Array.isArray(v)) {
    if (v.length !== 3) fail('req entry: expected 3 elements');
    cardOrd = U16(v, 0);
    kind = str(v, 1);
    fieldOrds = vec(U16)(v, 2);
  } else if (isJsonObject(v)) {
    const f = new Fields(v, true);
    cardOrd = f.req('card_ord', U16, 0);
    kind = f.req('kind', str, '');
    fieldOrds = f.req('field_ords', vec(U16), []);
  } else {
    return fail('req entry: not a tuple');
  }
  if (!(kind in REQ_KINDS)) fail(`req entry: unknown kind ${kind}`);
  return { cardOrd, kind: REQ_KINDS[kind], fieldOrds };
};

function fieldFromLegacy(o: JsonObject, index: number): NotetypeField {
  const f = new Fields(o, false);
  const name = f.req('name', str, '');
  f.opt('ord', U16); // positions come from the array order (Anki stores fields by position)
  const config: FieldConfig = {
    sticky: f.req('sticky', boolFromAnything, false),
    rtl: f.req('rtl', boolFromAnything, false),
    fontName: f.req('font', str, 'Arial'),
    fontSize: f.req('size', U16, 20),
    description: f.doi('description', str, '', true),
    plainText: f.doi('plainText', bool, false, true),
    collapsed: f.doi('collapsed', bool, false, true),
    excludeFromSearch: f.doi('excludeFromSearch', bool, false, true),
    preventDeletion: false,
  };
  const id = f.doi('id', option(i64Big), undefined, true);
  if (id !== undefined) config.id = id;
  const tag = f.doi('tag', option(int(0, 4_294_967_295)), undefined, true);
  if (tag !== undefined) config.tag = tag;
  config.preventDeletion = f.doi('preventDeletion', bool, false, true);
  const other = otherToBytes(f.rest());
  if (other) config.other = other;
  return { ord: index, name, config };
}

function templateFromLegacy(o: JsonObject, index: number): NotetypeTemplate {
  const f = new Fields(o, false);
  const name = f.req('name', str, '');
  f.opt('ord', U16);
  const config: TemplateConfig = {
    qFormat: f.req('qfmt', str, ''),
    aFormat: f.dflt('afmt', str, ''),
    qFormatBrowser: f.dflt('bqfmt', str, ''),
    aFormatBrowser: f.dflt('bafmt', str, ''),
    targetDeckId: f.doi('did', deckIdOpt, undefined, true) ?? 0n,
    browserFontName: f.doi('bfont', str, '', true),
    browserFontSize: f.doi('bsize', U8, 0, true),
  };
  const id = f.doi('id', option(i64Big), undefined, true);
  if (id !== undefined) config.id = id;
  const other = otherToBytes(f.rest());
  if (other) config.other = other;
  // schema 11 has no per-template mtime/usn: Anki uses 0/0
  return { ord: index, name, mtimeSecs: 0, usn: 0, config };
}

const jsonArray: Reader<JsonValue[]> = (h, k) => {
  const v = (h as Record<string | number, JsonValue>)[k];
  return Array.isArray(v) ? v : fail(`${k}: not an array`);
};

function objectList<T>(f: Fields, key: string, parse: (o: JsonObject, i: number) => T): T[] {
  // an element that is not an object makes Anki reject the whole notetype; we skip it
  return f
    .req(key, jsonArray, [])
    .filter(isJsonObject)
    .map((o, i) => parse(o, i));
}

/** Converts one entry of `col.models` (NotetypeSchema11) to our Notetype. */
export function notetypeFromLegacy(json: unknown): Notetype {
  const o = requireObject(json, 'notetype');
  const f = new Fields(o, false);
  const id = f.req('id', I64FromString, 0);
  const name = f.req('name', str, '');
  const kind = f.req('type', int(0, 1), 0) === 1 ? NotetypeKind.Cloze : NotetypeKind.Normal;
  const mtimeSecs = f.req('mod', I64, 0);
  const usn = f.req('usn', I32, 0);
  const sortFieldIdx = f.req('sortf', U16, 0);
  const did = f.doi('did', deckIdOpt, undefined, false);
  const templates = objectList(f, 'tmpls', templateFromLegacy);
  const fields = objectList(f, 'flds', fieldFromLegacy);
  const css = f.doi('css', str, '', false);
  const latexPre = f.dflt('latexPre', str, '');
  const latexPost = f.dflt('latexPost', str, '');
  const latexSvg = f.doi('latexsvg', bool, false, true);
  const reqs = f.doi('req', vec(cardRequirement), [], true);
  const originalStockKind = f.dflt('originalStockKind', I32, 0);
  const originalId = f.dflt('originalId', option(i64Big), undefined);
  const other = otherToBytes(f.rest());
  const nt: Notetype = {
    id,
    name,
    mtimeSecs,
    usn,
    config: {
      kind,
      sortFieldIdx,
      css,
      targetDeckIdUnused: did ?? 0n,
      latexPre,
      latexPost,
      latexSvg,
      reqs,
      originalStockKind,
    },
    fields,
    templates,
  };
  if (originalId !== undefined) nt.config.originalId = originalId;
  if (other) nt.config.other = other;
  return nt;
}

// ---------------------------------------------------------------------------------------------
// domain → legacy

const REQ_KIND_NAMES: Record<number, string> = {
  [CardRequirementKind.Any]: 'any',
  [CardRequirementKind.All]: 'all',
  [CardRequirementKind.None]: 'none',
};

function fieldToLegacy(field: NotetypeField): JsonObject {
  const c = field.config;
  return {
    name: field.name,
    ord: asU16(field.ord),
    sticky: c.sticky,
    rtl: c.rtl,
    font: c.fontName,
    size: asU16(c.fontSize),
    description: c.description,
    plainText: c.plainText,
    collapsed: c.collapsed,
    excludeFromSearch: c.excludeFromSearch,
    id: c.id === undefined ? null : i64Out(c.id),
    tag: c.tag === undefined ? null : c.tag,
    preventDeletion: c.preventDeletion,
    ...parseOtherFields(c.other, RESERVED_FIELD_KEYS),
  };
}

function templateToLegacy(t: NotetypeTemplate): JsonObject {
  const c = t.config;
  return {
    name: t.name,
    ord: asU16(t.ord),
    qfmt: c.qFormat,
    afmt: c.aFormat,
    bqfmt: c.qFormatBrowser,
    bafmt: c.aFormatBrowser,
    did: c.targetDeckId > 0n ? i64Out(c.targetDeckId) : null,
    bfont: c.browserFontName,
    bsize: asU8(c.browserFontSize),
    id: c.id === undefined ? null : i64Out(c.id),
    ...parseOtherFields(c.other, RESERVED_TEMPLATE_KEYS),
  };
}

/** Converts our Notetype to Anki's legacy JSON object (key order as Anki writes it). */
export function notetypeToLegacy(nt: Notetype): JsonObject {
  const c = nt.config;
  const out: JsonObject = {
    id: nt.id,
    name: nt.name,
    type: c.kind === NotetypeKind.Cloze ? 1 : 0,
    mod: nt.mtimeSecs,
    usn: nt.usn,
    sortf: asU16(c.sortFieldIdx),
    did: c.targetDeckIdUnused === 0n ? null : i64Out(c.targetDeckIdUnused),
    tmpls: nt.templates.map(templateToLegacy),
    flds: nt.fields.map(fieldToLegacy),
    css: c.css,
    latexPre: c.latexPre,
    latexPost: c.latexPost,
    latexsvg: c.latexSvg,
    req: c.reqs.map((r) => [asU16(r.cardOrd), REQ_KIND_NAMES[r.kind] ?? 'none', r.fieldOrds.map(asU16)]),
  };
  if (c.originalStockKind !== 0) out.originalStockKind = c.originalStockKind;
  if (c.originalId !== undefined) out.originalId = i64Out(c.originalId);
  return { ...out, ...parseOtherFields(c.other, RESERVED_NOTETYPE_KEYS) };
}
