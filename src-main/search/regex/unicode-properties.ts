// Unicode properties: Rust matches names loosely (case, spaces, `_`, `-` ignored); JS needs the
// canonical names.

import { RE2JS } from 're2js';
import { RustRegexError } from './syntax';

const GENERAL_CATEGORIES = [
  'C Other', 'Cc Control', 'Cf Format', 'Cn Unassigned', 'Co Private_Use', 'Cs Surrogate',
  'L Letter', 'LC Cased_Letter', 'Ll Lowercase_Letter', 'Lm Modifier_Letter', 'Lo Other_Letter',
  'Lt Titlecase_Letter', 'Lu Uppercase_Letter', 'M Mark', 'Mc Spacing_Mark', 'Me Enclosing_Mark',
  'Mn Nonspacing_Mark', 'N Number', 'Nd Decimal_Number', 'Nl Letter_Number', 'No Other_Number',
  'P Punctuation', 'Pc Connector_Punctuation', 'Pd Dash_Punctuation', 'Pe Close_Punctuation',
  'Pf Final_Punctuation', 'Pi Initial_Punctuation', 'Po Other_Punctuation', 'Ps Open_Punctuation',
  'S Symbol', 'Sc Currency_Symbol', 'Sk Modifier_Symbol', 'Sm Math_Symbol', 'So Other_Symbol',
  'Z Separator', 'Zl Line_Separator', 'Zp Paragraph_Separator', 'Zs Space_Separator',
];
const GC_ALIASES: Record<string, string> = {
  combiningmark: 'M',
  digit: 'Nd',
  punct: 'P',
  cntrl: 'Cc',
};
const BINARY_PROPERTIES = [
  'ASCII', 'ASCII_Hex_Digit', 'Alphabetic', 'Any', 'Assigned', 'Bidi_Control', 'Bidi_Mirrored',
  'Case_Ignorable', 'Cased', 'Changes_When_Casefolded', 'Changes_When_Casemapped',
  'Changes_When_Lowercased', 'Changes_When_NFKC_Casefolded', 'Changes_When_Titlecased',
  'Changes_When_Uppercased', 'Dash', 'Default_Ignorable_Code_Point', 'Deprecated', 'Diacritic',
  'Emoji', 'Emoji_Component', 'Emoji_Modifier', 'Emoji_Modifier_Base', 'Emoji_Presentation',
  'Extended_Pictographic', 'Extender', 'Grapheme_Base', 'Grapheme_Extend', 'Hex_Digit',
  'IDS_Binary_Operator', 'IDS_Trinary_Operator', 'ID_Continue', 'ID_Start', 'Ideographic',
  'Join_Control', 'Logical_Order_Exception', 'Lowercase', 'Math', 'Noncharacter_Code_Point',
  'Pattern_Syntax', 'Pattern_White_Space', 'Quotation_Mark', 'Radical', 'Regional_Indicator',
  'Sentence_Terminal', 'Soft_Dotted', 'Terminal_Punctuation', 'Unified_Ideograph', 'Uppercase',
  'Variation_Selector', 'White_Space', 'XID_Continue', 'XID_Start',
];
const BINARY_ALIASES: Record<string, string> = {
  ahex: 'ASCII_Hex_Digit', alpha: 'Alphabetic', bidic: 'Bidi_Control', bidim: 'Bidi_Mirrored',
  ci: 'Case_Ignorable', cwcf: 'Changes_When_Casefolded', cwcm: 'Changes_When_Casemapped',
  cwl: 'Changes_When_Lowercased', cwkcf: 'Changes_When_NFKC_Casefolded',
  cwt: 'Changes_When_Titlecased', cwu: 'Changes_When_Uppercased', di: 'Default_Ignorable_Code_Point',
  dep: 'Deprecated', dia: 'Diacritic', ecomp: 'Emoji_Component', emod: 'Emoji_Modifier',
  ebase: 'Emoji_Modifier_Base', epres: 'Emoji_Presentation', extpict: 'Extended_Pictographic',
  ext: 'Extender', grbase: 'Grapheme_Base', grext: 'Grapheme_Extend', hex: 'Hex_Digit',
  idsb: 'IDS_Binary_Operator', idst: 'IDS_Trinary_Operator', idc: 'ID_Continue', ids: 'ID_Start',
  ideo: 'Ideographic', joinc: 'Join_Control', loe: 'Logical_Order_Exception', lower: 'Lowercase',
  nchar: 'Noncharacter_Code_Point', patsyn: 'Pattern_Syntax', patws: 'Pattern_White_Space',
  qmark: 'Quotation_Mark', ri: 'Regional_Indicator', sterm: 'Sentence_Terminal', sd: 'Soft_Dotted',
  term: 'Terminal_Punctuation', uideo: 'Unified_Ideograph', upper: 'Uppercase',
  vs: 'Variation_Selector', space: 'White_Space', wspace: 'White_Space', xidc: 'XID_Continue',
  xids: 'XID_Start',
};

