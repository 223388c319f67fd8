import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeReply } from '../json-out';
import { setUpTestDeck, startTestHost, type TestHost } from '../test-support';

let h: TestHost;
beforeEach(async () => {
  h = await startTestHost();
  await setUpTestDeck(h);
});
afterEach(async () => h.close());

const err = async (action: string, params: unknown) => (await h.post(action, params)).error;
const templates = () => h.call<Record<string, { Front: string; Back: string }>>('modelTemplates', { modelName: 'test_model' });
const fieldNames = () => h.call('modelFieldNames', { modelName: 'test_model' });

describe('reading note types (upstream tests)', () => {
  it('names, ids, fields, fonts, descriptions, fields on templates, styling', async () => {
    const names = await h.call<string[]>('modelNames');
    expect(names).toContain('test_model');
    expect(names.slice(0, 6)).toEqual(['Basic', 'Basic (and reversed card)', 'Basic (optional reversed card)', 'Basic (type in the answer)', 'Cloze', 'Image Occlusion']);
    const ids = await h.call<Record<string, number>>('modelNamesAndIds');
    expect(typeof ids.test_model).toBe('number');
    expect(await h.call('modelNameFromId', { modelId: ids.test_model })).toBe('test_model');
    expect(await err('modelNameFromId', { modelId: 7 })).toBe('model was not found: 7');
    expect(await fieldNames()).toEqual(['field1', 'field2']);
    expect(await h.call('modelFieldNames', { modelName: 'TEST_MODEL' })).toEqual(['field1', 'field2']);
    expect(await err('modelFieldNames', { modelName: 'nope' })).toBe('model was not found: nope');
    expect(await h.call('modelFieldDescriptions', { modelName: 'test_model' })).toEqual(['', '']);
    expect(await h.call('modelFieldFonts', { modelName: 'test_model' })).toEqual({ field1: { font: 'Arial', size: 20 }, field2: { font: 'Arial', size: 20 } });
    expect(await h.call('modelFieldsOnTemplates', { modelName: 'test_model' })).toEqual({ 'Card 1': [['field1'], ['field2']], 'Card 2': [['field2'], ['field1']] });
    expect(await h.call('modelFieldsOnTemplates', { modelName: 'Basic (optional reversed card)' })).toEqual({
      'Card 1': [['Front'], ['Back']],
      'Card 2': [['Back'], ['Front']],
    });
    expect(await h.call('modelStyling', { modelName: 'test_model' })).toEqual({ css: '* {}' });
    expect(await templates()).toEqual({ 'Card 1': { Front: '{{field1}}', Back: '{{field2}}' }, 'Card 2': { Front: '{{field2}}', Back: '{{field1}}' } });
  });

  it('findModelsByName / ById: Anki JSON with exact 64-bit field and template ids', async () => {
    const [m] = await h.call<Record<string, unknown>[]>('findModelsByName', { modelNames: ['Basic'] });
    expect(m).toMatchObject({ name: 'Basic', type: 0, sortf: 0, css: expect.stringContaining('.card') });
    expect((m.flds as { name: string }[]).map((f) => f.name)).toEqual(['Front', 'Back']);
    expect((m.tmpls as { qfmt: string }[])[0].qfmt).toBe('{{Front}}');
    expect(await h.call('findModelsById', { modelIds: [m.id] })).toEqual([m]);
    expect(await err('findModelsByName', { modelNames: ['Basic', 'nope'] })).toBe('model was not found: nope');
    expect(await err('findModelsById', { modelIds: [1] })).toBe('model was not found: 1');
    // the wire carries the ids exactly (beyond 2^53)
    const reply = await h.dispatcher.dispatch({ action: 'findModelsByName', version: 6, params: { modelNames: ['Basic'] } });
    const text = serializeReply(reply);
    const stored = h.session.col.storage.notetypes.get(m.id as number)!;
    expect(text).toContain(`"id": ${String(stored.fields[0].config.id)}`.replace(': ', ':'));
  });
});

