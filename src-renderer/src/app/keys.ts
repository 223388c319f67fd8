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

/** "ctrl+1", "Enter", " ", "*" … (ctrl stands for ⌘ on macOS too). */
export function keyName(e: KeyLike): string {
  const mods = [(e.ctrlKey || e.metaKey) && 'ctrl', e.altKey && 'alt'].filter(Boolean);
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
