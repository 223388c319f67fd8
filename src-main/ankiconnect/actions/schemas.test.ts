import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import specParams from './spec/spec-params.json';
import { defineAnkiAction } from './define';
import { ACTION_NAMES, ACTION_PARAMS, GUI_ACTIONS, type ActionName } from './schemas';
import { bindParams } from './validation';

type SpecParam = { name: string; type: string; required: boolean; default: unknown };
const spec = specParams as Record<string, { category: string; documented: boolean; params: SpecParam[] }>;

/**
 * Where the Python signature (what upstream actually binds) differs from the spec's
 * documentation-level description, the table follows Python:
 * - `suspend(cards, suspend=True)` has a second, undocumented keyword;
 * - `requestPermission(origin, allowed)` has no defaults (the server injects both);
 * - `apiReflect(scopes=None, …)` has a default (a missing scopes fails inside, with
 *   'scopes has invalid value').
 */
const EXTRA_PARAMS: Record<string, string[]> = { suspend: ['suspend'] };
const REQUIRED_OVERRIDES: Record<string, Record<string, boolean>> = {
  requestPermission: { origin: true, allowed: true },
  apiReflect: { scopes: false },
};

const defs = Object.fromEntries(ACTION_NAMES.map((n) => [n, defineAnkiAction(n, () => null)])) as Record<
  ActionName,
  ReturnType<typeof defineAnkiAction>
>;

describe('ACTION_PARAMS covers ankiconnect-actions.json', () => {
  it('has exactly the 122 actions of the spec', () => {
    expect(Object.keys(spec)).toHaveLength(122);
    expect([...ACTION_NAMES].sort()).toEqual(Object.keys(spec).sort());
  });

  it.each(Object.keys(spec))('%s: parameter names and order', (name) => {
    const expected = [...spec[name].params.map((p) => p.name), ...(EXTRA_PARAMS[name] ?? [])];
    expect(defs[name as ActionName].paramNames).toEqual(expected);
  });

  it.each(Object.keys(spec))('%s: required parameters', (name) => {
    const expected = spec[name].params
      .filter((p) => REQUIRED_OVERRIDES[name]?.[p.name] ?? p.required)
      .map((p) => p.name);
    expect(defs[name as ActionName].requiredParams).toEqual(expected);
  });

  it.each(Object.keys(spec))('%s: defaults of optional parameters', (name) => {
    const shape = ACTION_PARAMS[name as ActionName].shape as Record<string, z.ZodType>;
    for (const p of spec[name].params) {
      if (p.required || REQUIRED_OVERRIDES[name]?.[p.name] !== undefined) continue;
      expect(shape[p.name].parse(undefined), `${name}.${p.name}`).toEqual(p.default);
    }
  });

  it('marks the Graphical category (and the undocumented GUI helpers) as window-bound', () => {
    for (const name of ACTION_NAMES) {
      const gui = spec[name].category === 'Graphical';
      expect(GUI_ACTIONS.has(name), name).toBe(gui);
      expect(defs[name].requiresWindow, name).toBe(gui);
    }
  });
});

// Handlers later type-check their input against these; make sure the simple types are enforced.
const SAMPLES: Record<string, { good: unknown; bad: unknown }> = {
  integer: { good: 5, bad: 'x' },
  'integer[]': { good: [1, 2], bad: ['a'] },
  string: { good: 'x', bad: 5 },
  'string (base64)': { good: 'eA==', bad: 5 },
  'string (md5 hex)': { good: 'abc', bad: 5 },
  'string[]': { good: ['x'], bad: [1] },
  boolean: { good: true, bad: 'yes' },
};
/** Parameters deliberately left for the handler to judge (AnkiConnect answers false for them). */
const UNCHECKED = new Set(['setSpecificValueOfCard.card', 'setSpecificValueOfCard.keys', 'setSpecificValueOfCard.newValues']);
/** Parameters accepting more than the spec's type, as upstream does. */
const WIDER = new Set(['getReviewsOfCards.cards', 'apiReflect.scopes']);

describe('simple parameter types', () => {
  for (const name of Object.keys(spec)) {
    for (const p of spec[name].params) {
      const sample = SAMPLES[p.type];
      if (!sample || name === 'requestPermission') continue;
      const key = `${name}.${p.name}`;
      it(key, () => {
        const schema = (ACTION_PARAMS[name as ActionName].shape as Record<string, z.ZodType>)[p.name];
        expect(schema.safeParse(sample.good).success).toBe(true);
        if (!UNCHECKED.has(key) && !WIDER.has(key)) expect(schema.safeParse(sample.bad).success).toBe(false);
      });
    }
  }
});

