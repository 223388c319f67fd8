// Keyboard helpers and the default keymap (Anki's keys). A profile's settings may override the
// keys of an action (settings.ui.keymap: action → list of keys like "ctrl+z", " ", "Enter").

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
}

/**
 * "ctrl+1", "Enter", " ", "*", "shift+F5" … (ctrl stands for ⌘ on macOS too; shift is named only
 * for keys whose character does not already say it).
 */
export function keyName(e: KeyLike): string {
  const mods = [(e.ctrlKey || e.metaKey) && 'ctrl', e.altKey && 'alt', e.shiftKey && e.key.length > 1 && 'shift'].filter(Boolean);
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return [...mods, key].join('+');
}

export const DEFAULT_REVIEW_KEYS: Record<string, string[]> = {
  showAnswer: [' ', 'Enter'],
  again: ['1'],
  hard: ['2'],
  good: ['3', ' ', 'Enter'],
  easy: ['4'],
  edit: ['e'],
  mark: ['*'],
  bury: ['-'],
  suspend: ['@'],
  undo: ['u', 'ctrl+z'],
  replay: ['r', 'F5'],
  flag1: ['ctrl+1'],
  flag2: ['ctrl+2'],
  flag3: ['ctrl+3'],
  flag4: ['ctrl+4'],
  flag5: ['ctrl+5'],
  flag6: ['ctrl+6'],
  flag7: ['ctrl+7'],
};

/** The actions a key triggers under a keymap (defaults, overridden per action). */
export function actionsFor(name: string, overrides: Record<string, string[]> = {}): string[] {
  const map = { ...DEFAULT_REVIEW_KEYS, ...overrides };
  return Object.entries(map)
    .filter(([, keys]) => keys.includes(name))
    .map(([action]) => action);
}

/** A key event the card frame forwarded (untrusted data: only the fields we use, typed). */
export function keyLikeFrom(data: unknown): KeyLike {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  return { key: typeof d.key === 'string' ? d.key.slice(0, 32) : '', ctrlKey: d.ctrlKey === true, metaKey: d.metaKey === true, altKey: d.altKey === true, shiftKey: d.shiftKey === true };
}

// ---------------------------------------------------------------------------------------------
// The keymap editor

const MODIFIER_KEYS = new Set(['Control', 'Shift', 'Alt', 'Meta', 'AltGraph', 'CapsLock', 'Fn', 'OS']);

/** Whether a key event is only a modifier being pressed (the editor waits for the real key). */
export const isModifierOnly = (e: Pick<KeyLike, 'key'>): boolean => MODIFIER_KEYS.has(e.key);

/** A key as people write it ("Ctrl+Z", "space", "Shift+F5") in the keymap's form ("ctrl+z", " ", "shift+F5"); null if it is not a key. */
export function parseKeySpec(text: string): string | null {
  const parts = text.trim().split('+');
  // "ctrl++" names the plus key
  if (parts.length > 1 && parts.at(-1) === '' && parts.at(-2) === '') parts.splice(-2, 2, '+');
  const raw = parts.pop()?.trim() ?? '';
  if (!raw) return null;
  const mods = new Set<string>();
  for (const p of parts) {
    const m = p.trim().toLowerCase();
    if (m === 'ctrl' || m === 'control' || m === 'cmd' || m === 'meta' || m === '⌘') mods.add('ctrl');
    else if (m === 'alt' || m === 'option') mods.add('alt');
    else if (m === 'shift') mods.add('shift');
    else return null;
  }
  const lower = raw.toLowerCase();
  const NAMED: Record<string, string> = { space: ' ', spacebar: ' ', enter: 'Enter', return: 'Enter', esc: 'Escape', escape: 'Escape', tab: 'Tab', backspace: 'Backspace', delete: 'Delete', del: 'Delete' };
  let key: string;
  if (NAMED[lower]) key = NAMED[lower];
  else if (raw.length === 1) key = lower;
  else if (/^f([1-9]|1[0-9]|2[0-4])$/i.test(raw)) key = raw.toUpperCase();
  else if (/^(arrow)?(up|down|left|right)$/i.test(raw)) key = `Arrow${lower.replace('arrow', '').replace(/^./, (c) => c.toUpperCase())}`;
  else if (/^(home|end|pageup|pagedown|insert)$/i.test(raw)) key = { home: 'Home', end: 'End', pageup: 'PageUp', pagedown: 'PageDown', insert: 'Insert' }[lower]!;
  else return null;
  const order = ['ctrl', 'alt'].filter((m) => mods.has(m));
  if (mods.has('shift') && key.length > 1) order.push('shift');
  return [...order, key].join('+');
}

/** A keymap key for people: " " → "Space", "ctrl+z" → "Ctrl+Z". */
export function displayKey(spec: string): string {
  const parts = spec === '+' ? ['+'] : spec.split(/\+(?!$)/);
  return parts
    .map((p, i) => (i < parts.length - 1 ? p[0].toUpperCase() + p.slice(1) : p === ' ' ? 'Space' : p.length === 1 ? p.toUpperCase() : p))
    .join('+');
}

/** Actions that only act on the question side; the rest of the review actions share keys with them on purpose. */
const QUESTION_SIDE = new Set(['showAnswer']);
const ANSWER_SIDE = new Set(['again', 'hard', 'good', 'easy']);

/** Keys bound to more than one action that would both fire (show-answer vs an answer button is fine: they act on different sides). */
export function keymapConflicts(overrides: Record<string, string[]> = {}): { key: string; actions: string[] }[] {
  const map = { ...DEFAULT_REVIEW_KEYS, ...overrides };
  const byKey = new Map<string, string[]>();
  for (const [action, keys] of Object.entries(map)) for (const k of new Set(keys)) byKey.set(k, [...(byKey.get(k) ?? []), action]);
  const out: { key: string; actions: string[] }[] = [];
  for (const [key, actions] of byKey) {
    if (actions.length < 2) continue;
    const q = actions.filter((a) => QUESTION_SIDE.has(a));
    const a = actions.filter((x) => ANSWER_SIDE.has(x));
    const rest = actions.filter((x) => !QUESTION_SIDE.has(x) && !ANSWER_SIDE.has(x));
    if (rest.length === 0 && q.length <= 1 && a.length <= 1) continue;
    out.push({ key, actions });
  }
  return out;
}

/** The overrides a full keymap amounts to (actions whose keys equal the defaults are left out). */
export function keymapOverrides(full: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [action, keys] of Object.entries(full)) {
    const def = DEFAULT_REVIEW_KEYS[action] ?? [];
    if (keys.length !== def.length || keys.some((k, i) => k !== def[i])) out[action] = keys;
  }
  return out;
}

/** What each review action is called on screen. */
export const ACTION_LABELS: Record<string, string> = {
  showAnswer: 'Show answer',
  again: 'Again',
  hard: 'Hard',
  good: 'Good',
  easy: 'Easy',
  edit: 'Edit note',
  mark: 'Mark note',
  bury: 'Bury card',
  suspend: 'Suspend card',
  undo: 'Undo',
  replay: 'Replay audio',
  flag1: 'Red flag',
  flag2: 'Orange flag',
  flag3: 'Green flag',
  flag4: 'Blue flag',
  flag5: 'Pink flag',
  flag6: 'Turquoise flag',
  flag7: 'Purple flag',
};
