// The `cards.data` JSON column as Anki reads and writes it (rslib storage/card/data.rs).
// Reading ignores invalid values key by key; writing emits only Anki's keys, in Anki's order
// (pos, s, d, dr, decay, lrt, cd), with s/d/dr/decay rounded in f32 to 4/3/2/3 places and printed
// as the shortest f32 decimal (serde_json style, e.g. "d":1.0). Unknown keys are dropped, as Anki does.

import { f32, formatF32, roundHalfAway } from './f32';
import type { MemoryState } from './fsrs/model';

export interface CardData {
  /** Original new-queue position (`pos`). */
  originalPosition: number | null;
  memoryState: MemoryState | null;
  /** `dr` */
  desiredRetention: number | null;
  decay: number | null;
  /** `lrt`: last review time, Unix seconds. */
  lastReviewTime: number | null;
  /** `cd`: a string holding a JSON object, or "". */
  customData: string;
}

export function emptyCardData(): CardData {
  return {
    originalPosition: null,
    memoryState: null,
    desiredRetention: null,
    decay: null,
    lastReviewTime: null,
    customData: '',
  };
}

function readU32(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? v : null;
}
function readF32(v: unknown): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const x = f32(v);
  return Number.isFinite(x) ? x : null;
}
function readI64(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}

export function parseCardData(text: string | null | undefined): CardData {
  const out = emptyCardData();
  if (!text) return out;
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return out;
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return out;
  const o = obj as Record<string, unknown>;
  out.originalPosition = readU32(o.pos);
  const s = readF32(o.s);
  const d = readF32(o.d);
  out.memoryState = s !== null && d !== null ? { stability: s, difficulty: d } : null;
  out.desiredRetention = readF32(o.dr);
  out.decay = readF32(o.decay);
  out.lastReviewTime = readI64(o.lrt);
  out.customData = typeof o.cd === 'string' ? o.cd : '';
  return out;
}

function roundToPlaces(v: number, places: number): number {
  const factor = f32(10 ** places);
  return f32(roundHalfAway(f32(f32(v) * factor)) / factor);
}

export function serializeCardData(data: CardData): string {
  const parts: string[] = [];
  if (data.originalPosition !== null) parts.push(`"pos":${data.originalPosition}`);
  if (data.memoryState) {
    parts.push(`"s":${formatF32(roundToPlaces(data.memoryState.stability, 4))}`);
    parts.push(`"d":${formatF32(roundToPlaces(data.memoryState.difficulty, 3))}`);
  }
  if (data.desiredRetention !== null) parts.push(`"dr":${formatF32(roundToPlaces(data.desiredRetention, 2))}`);
  if (data.decay !== null) parts.push(`"decay":${formatF32(roundToPlaces(data.decay, 3))}`);
  if (data.lastReviewTime !== null) parts.push(`"lrt":${data.lastReviewTime}`);
  if (data.customData !== '' && data.customData !== '{}') parts.push(`"cd":${JSON.stringify(data.customData)}`);
  return `{${parts.join(',')}}`;
}

/** Anki's limits on custom data: a JSON object, keys ≤ 8 bytes, whole string ≤ 100 bytes. */
export function validateCustomData(json: string): string | null {
  if (json === '' || json === '{}') return null;
  let obj: unknown;
  try {
    obj = JSON.parse(json);
  } catch {
    return 'custom data not an object';
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return 'custom data not an object';
  const enc = new TextEncoder();
  if (!Object.keys(obj).every((k) => enc.encode(k).length <= 8)) return 'custom data keys must be <= 8 bytes';
  if (enc.encode(json).length > 100) return 'serialized custom data must be under 100 bytes';
  return null;
}
