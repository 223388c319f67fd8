/**
 * Model (note type) actions over the notetypes service. Names of note types compare ignoring
 * case (Anki's `by_name`); names of fields and templates inside one compare exactly, as
 * upstream's `field_map` / template loop do.
 */
import type { Collection } from '../../collection/collection';
import type { Notetype } from '../../notetypes/notetype';
import {
  addField,
  addTemplate,
  createNotetype,
  getNotetype,
  listNotetypes,
  removeField,
  removeTemplate,
  renameField,
  renameTemplate,
  repositionField,
  repositionTemplate,
  setNotetypeCss,
  updateFieldConfig,
  updateNotetype,
  updateNotetypeInTx,
  updateTemplate,
} from '../../notetypes/notetypes-service';
import { notetypeToLegacy } from '../../storage/legacy';
import { defineAnkiAction } from './define';
import { collection, modelById, modelByName } from './session';

/** `field was not found in <model>: <name>` unless the model has a field of exactly that name. */
function fieldOrd(nt: Notetype, name: string): number {
  const f = nt.fields.find((x) => x.name === name);
  if (!f) throw new Error(`field was not found in ${nt.name}: ${name}`);
  return f.ord;
}

/** `template was not found in <model>: <name>` unless a template has exactly that name. */
function templateOrd(nt: Notetype, name: string): number {
  const i = nt.templates.findIndex((t) => t.name === name);
  if (i < 0) throw new Error(`template was not found in ${nt.name}: ${name}`);
  return i;
}

/**
 * Where Python's `list.remove(x); list.insert(index, x)` puts an item of a list of `length`:
 * past the end appends, negative counts from the end.
 */
function insertPosition(index: number, length: number): number {
  const rest = length - 1;
  if (index < 0) return Math.max(0, rest + index);
  return Math.min(index, rest);
}

const legacy = (col: Collection, id: number) => notetypeToLegacy(getNotetype(col, id));

export const modelNames = defineAnkiAction('modelNames', (_p, ctx) => listNotetypes(collection(ctx)).map((n) => n.name));

export const modelNamesAndIds = defineAnkiAction('modelNamesAndIds', (_p, ctx) => {
  const out: Record<string, number> = {};
  for (const n of listNotetypes(collection(ctx))) out[n.name] = n.id;
  return out;
});

export const findModelsById = defineAnkiAction('findModelsById', ({ modelIds }, ctx) => {
  const col = collection(ctx);
  return modelIds.map((id) => notetypeToLegacy(modelById(col, id)));
});

export const findModelsByName = defineAnkiAction('findModelsByName', ({ modelNames: names }, ctx) => {
  const col = collection(ctx);
  return names.map((name) => notetypeToLegacy(modelByName(col, name)));
});

export const modelNameFromId = defineAnkiAction('modelNameFromId', ({ modelId }, ctx) => modelById(collection(ctx), modelId).name);

export const modelFieldNames = defineAnkiAction('modelFieldNames', ({ modelName }, ctx) => modelByName(collection(ctx), modelName).fields.map((f) => f.name));

export const modelFieldDescriptions = defineAnkiAction('modelFieldDescriptions', ({ modelName }, ctx) =>
  modelByName(collection(ctx), modelName).fields.map((f) => f.config.description),
);

export const modelFieldFonts = defineAnkiAction('modelFieldFonts', ({ modelName }, ctx) => {
  const out: Record<string, { font: string; size: number }> = {};
  for (const f of modelByName(collection(ctx), modelName).fields) out[f.name] = { font: f.config.fontName, size: f.config.fontSize };
  return out;
});

/**
 * Per template `[question-side fields, answer-side fields not on the question side]`, found as
 * upstream does (after aqt's clayout): every `{{…}}` not opening/closing a section, braces and
 * filters (`x:`) dropped, `FrontSide` skipped; duplicates kept.
 */
