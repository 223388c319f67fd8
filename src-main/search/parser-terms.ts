// Search terms: a term's text decides whether it is qualified (`key:value`), and each key has
// its own value syntax (`deck:`, `tag:`, `prop:`, `rated:`, `is:`, …; any other key is a field).

import type { FieldSearchMode, PropertyKind, PropertyOperator, SearchNode, StateKind } from './ast';
import { STATE_KINDS } from './ast';
import {
  parseAnswerButton,
  parseF32,
  parseI32,
  parseI64,
  parseNonPositiveI32,
  parseU32,
  parseUnsigned,
} from './parser-numbers';
import { anyChar, asciiLower, fail, scanEscaped } from './parser-scanning';
import { unescape, unescapeQuotes, unescapeQuotesAndBackslashes } from './parser-unescape';

/** Decide whether a term is qualified (key:value) and handle escapes. */
export function searchNodeForText(s: string): SearchNode {
  const scan = scanEscaped(s, ':\\', anyChar);
  if (!scan.ok || scan.len === 0) fail({ kind: 'MissingKey' });
  const head = s.slice(0, scan.len);
  const tail = s.slice(scan.len);
  if (tail === '') {
    return { kind: 'unqualifiedText', text: unescape(head) };
  }
  return searchNodeForTextWithArgument(head, tail.slice(1));
}

export function searchNodeForTextWithArgument(key: string, val: string): SearchNode {
  switch (asciiLower(key)) {
    case 'deck':
      return { kind: 'deck', deck: unescape(val) };
    case 'note':
      return { kind: 'notetype', name: unescape(val) };
    case 'tag':
      return parseTag(val);
    case 'card':
      return parseTemplate(val);
    case 'flag':
      return parseFlag(val);
    case 'resched':
      return { kind: 'rated', days: parseU32(val, 'resched:'), ease: { kind: 'manualReschedule' } };
    case 'prop':
      return parseProp(val);
    case 'added':
      return { kind: 'addedInDays', days: Math.max(1, parseU32(val, 'added:')) };
    case 'edited':
      return { kind: 'editedInDays', days: Math.max(1, parseU32(val, 'edited:')) };
    case 'introduced':
      return { kind: 'introducedInDays', days: Math.max(1, parseU32(val, 'introduced:')) };
    case 'rated':
      return parseRated(val);
    case 'is':
      return parseState(val);
    case 'did':
      return { kind: 'deckIdsWithoutChildren', ids: checkIdList(val, key) };
    case 'mid':
      return { kind: 'notetypeId', id: parseI64(val, 'mid:') };
    case 'nid':
      return { kind: 'noteIds', ids: checkIdList(val, key) };
    case 'cid':
      return { kind: 'cardIds', ids: checkIdList(val, key) };
    case 're':
      return { kind: 'regex', regex: unescapeQuotes(val) };
    case 'nc':
      return { kind: 'noCombining', text: unescape(val) };
    case 'sc':
      return { kind: 'stripClozes', text: unescape(val) };
    case 'w':
      return { kind: 'wordBoundary', text: unescape(val) };
    case 'dupe':
      return parseDupe(val);
    case 'has-cd':
      return { kind: 'customData', key: unescape(val) };
    case 'preset':
      return { kind: 'preset', name: val };
    default:
      // anything else is a field search
      return parseSingleField(key, val);
  }
}

function parseTag(s: string): SearchNode {
  if (s.startsWith('re:')) {
    return { kind: 'tag', tag: unescapeQuotes(s.slice(3)), mode: 'regex' };
  }
  if (s.startsWith('nc:')) {
    return { kind: 'tag', tag: unescape(s.slice(3)), mode: 'noCombining' };
  }
  return { kind: 'tag', tag: unescape(s), mode: 'normal' };
}

function parseTemplate(s: string): SearchNode {
  const n = parseUnsigned(s, 0xffff);
  if (n !== undefined) {
    return { kind: 'cardTemplate', template: { kind: 'ordinal', ord: Math.max(n, 1) - 1 } };
  }
  return { kind: 'cardTemplate', template: { kind: 'name', name: unescape(s) } };
}

function parseFlag(s: string): SearchNode {
  const flag = parseUnsigned(s, 0xff);
  if (flag === undefined || flag > 7) fail({ kind: 'InvalidFlag' });
  return { kind: 'flag', flag };
}

