import { describe, expect, it } from 'vitest';
import { actionsFor, displayKey, keymapConflicts, keymapOverrides, keyName, DEFAULT_REVIEW_KEYS, parseKeySpec } from './keys';

describe('the keymap', () => {
  it('parses keys as people write them and shows them back', () => {
    expect(parseKeySpec('Ctrl+Z')).toBe('ctrl+z');
    expect(parseKeySpec('space')).toBe(' ');
    expect(parseKeySpec('Cmd + 1')).toBe('ctrl+1');
    expect(parseKeySpec('Shift+F5')).toBe('shift+F5');
    expect(parseKeySpec('shift+a')).toBe('a');
    expect(parseKeySpec('ctrl++')).toBe('ctrl++');
    expect(parseKeySpec('left')).toBe('ArrowLeft');
    expect(parseKeySpec('hyper+x')).toBe(null);
    expect(parseKeySpec('')).toBe(null);
    expect(parseKeySpec('nonsense')).toBe(null);
    expect(displayKey(' ')).toBe('Space');
    expect(displayKey('ctrl+z')).toBe('Ctrl+Z');
    expect(displayKey('ctrl++')).toBe('Ctrl++');
    expect(displayKey('shift+F5')).toBe('Shift+F5');
  });
  it('names pressed keys with shift only where the character does not say it', () => {
    const k = { ctrlKey: false, metaKey: false, altKey: false };
    expect(keyName({ ...k, key: 'F5', shiftKey: true })).toBe('shift+F5');
    expect(keyName({ ...k, key: '*', shiftKey: true })).toBe('*');
  });
  it('finds conflicts, but not show-answer sharing a key with an answer button', () => {
    expect(keymapConflicts()).toEqual([]);
    expect(keymapConflicts({ bury: ['3'] })).toEqual([{ key: '3', actions: ['good', 'bury'] }]);
    expect(keymapConflicts({ again: ['j'], hard: ['j'] })).toEqual([{ key: 'j', actions: ['again', 'hard'] }]);
  });
  it('stores only what differs from the defaults, and the overrides apply', () => {
    const full = { ...DEFAULT_REVIEW_KEYS, again: ['1', 'j'] };
    expect(keymapOverrides(full)).toEqual({ again: ['1', 'j'] });
    expect(actionsFor('j', keymapOverrides(full))).toEqual(['again']);
  });
});
