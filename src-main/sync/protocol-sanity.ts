// Sync protocol v11 (protocol.ts): the sanity check, and the requests without arguments.

import type { JsonObject, JsonValue } from '../storage/legacy/json';
import { asObject, fail, fieldsOf, u32 } from './protocol-primitives';

export interface SanityCounts {
  /** new, learn, review due counts: sent as [0,0,0] and ignored */
  counts: [number, number, number];
  cards: number;
  notes: number;
  revlog: number;
  graves: number;
  models: number;
  decks: number;
  deckConfig: number;
}

export const sanityCountsToWire = (c: SanityCounts): JsonValue[] => [[...c.counts], c.cards, c.notes, c.revlog, c.graves, c.models, c.decks, c.deckConfig];

export function readSanityCounts(v: JsonValue): SanityCounts {
  const f = fieldsOf(v, ['counts', 'cards', 'notes', 'revlog', 'graves', 'models', 'decks', 'deck_config'], 'sanity counts');
  const due = fieldsOf(f[0] as JsonValue, ['new', 'learn', 'review'], 'due counts');
  return {
    counts: [u32(due[0], 'new'), u32(due[1], 'learn'), u32(due[2], 'review')],
    cards: u32(f[1], 'cards'),
    notes: u32(f[2], 'notes'),
    revlog: u32(f[3], 'revlog'),
    graves: u32(f[4], 'graves'),
    models: u32(f[5], 'models'),
    decks: u32(f[6], 'decks'),
    deckConfig: u32(f[7], 'deck_config'),
  };
}

export function sanityCountsEqual(a: SanityCounts, b: SanityCounts): boolean {
  return sanityCountsToWire(a).toString() === sanityCountsToWire(b).toString();
}

export interface SanityCheckResponse {
  status: 'ok' | 'bad';
  c: SanityCounts | null;
  s: SanityCounts | null;
}

export function sanityResponseToWire(r: SanityCheckResponse): JsonObject {
  return { status: r.status, c: r.c ? sanityCountsToWire(r.c) : null, s: r.s ? sanityCountsToWire(r.s) : null };
}

export function readSanityResponse(v: JsonValue): SanityCheckResponse {
  const o = asObject(v, 'sanity reply');
  const status = o.status === 'ok' || o.status === 'bad' ? o.status : fail('status: expected "ok" or "bad"');
  // c and s are default_on_invalid
  const soft = (x: JsonValue | undefined) => {
    try {
      return x === undefined || x === null ? null : readSanityCounts(x);
    } catch {
      return null;
    }
  };
  return { status, c: soft(o.c), s: soft(o.s) };
}

// ---------------------------------------------------------------------------------------------
// requests without arguments

/** What the official client sends for chunk/finish/abort/download (its empty struct). */
export const EMPTY_INPUT: JsonObject = { _pad: null };

/** The server accepts `{}` and `{"_pad":null}`, and rejects any other key (deny_unknown_fields). */
export function readEmptyInput(v: JsonValue): void {
  const o = asObject(v, 'request');
  for (const k of Object.keys(o)) {
    if (k !== '_pad') fail(`unknown field ${k}`);
    if (o._pad !== null) fail('_pad: expected null');
  }
}
