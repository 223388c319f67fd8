import { randomBytes } from 'node:crypto';
import { defaultFieldConfig, defaultNotetypeConfig, defaultTemplateConfig } from '../storage/proto/codecs';
import { NotetypeKind, OriginalStockKind } from '../storage/proto/messages';
import type { Notetype, NotetypeField, NotetypeTemplate } from './notetype';

// Stock notetype contents are data of Anki's file format (a new collection must match Anki's),
// restated here from shared/spec/anki-collection.md §2.2.

export const DEFAULT_CSS = `.card {
    font-family: arial;
    font-size: 20px;
    line-height: 1.5;
    text-align: center;
    color: black;
    background-color: white;
}
`;

export const CLOZE_CSS = `${DEFAULT_CSS}.cloze {
    font-weight: bold;
    color: blue;
}
.nightMode .cloze {
    color: lightblue;
}
`;

const IO_CSS = `#image-occlusion-canvas {
    --inactive-shape-color: #ffeba2;
    --active-shape-color: #ff8e8e;
    --inactive-shape-border: 1px #212121;
    --active-shape-border: 1px #212121;
    --highlight-shape-color: #ff8e8e00;
    --highlight-shape-border: 1px #ff8e8e;
}

.card {
    font-family: arial;
    font-size: 20px;
    text-align: center;
    color: black;
    background-color: white;
}
`;

export const DEFAULT_LATEX_PRE =
  '\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n';
export const DEFAULT_LATEX_POST = '\\end{document}';

/** A random signed 64-bit id, as Anki gives new fields and templates (used to match them on import). */
export const randomId64 = (): bigint => randomBytes(8).readBigInt64LE();

export function newField(name: string, extra: Partial<NotetypeField['config']> = {}): NotetypeField {
  return { ord: 0, name, config: { ...defaultFieldConfig(), id: randomId64(), ...extra } };
}

export function newTemplate(name: string, qFormat: string, aFormat: string): NotetypeTemplate {
  return { ord: 0, name, mtimeSecs: 0, usn: 0, config: { ...defaultTemplateConfig(), qFormat, aFormat, id: randomId64() } };
}

function stock(kind: NotetypeKind, stockKind: OriginalStockKind, name: string, fields: NotetypeField[], templates: NotetypeTemplate[], css?: string): Notetype {
  return {
    id: 0,
    name,
    mtimeSecs: 0,
    usn: 0,
    config: {
      ...defaultNotetypeConfig(),
      kind,
      css: css ?? (kind === NotetypeKind.Cloze ? CLOZE_CSS : DEFAULT_CSS),
      latexPre: DEFAULT_LATEX_PRE,
      latexPost: DEFAULT_LATEX_POST,
      originalStockKind: stockKind,
    },
    fields: fields.map((f, ord) => ({ ...f, ord })),
    templates: templates.map((t, ord) => ({ ...t, ord })),
  };
}

const BACK = '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}';
const FRONT_AS_ANSWER = '{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}';

function basic(): Notetype {
  return stock(NotetypeKind.Normal, OriginalStockKind.Basic, 'Basic', [newField('Front'), newField('Back')], [newTemplate('Card 1', '{{Front}}', BACK)]);
}

function basicAndReversed(): Notetype {
  return stock(
    NotetypeKind.Normal,
    OriginalStockKind.BasicAndReversed,
    'Basic (and reversed card)',
    [newField('Front'), newField('Back')],
    [newTemplate('Card 1', '{{Front}}', BACK), newTemplate('Card 2', '{{Back}}', FRONT_AS_ANSWER)],
  );
}

function basicOptionalReversed(): Notetype {
  return stock(
    NotetypeKind.Normal,
    OriginalStockKind.BasicOptionalReversed,
    'Basic (optional reversed card)',
    [newField('Front'), newField('Back'), newField('Add Reverse')],
    [newTemplate('Card 1', '{{Front}}', BACK), newTemplate('Card 2', '{{#Add Reverse}}{{Back}}{{/Add Reverse}}', FRONT_AS_ANSWER)],
  );
}

function basicTyping(): Notetype {
  return stock(
    NotetypeKind.Normal,
    OriginalStockKind.BasicTyping,
    'Basic (type in the answer)',
    [newField('Front'), newField('Back')],
    [newTemplate('Card 1', '{{Front}}\n\n{{type:Back}}', '{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}')],
  );
}

function cloze(): Notetype {
  return stock(
    NotetypeKind.Cloze,
    OriginalStockKind.Cloze,
    'Cloze',
    [newField('Text', { tag: 0, preventDeletion: true }), newField('Back Extra', { tag: 1 })],
    [newTemplate('Cloze', '{{cloze:Text}}', '{{cloze:Text}}<br>\n{{Back Extra}}')],
  );
}

function imageOcclusion(): Notetype {
  const qfmt = `{{#Header}}<div>{{Header}}</div>{{/Header}}
<div style="display: none">{{cloze:Occlusion}}</div>
<div id="err"></div>
<div id="image-occlusion-container">
    {{Image}}
    <canvas id="image-occlusion-canvas"></canvas>
</div>
<script>
try {
    anki.imageOcclusion.setup();
} catch (exc) {
    document.getElementById("err").innerHTML = \`Error loading image occlusion. Is your Anki version up to date?<br><br>\${exc}\`;
}
</script>
`;
  const afmt = `${qfmt}
<div><button id="toggle">Toggle Masks</button></div>
{{#Back Extra}}<div>{{Back Extra}}</div>{{/Back Extra}}
`;
  return stock(
    NotetypeKind.Cloze,
    OriginalStockKind.ImageOcclusion,
    'Image Occlusion',
    [
      newField('Occlusion', { tag: 0, preventDeletion: true }),
      newField('Image', { tag: 1, preventDeletion: true }),
      newField('Header', { tag: 2, preventDeletion: true }),
      newField('Back Extra', { tag: 3, preventDeletion: true }),
      newField('Comments', { tag: 4 }),
    ],
    [newTemplate('Image Occlusion', qfmt, afmt)],
    IO_CSS,
  );
}

export type StockKindName = 'basic' | 'basicAndReversed' | 'basicOptionalReversed' | 'basicTyping' | 'cloze' | 'imageOcclusion';

const BUILDERS: Record<StockKindName, () => Notetype> = { basic, basicAndReversed, basicOptionalReversed, basicTyping, cloze, imageOcclusion };

/** A fresh (unsaved, id 0) stock notetype with new random field/template ids. */
export function stockNotetype(kind: StockKindName): Notetype {
  return BUILDERS[kind]();
}

/** The six stock notetypes, in the order a new Anki collection adds them. */
export const STOCK_ORDER: StockKindName[] = ['basic', 'basicAndReversed', 'basicOptionalReversed', 'basicTyping', 'cloze', 'imageOcclusion'];

export function stockKindFromOriginal(k: OriginalStockKind): StockKindName | undefined {
  return (
    {
      [OriginalStockKind.Basic]: 'basic',
      [OriginalStockKind.BasicAndReversed]: 'basicAndReversed',
      [OriginalStockKind.BasicOptionalReversed]: 'basicOptionalReversed',
      [OriginalStockKind.BasicTyping]: 'basicTyping',
      [OriginalStockKind.Cloze]: 'cloze',
      [OriginalStockKind.ImageOcclusion]: 'imageOcclusion',
    } as Partial<Record<OriginalStockKind, StockKindName>>
  )[k];
}
