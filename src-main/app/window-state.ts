// Remembering the window's size, position and maximised state between launches. Pure (no
// electron import) so it is tested in plain Node; the shell passes in the displays' work areas.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect | null;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1100, height: 760 };
const MIN = { width: 480, height: 360 };
/** How much of the window must be on some display to restore it there. */
const VISIBLE_MARGIN = 64;

const isRect = (r: unknown): r is Rect =>
  typeof r === 'object' && r !== null && ['x', 'y', 'width', 'height'].every((k) => Number.isFinite((r as Record<string, unknown>)[k]));

function overlap(a: Rect, b: Rect): { w: number; h: number } {
  return {
    w: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    h: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * The saved state, or the defaults when there is none, it is unreadable, or the saved window would
 * be off every display now (a monitor was unplugged).
 */
export function loadWindowState(path: string, workAreas: readonly Rect[]): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { bounds: null, maximized: false };
  }
  const s = raw as { bounds?: unknown; maximized?: unknown };
  const maximized = s.maximized === true;
  if (!isRect(s.bounds)) return { bounds: null, maximized };
  const b = { x: Math.round(s.bounds.x), y: Math.round(s.bounds.y), width: Math.max(MIN.width, Math.round(s.bounds.width)), height: Math.max(MIN.height, Math.round(s.bounds.height)) };
  const visible = workAreas.some((area) => {
    const o = overlap(b, area);
    return o.w >= VISIBLE_MARGIN && o.h >= VISIBLE_MARGIN;
  });
  return { bounds: visible ? b : null, maximized };
}

export function saveWindowState(path: string, state: WindowState): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}