describe('creating and editing note types (upstream tests)', () => {
  it('createModel with and without css; a name in use is refused', async () => {
    const kw = { modelName: 'test_model_foo', inOrderFields: ['field1', 'field2'], cardTemplates: [{ Front: '{{field1}}', Back: '{{field2}}' }] };
    const m = await h.call<Record<string, unknown>>('createModel', kw);
    expect(m).toMatchObject({ name: 'test_model_foo', type: 0 });
    expect((m.tmpls as { name: string }[]).map((t) => t.name)).toEqual(['Card 1']);
    expect(await err('createModel', kw)).toBe('Model name already exists');
    const c = await h.call<Record<string, unknown>>('createModel', { ...kw, modelName: 'with css', css: '* {}', isCloze: true, cardTemplates: [{ Name: 'Cl', Front: '{{cloze:field1}}', Back: '{{cloze:field1}}' }] });
    expect(c).toMatchObject({ type: 1, css: '* {}' });
    expect(await err('createModel', { ...kw, modelName: 'x', inOrderFields: [] })).toBe('Must provide at least one field for inOrderFields');
    expect(await err('createModel', { ...kw, modelName: 'x', cardTemplates: [] })).toBe('Must provide at least one card for cardTemplates');
  });

  it('styling and templates', async () => {
    await h.call('updateModelStyling', { model: { name: 'test_model', css: '* {color: red;}' } });
    expect(await h.call('modelStyling', { modelName: 'test_model' })).toEqual({ css: '* {color: red;}' });
    await h.call('updateModelTemplates', { model: { name: 'test_model', templates: { 'Card 1': { Front: '{{field1}}', Back: 'foo' }, Nope: { Front: 'x' } } } });
    expect(await templates()).toEqual({ 'Card 1': { Front: '{{field1}}', Back: 'foo' }, 'Card 2': { Front: '{{field2}}', Back: '{{field1}}' } });
    expect(await err('updateModelTemplates', { model: { name: 'nope', templates: {} } })).toBe('model was not found: nope');
  });

  it('findAndReplaceInModels', async () => {
    const call = (findText: string, replaceText: string, front: boolean, back: boolean, css: boolean) =>
      h.call('findAndReplaceInModels', { modelName: 'test_model', findText, replaceText, front, back, css });
    expect(await call('}}', '}}!', true, false, false)).toBe(1);
    await call('}}', '}}?', true, true, false);
    await call('}', 'color: blue;}', false, false, true);
    expect(await templates()).toEqual({ 'Card 1': { Front: '{{field1}}?!', Back: '{{field2}}?' }, 'Card 2': { Front: '{{field2}}?!', Back: '{{field1}}?' } });
    expect(await h.call('modelStyling', { modelName: 'test_model' })).toEqual({ css: '* {color: blue;}' });
    expect(await h.call('findAndReplaceInModels', { modelName: null, findText: 'not anywhere', replaceText: 'x' })).toBe(0);
  });

  it('templates: rename, reposition, add, remove', async () => {
    await h.call('modelTemplateRename', { modelName: 'test_model', oldTemplateName: 'Card 1', newTemplateName: 'Card 1 Renamed' });
    expect(Object.keys(await templates())).toEqual(['Card 1 Renamed', 'Card 2']);
    await h.call('modelTemplateReposition', { modelName: 'test_model', templateName: 'Card 1 Renamed', index: 1 });
    expect(Object.keys(await templates())).toEqual(['Card 2', 'Card 1 Renamed']);
    await h.call('modelTemplateAdd', { modelName: 'test_model', template: { Name: 'Card 3', Front: '{{field1}} Card 3', Back: '{{field2}}' } });
    expect(await templates()).toMatchObject({ 'Card 3': { Front: '{{field1}} Card 3', Back: '{{field2}}' } });
    expect((await h.call<number[]>('findCards', { query: 'card:3' })).length).toBe(2);
    await h.call('modelTemplateRemove', { modelName: 'test_model', templateName: 'Card 2' });
    expect(Object.keys(await templates())).toEqual(['Card 1 Renamed', 'Card 3']);
    expect(await err('modelTemplateRemove', { modelName: 'test_model', templateName: 'card 3' })).toBe('template was not found in test_model: card 3');
  });

  it('fields: rename, reposition, add, remove, font, size, description', async () => {
    await h.call('modelFieldRename', { modelName: 'test_model', oldFieldName: 'field1', newFieldName: 'foo' });
    expect(await fieldNames()).toEqual(['foo', 'field2']);
    expect((await templates()) as object).toMatchObject({ 'Card 1': { Front: '{{foo}}' } });
    await h.call('modelFieldReposition', { modelName: 'test_model', fieldName: 'foo', index: 2 });
    expect(await fieldNames()).toEqual(['field2', 'foo']);
    await h.call('modelFieldAdd', { modelName: 'test_model', fieldName: 'Foo2' });
    expect(await fieldNames()).toEqual(['field2', 'foo', 'Foo2']);
    await h.call('modelFieldAdd', { modelName: 'test_model', fieldName: 'Bar', index: 1 });
    expect(await fieldNames()).toEqual(['field2', 'Bar', 'foo', 'Foo2']);
    await h.call('modelFieldAdd', { modelName: 'test_model', fieldName: 'Bar', index: 0 });
    expect(await fieldNames()).toEqual(['Bar', 'field2', 'foo', 'Foo2']);
    await h.call('modelFieldRemove', { modelName: 'test_model', fieldName: 'Foo2' });
    expect(await fieldNames()).toEqual(['Bar', 'field2', 'foo']);
    expect(await err('modelFieldRemove', { modelName: 'test_model', fieldName: 'FOO' })).toBe('field was not found in test_model: FOO');
    await h.call('modelFieldSetFont', { modelName: 'test_model', fieldName: 'foo', font: 'Courier' });
    await h.call('modelFieldSetFontSize', { modelName: 'test_model', fieldName: 'field2', fontSize: 16 });
    expect(await h.call('modelFieldFonts', { modelName: 'test_model' })).toMatchObject({ foo: { font: 'Courier', size: 20 }, field2: { font: 'Arial', size: 16 } });
    expect(await h.call('modelFieldSetDescription', { modelName: 'test_model', fieldName: 'Bar', description: 'test description' })).toBe(true);
    expect(await h.call('modelFieldDescriptions', { modelName: 'test_model' })).toEqual(['test description', '', '']);
    expect(await err('modelFieldSetFontSize', { modelName: 'test_model', fieldName: 'foo', fontSize: '16' })).toBe('fontSize should be an integer: 16');
  });

  it('upstream: removing field1 after Card 1 uses only field2', async () => {
    await h.call('updateModelTemplates', { model: { name: 'test_model', templates: { 'Card 1': { Front: '{{field2}} {{field2}}', Back: 'foo' } } } });
    await h.call('modelFieldRemove', { modelName: 'test_model', fieldName: 'field1' });
    expect(await fieldNames()).toEqual(['field2']);
  });
});