const PROP_NAMES = ['ivl', 'due', 'reps', 'lapses', 'ease', 'pos', 'rated', 'resched', 's', 'd', 'r'];
const PROP_OPERATORS: PropertyOperator[] = ['<=', '>=', '!=', '=', '<', '>'];

/** e.g. prop:ivl>3, prop:ease!=2.5, prop:cdn:key<=1 */
function parseProp(clause: string): SearchNode {
  let prop = PROP_NAMES.find((p) => clause.startsWith(p));
  if (prop === undefined) {
    prop = /^cd[ns]:[A-Za-z0-9]+/.exec(clause)?.[0];
  }
  if (prop === undefined) fail({ kind: 'InvalidPropProperty', provided: clause });
  const tail = clause.slice(prop.length);
  const operator = PROP_OPERATORS.find((op) => tail.startsWith(op));
  if (operator === undefined) fail({ kind: 'InvalidPropOperator', provided: prop });
  const num = tail.slice(operator.length);

  let kind: PropertyKind;
  switch (prop) {
    case 'ease':
      kind = { kind: 'ease', ease: parseF32(num, clause) };
      break;
    case 'due':
      kind = { kind: 'due', days: parseI32(num, clause) };
      break;
    case 'rated': {
      const [days, button] = splitOnce(num, ':');
      kind = {
        kind: 'rated',
        days: parseNonPositiveI32(days, clause),
        ease: parseAnswerButton(button, clause),
      };
      break;
    }
    case 'resched':
      kind = { kind: 'rated', days: parseNonPositiveI32(num, clause), ease: { kind: 'manualReschedule' } };
      break;
    case 'ivl':
      kind = { kind: 'interval', days: parseU32(num, clause) };
      break;
    case 'reps':
      kind = { kind: 'reps', count: parseU32(num, clause) };
      break;
    case 'lapses':
      kind = { kind: 'lapses', count: parseU32(num, clause) };
      break;
    case 'pos':
      kind = { kind: 'position', pos: parseU32(num, clause) };
      break;
    case 's':
      kind = { kind: 'stability', value: parseF32(num, clause) };
      break;
    case 'd':
      kind = { kind: 'difficulty', value: parseF32(num, clause) };
      break;
    case 'r':
      kind = { kind: 'retrievability', value: parseF32(num, clause) };
      break;
    default:
      if (prop.startsWith('cdn:')) {
        kind = { kind: 'customDataNumber', key: prop.slice(4), value: parseF32(num, clause) };
      } else {
        kind = { kind: 'customDataString', key: prop.slice(4), value: num };
      }
  }
  return { kind: 'property', operator, prop: kind };
}

/** e.g. rated:3 or rated:10:2 */
function parseRated(s: string): SearchNode {
  const [first, second] = splitOnce(s, ':');
  const days = Math.max(1, parseU32(first, 'rated:'));
  return { kind: 'rated', days, ease: parseAnswerButton(second, s) };
}

function parseState(s: string): SearchNode {
  if (!(STATE_KINDS as readonly string[]).includes(s)) {
    fail({ kind: 'InvalidState', provided: s });
  }
  return { kind: 'state', state: s as StateKind };
}

/** nid:, cid:, did: accept only digits and commas. */
function checkIdList(s: string, context: string): string {
  if (!/^(?:[0-9]+,)*[0-9]+$/.test(s)) {
    fail({ kind: 'Other', info: `expected only digits and commas in ${context}:` });
  }
  return s;
}

/** e.g. dupe:1231,hello */
function parseDupe(s: string): SearchNode {
  const [first, text] = splitOnce(s, ',');
  const notetypeId = parseI64(first, s);
  if (text === undefined) fail({ kind: 'Other', info: "invalid 'dupe:' search" });
  return { kind: 'duplicates', notetypeId, text: unescapeQuotesAndBackslashes(text) };
}

function parseSingleField(key: string, val: string): SearchNode {
  if (val.startsWith('re:')) {
    return { kind: 'singleField', field: unescape(key), text: unescapeQuotes(val.slice(3)), mode: 'regex' };
  }
  if (val.startsWith('nc:')) {
    return {
      kind: 'singleField',
      field: unescape(key),
      text: unescapeQuotes(val.slice(3)),
      mode: 'noCombining',
    };
  }
  const mode: FieldSearchMode = 'normal';
  return { kind: 'singleField', field: unescape(key), text: unescape(val), mode };
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const idx = s.indexOf(sep);
  return idx < 0 ? [s, undefined] : [s.slice(0, idx), s.slice(idx + sep.length)];
}