export const modelFieldsOnTemplates = defineAnkiAction('modelFieldsOnTemplates', ({ modelName }, ctx) => {
  const nt = modelByName(collection(ctx), modelName);
  const out: Record<string, [string[], string[]]> = {};
  for (const t of nt.templates) {
    const sides: string[][] = [];
    for (const [i, text] of [t.config.qFormat, t.config.aFormat].entries()) {
      const names: string[] = [];
      for (const m of text.matchAll(/\{\{[^#/}]+?\}\}/g)) {
        const name = m[0].replace(/[{}]/g, '').split(':').at(-1)!;
        if (name === 'FrontSide' || (i === 1 && sides[0].includes(name))) continue;
        names.push(name);
      }
      sides.push(names);
    }
    out[t.name] = [sides[0], sides[1]];
  }
  return out;
});

export const modelTemplates = defineAnkiAction('modelTemplates', ({ modelName }, ctx) => {
  const out: Record<string, { Front: string; Back: string }> = {};
  for (const t of modelByName(collection(ctx), modelName).templates) out[t.name] = { Front: t.config.qFormat, Back: t.config.aFormat };
  return out;
});

export const modelStyling = defineAnkiAction('modelStyling', ({ modelName }, ctx) => ({ css: modelByName(collection(ctx), modelName).config.css }));

/** Creates a note type; templates without `Name` are "Card 1", "Card 2", … Returns it as Anki's JSON. */
export const createModel = defineAnkiAction('createModel', ({ modelName, inOrderFields, cardTemplates, css, isCloze }, ctx) => {
  const col = collection(ctx);
  if (listNotetypes(col).some((n) => n.name === modelName)) throw new Error('Model name already exists');
  const { id } = createNotetype(col, {
    name: modelName,
    cloze: isCloze,
    fields: inOrderFields,
    templates: cardTemplates.map((t, i) => ({ name: t.Name ?? `Card ${i + 1}`, qFormat: t.Front, aFormat: t.Back })),
    css: css ?? undefined,
  }).result;
  return legacy(col, id);
});

/** Replaces the Front/Back of templates named in `templates` (a side only when given non-empty). */
export const updateModelTemplates = defineAnkiAction('updateModelTemplates', ({ model }, ctx) => {
  const col = collection(ctx);
  const nt = modelByName(col, model.name);
  for (const t of nt.templates) {
    const given = Object.hasOwn(model.templates, t.name) ? model.templates[t.name] : undefined;
    if (!given) continue;
    if (given.Front) t.config.qFormat = given.Front;
    if (given.Back) t.config.aFormat = given.Back;
  }
  updateNotetype(col, nt);
  return null;
});

export const updateModelStyling = defineAnkiAction('updateModelStyling', ({ model }, ctx) => {
  const col = collection(ctx);
  setNotetypeCss(col, modelByName(col, model.name).id, model.css);
  return null;
});

/** Plain replace-all in fronts/backs/CSS of one note type (or all when `modelName` is empty); returns how many changed. */
export const findAndReplaceInModels = defineAnkiAction('findAndReplaceInModels', ({ modelName, findText, replaceText, front, back, css }, ctx) => {
  const col = collection(ctx);
  const ids = modelName ? [modelByName(col, modelName).id] : listNotetypes(col).map((n) => n.id);
  return col.transact('Update Note Type', (tx) => {
    let changed = 0;
    for (const id of ids) {
      const nt = getNotetype(tx, id);
      let found = false;
      if (css && nt.config.css.includes(findText)) {
        found = true;
        nt.config.css = nt.config.css.replaceAll(findText, replaceText);
      }
      for (const t of nt.templates) {
        if (front && t.config.qFormat.includes(findText)) {
          found = true;
          t.config.qFormat = t.config.qFormat.replaceAll(findText, replaceText);
        }
        if (back && t.config.aFormat.includes(findText)) {
          found = true;
          t.config.aFormat = t.config.aFormat.replaceAll(findText, replaceText);
        }
      }
      if (found) {
        updateNotetypeInTx(tx, nt);
        changed++;
      }
    }
    return changed;
  }).result;
});

export const modelTemplateRename = defineAnkiAction('modelTemplateRename', ({ modelName, oldTemplateName, newTemplateName }, ctx) => {
  const col = collection(ctx);
  const nt = modelByName(col, modelName);
  renameTemplate(col, nt.id, templateOrd(nt, oldTemplateName), newTemplateName);
  return null;
});

export const modelTemplateReposition = defineAnkiAction('modelTemplateReposition', ({ modelName, templateName, index }, ctx) => {
  const col = collection(ctx);
  const nt = modelByName(col, modelName);
  repositionTemplate(col, nt.id, templateOrd(nt, templateName), insertPosition(index, nt.templates.length));
  return null;
});

/** Adds a template; one with that name already gets the new Front/Back (upstream meant to, but drops the change). */
export const modelTemplateAdd = defineAnkiAction('modelTemplateAdd', ({ modelName, template }, ctx) => {
  const col = collection(ctx);
  const nt = modelByName(col, modelName);
  const i = nt.templates.findIndex((t) => t.name === template.Name);
  if (i >= 0) updateTemplate(col, nt.id, i, { qFormat: template.Front, aFormat: template.Back });
  else addTemplate(col, nt.id, { name: template.Name, qFormat: template.Front, aFormat: template.Back });
  return null;
});

export const modelTemplateRemove = defineAnkiAction('modelTemplateRemove', ({ modelName, templateName }, ctx) => {
  const col = collection(ctx);
  const nt = modelByName(col, modelName);
  removeTemplate(col, nt.id, templateOrd(nt, templateName));
  return null;
});

export const modelFieldRename = defineAnkiAction('modelFieldRename', ({ modelName, oldFieldName, newFieldName }, ctx) => {
  const col = collection(ctx);
  const nt = modelByName(col, modelName);
  renameField(col, nt.id, fieldOrd(nt, oldFieldName), newFieldName);
  return null;
});

export const modelFieldReposition = defineAnkiAction('modelFieldReposition', ({ modelName, fieldName, index }, ctx) => {
  const col = collection(ctx);
  const nt = modelByName(col, modelName);
  repositionField(col, nt.id, fieldOrd(nt, fieldName), insertPosition(index, nt.fields.length));
  return null;
});

/** Adds a field (at `index` when given); an existing field of that name is only moved to `index`. */
export const modelFieldAdd = defineAnkiAction('modelFieldAdd', ({ modelName, fieldName, index }, ctx) => {
  const col = collection(ctx);
  const nt = modelByName(col, modelName);
  const existing = nt.fields.find((f) => f.name === fieldName);
  if (existing) {
    if (index !== null) repositionField(col, nt.id, existing.ord, insertPosition(index, nt.fields.length));
  } else {
    addField(col, nt.id, fieldName, { index: index === null ? undefined : insertPosition(index, nt.fields.length + 1) });
  }
  return null;
});

export const modelFieldRemove = defineAnkiAction('modelFieldRemove', ({ modelName, fieldName }, ctx) => {
  const col = collection(ctx);
  const nt = modelByName(col, modelName);
  removeField(col, nt.id, fieldOrd(nt, fieldName));
  return null;
});

export const modelFieldSetFont = defineAnkiAction('modelFieldSetFont', ({ modelName, fieldName, font }, ctx) => {
  const col = collection(ctx);
  const nt = modelByName(col, modelName);
  updateFieldConfig(col, nt.id, fieldOrd(nt, fieldName), { fontName: font });
  return null;
});

export const modelFieldSetFontSize = defineAnkiAction('modelFieldSetFontSize', ({ modelName, fieldName, fontSize }, ctx) => {
  const col = collection(ctx);
  const nt = modelByName(col, modelName);
  updateFieldConfig(col, nt.id, fieldOrd(nt, fieldName), { fontSize });
  return null;
});

export const modelFieldSetDescription = defineAnkiAction('modelFieldSetDescription', ({ modelName, fieldName, description }, ctx) => {
  const col = collection(ctx);
  const nt = modelByName(col, modelName);
  updateFieldConfig(col, nt.id, fieldOrd(nt, fieldName), { description });
  return true;
});

export const MODEL_ACTIONS = [
  modelNames,
  modelNamesAndIds,
  findModelsById,
  findModelsByName,
  modelNameFromId,
  modelFieldNames,
  modelFieldDescriptions,
  modelFieldFonts,
  modelFieldsOnTemplates,
  modelTemplates,
  modelStyling,
  createModel,
  updateModelTemplates,
  updateModelStyling,
  findAndReplaceInModels,
  modelTemplateRename,
  modelTemplateReposition,
  modelTemplateAdd,
  modelTemplateRemove,
  modelFieldRename,
  modelFieldReposition,
  modelFieldAdd,
  modelFieldRemove,
  modelFieldSetFont,
  modelFieldSetFontSize,
  modelFieldSetDescription,
];
