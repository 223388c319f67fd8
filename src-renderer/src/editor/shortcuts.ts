// The editor's keyboard shortcuts (Anki's): formatting, cloze, HTML source, adding.
import type { KeyLike } from '../app/keys';

export type EditorCommand =
  | 'bold'
  | 'italic'
  | 'underline'
  | 'subscript'
  | 'superscript'
  | 'clearFormatting'
  | 'cloze'
  | 'clozeSame'
  | 'toggleHtml'
  | 'textColor'
  | 'save'
  | 'focusTags';

export interface EditorKey extends KeyLike {
  /** The physical key (`KeyC`): Alt changes `key` on some layouts. */
  code?: string;
}

/** The editor command a key press asks for, or null. Ctrl stands for ⌘ on macOS too. */
export function editorCommand(e: EditorKey): EditorCommand | null {
  const ctrl = e.ctrlKey || e.metaKey;
  const shift = !!e.shiftKey;
  const letter = e.code?.startsWith('Key') ? e.code.slice(3).toLowerCase() : e.key.length === 1 ? e.key.toLowerCase() : '';
  if (e.key === 'F7' && !ctrl) return 'textColor';
  if (!ctrl) return null;
  if (e.key === 'Enter') return 'save';
  if (letter === 'c' && shift) return e.altKey ? 'clozeSame' : 'cloze';
  if (e.altKey) return null;
  if (letter === 'x' && shift) return 'toggleHtml';
  if (letter === 't' && shift) return 'focusTags';
  if (shift) return e.key === '+' || e.key === '=' || e.code === 'Equal' ? 'superscript' : null;
  switch (letter) {
    case 'b':
      return 'bold';
    case 'i':
      return 'italic';
    case 'u':
      return 'underline';
    case 'r':
      return 'clearFormatting';
  }
  if (e.key === '=' || e.code === 'Equal') return 'subscript';
  return null;
}