describe('bindParams messages', () => {
  const call = (name: ActionName, params: unknown) => {
    try {
      return { value: bindParams(defs[name], params) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };

  it('uses CPython texts for unknown and missing keyword arguments', () => {
    expect(call('addNote', { bad: 'request' }).error).toBe("AnkiConnect.addNote() got an unexpected keyword argument 'bad'");
    expect(call('addNote', {}).error).toBe("AnkiConnect.addNote() missing 1 required positional argument: 'note'");
    expect(call('setEaseFactors', {}).error).toBe(
      "AnkiConnect.setEaseFactors() missing 2 required positional arguments: 'cards' and 'easeFactors'",
    );
    expect(call('modelTemplateRename', {}).error).toBe(
      "AnkiConnect.modelTemplateRename() missing 3 required positional arguments: 'modelName', 'oldTemplateName', and 'newTemplateName'",
    );
    expect(call('version', null).error).toBe('AnkiConnect.version() argument after ** must be a mapping, not NoneType');
    expect(call('version', [1]).error).toBe('AnkiConnect.version() argument after ** must be a mapping, not list');
    // unknown beats missing, as in Python
    expect(call('cardsInfo', { card: [1] }).error).toBe("AnkiConnect.cardsInfo() got an unexpected keyword argument 'card'");
  });

  it('names the parameter on a wrong type', () => {
    expect(call('cardsInfo', { cards: 'abc' }).error).toBe('cardsInfo: parameter "cards" must be an array, not the string "abc"');
    expect(call('cardsInfo', { cards: [1, 'a'] }).error).toBe('cardsInfo: parameter "cards[1]" must be an integer, not the string "a"');
    expect(call('cardsInfo', { cards: [1.5] }).error).toBe('cardsInfo: parameter "cards[0]" must be an integer, not the number 1.5');
    expect(call('cardsInfo', { cards: [2 ** 60] }).error).toBe(
      'cardsInfo: parameter "cards[0]" must be an integer between -(2^53 - 1) and 2^53 - 1, not the number 1152921504606847000',
    );
    expect(call('createDeck', { deck: null }).error).toBe('createDeck: parameter "deck" must be a string, not null');
    expect(call('addNote', { note: { deckName: 'Default', modelName: 'Basic' } }).error).toBe(
      'addNote: parameter "note.fields" is missing (expected an object)',
    );
    expect(call('addNote', { note: { deckName: 'D', modelName: 'B', fields: { Front: 1 } } }).error).toBe(
      'addNote: parameter "note.fields.Front" must be a string, not the number 1',
    );
    expect(call('insertReviews', { reviews: [[1, 2, 3]] }).error).toBe(
      'insertReviews: parameter "reviews[0]" must have 9 elements',
    );
  });

  it("uses AnkiConnect's own texts where it has them", () => {
    const note = { deckName: 'D', modelName: 'B', fields: {} };
    expect(call('addNote', { note: { ...note, options: { allowDuplicate: 'yes' } } }).error).toBe(
      'option parameter "allowDuplicate" must be boolean',
    );
    expect(call('addNote', { note: { ...note, options: { duplicateScopeOptions: { checkChildren: 1 } } } }).error).toBe(
      'option parameter "duplicateScopeOptions.checkChildren" must be boolean',
    );
    expect(call('apiReflect', {}).error).toBe('scopes has invalid value');
    expect(call('apiReflect', { scopes: ['actions'], actions: 'x' }).error).toBe('actions has invalid value');
    expect(call('updateNoteTags', { note: 1, tags: 5 }).error).toBe('Must provide tags as a list of strings');
    expect(call('updateNote', { note: { id: 1 } }).error).toBe('Must provide a "fields" or "tags" property.');
    expect(call('modelFieldSetFont', { modelName: 'm', fieldName: 'f', font: 12 }).error).toBe('font should be a string: 12');
    expect(call('modelFieldSetFontSize', { modelName: 'm', fieldName: 'f', fontSize: 'big' }).error).toBe(
      'fontSize should be an integer: big',
    );
    expect(call('createModel', { modelName: 'm', inOrderFields: [], cardTemplates: [{ Front: '', Back: '' }] }).error).toBe(
      'Must provide at least one field for inOrderFields',
    );
    expect(call('guiBrowse', { reorderCards: 5 }).error).toBe('reorderCards should be a dict: 5');
    expect(call('guiBrowse', { reorderCards: { order: 'up', columnId: 'noteCrt' } }).error).toBe('invalid card order: up');
    expect(call('updateNoteModel', { note: { id: 1, modelName: 'B', fields: {} } }).error).toBe(
      'Fields must be provided as a dictionary',
    );
  });

  it('fills defaults; null means false for booleans and the default otherwise', () => {
    expect(call('storeMediaFile', { filename: 'a' }).value).toEqual({
      filename: 'a',
      data: null,
      path: null,
      url: null,
      skipHash: null,
      deleteExisting: true,
    });
    expect(call('addTags', { notes: [1], tags: 'a', add: null }).value).toEqual({ notes: [1], tags: 'a', add: false });
    expect(call('getMediaFilesNames', { pattern: null }).value).toEqual({ pattern: '*' });
    expect(call('cloneDeckConfigId', { name: 'x' }).value).toEqual({ name: 'x', cloneFrom: '1' });
    expect(call('setDeckConfigId', { decks: ['Default'], configId: '1' }).value).toEqual({ decks: ['Default'], configId: 1 });
    expect(call('setSpecificValueOfCard', { card: [1], keys: 'x', newValues: 3 }).value).toEqual({
      card: [1],
      keys: 'x',
      newValues: 3,
      warning_check: false,
    });
  });
});