let propertyTable: Map<string, string> | undefined;

function looseKey(s: string): string {
  return s.replace(/[\s_-]/g, '').toLowerCase();
}

function getPropertyTable(): Map<string, string> {
  if (propertyTable) return propertyTable;
  const t = new Map<string, string>();
  for (const entry of GENERAL_CATEGORIES) {
    const [short, long] = entry.split(' ');
    t.set(looseKey(short), short);
    t.set(looseKey(long), short);
  }
  for (const [k, v] of Object.entries(GC_ALIASES)) t.set(k, v);
  for (const p of BINARY_PROPERTIES) t.set(looseKey(p), p);
  for (const [k, v] of Object.entries(BINARY_ALIASES)) if (!t.has(k)) t.set(k, v);
  propertyTable = t;
  return t;
}

function propertyCompiles(src: string): boolean {
  try {
    new RegExp(src, 'v');
    return true;
  } catch {
    return false;
  }
}

function scriptName(value: string): string | undefined {
  const candidates = [
    value,
    value
      .split(/[\s_-]+/)
      .filter((w) => w !== '')
      .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
      .join('_'),
  ];
  return candidates.find((c) => /^[A-Za-z_]+$/.test(c) && propertyCompiles(`\\p{Script=${c}}`));
}

/** `\p{…}` / `\P{…}` in JS syntax for a Rust Unicode class name. */
export function unicodeProperty(name: string, negatedIn: boolean): string {
  let negated = negatedIn;
  let body = name.trim();
  if (body.startsWith('^')) {
    negated = !negated;
    body = body.slice(1);
  }
  const p = negated ? '\\P' : '\\p';
  const opMatch = /^(.*?)(!=|=|:)(.*)$/.exec(body);
  if (opMatch) {
    const [, rawName, op, rawValue] = opMatch;
    if (op === '!=') negated = !negated;
    const pp = negated ? '\\P' : '\\p';
    const key = looseKey(rawName);
    if (key === 'gc' || key === 'generalcategory') {
      const gc = getPropertyTable().get(looseKey(rawValue));
      if (gc && /^[A-Z][a-z]?$|^LC$/.test(gc)) return `${pp}{${gc}}`;
    } else if (key === 'sc' || key === 'script' || key === 'scx' || key === 'scriptextensions') {
      const sc = scriptName(rawValue.trim());
      const propName = key === 'sc' || key === 'script' ? 'Script' : 'Script_Extensions';
      if (sc && propertyCompiles(`\\p{${propName}=${sc}}`)) return `${pp}{${propName}=${sc}}`;
    }
    throw new RustRegexError(`unsupported Unicode class "${name}"`);
  }
  const known = getPropertyTable().get(looseKey(body));
  if (known) return `${p}{${known}}`;
  const sc = scriptName(body);
  if (sc) return `${p}{Script=${sc}}`;
  throw new RustRegexError(`unrecognized Unicode class "${name}"`);
}

const re2Names = new Map<string, boolean>();

/** RE2 syntax for a JS `\p{…}` / `\P{…}` property, when re2js has that table. */
export function re2Property(js: string): string | undefined {
  const m = /^\\([pP])\{(?:Script=)?([A-Za-z_]+)\}$/.exec(js);
  if (!m) return undefined;
  let known = re2Names.get(m[2]);
  if (known === undefined) {
    try {
      RE2JS.compile(`\\p{${m[2]}}`);
      known = true;
    } catch {
      known = false;
    }
    re2Names.set(m[2], known);
  }
  return known ? `\\${m[1]}{${m[2]}}` : undefined;
}
