import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zstdDecompressSync } from 'node:zlib';
import {
  decodeDeckCommon,
  decodeDeckConfigConfig,
  decodeDeckKind,
  decodeFieldConfig,
  decodeFilteredDeck,
  decodeMediaEntries,
  decodeNotetypeConfig,
  decodePackageMetadata,
  decodeTemplateConfig,
  defaultClozeNotetypeConfig,
  defaultDeckCommon,
  defaultDeckConfigConfig,
  defaultFieldConfig,
  defaultFilteredDeck,
  defaultMediaEntries,
  defaultNormalDeck,
  defaultNotetypeConfig,
  defaultPackageMetadata,
  defaultTemplateConfig,
  encodeDeckCommon,
  encodeDeckConfigConfig,
  encodeDeckKind,
  encodeFieldConfig,
  encodeFilteredDeck,
  encodeMediaEntries,
  encodeNotetypeConfig,
  encodePackageMetadata,
  encodeTemplateConfig,
  ensureDeckConfigValuesValid,
  randomConfigId,
} from './codecs';
import { CardRequirementKind, FilteredSearchOrder, NotetypeKind, OriginalStockKind } from './messages';
import { type FixtureSet, loadFixtures, openReadonly } from './test-fixtures';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

interface Blob {
  label: string;
  data: Uint8Array;
}

type Codec = { decode: (b: Uint8Array) => object; encode: (m: never) => Uint8Array };
const codecs: Record<string, Codec> = {
  'notetypes.config': { decode: decodeNotetypeConfig, encode: encodeNotetypeConfig },
  'fields.config': { decode: decodeFieldConfig, encode: encodeFieldConfig },
  'templates.config': { decode: decodeTemplateConfig, encode: encodeTemplateConfig },
  'decks.common': { decode: decodeDeckCommon, encode: encodeDeckCommon },
  'decks.kind': { decode: decodeDeckKind, encode: encodeDeckKind },
  'deck_config.config': { decode: decodeDeckConfigConfig, encode: encodeDeckConfigConfig },
};

let fx: FixtureSet;
const blobs: Record<string, Blob[]> = {};

beforeAll(() => {
  fx = loadFixtures();
  for (const k of Object.keys(codecs)) blobs[k] = [];
  for (const db of fx.schema18) {
    const con = openReadonly(db.path);
    try {
      const add = (kind: string, sql: string): void => {
        for (const row of con.prepare(sql).raw().all() as [string, Buffer][]) {
          blobs[kind].push({ label: `${db.label} ${kind} ${row[0]}`, data: new Uint8Array(row[1]) });
        }
      };
      // these selects avoid the unicase collation (no WHERE/ORDER BY on name columns)
      add('notetypes.config', 'select id, config from notetypes');
      add('fields.config', "select ntid || '/' || ord, config from fields");
      add('templates.config', "select ntid || '/' || ord, config from templates");
      add('decks.common', 'select id, common from decks');
      add('decks.kind', 'select id, kind from decks');
      add('deck_config.config', 'select id, config from deck_config');
    } finally {
      con.close();
    }
  }
});

afterAll(() => fx?.cleanup());

describe('round trip of every blob in the schema-18 fixtures', () => {
  it('found the fixtures', () => {
    expect(fx.schema18.length).toBe(6); // raw file + 5 latest-format packages
    for (const k of Object.keys(codecs)) expect(blobs[k].length).toBeGreaterThan(0);
  });

  for (const kind of Object.keys(codecs)) {
    it(`${kind}: decode → encode is byte-identical`, () => {
      const { decode, encode } = codecs[kind];
      let n = 0;
      for (const b of blobs[kind]) {
        const msg = decode(b.data);
        expect(msg, b.label).not.toHaveProperty('unknown'); // Anki writes nothing we do not know
        expect(hex(encode(msg as never)), b.label).toBe(hex(b.data));
        n++;
      }
      expect(n).toBeGreaterThan(0);
    });
  }

  it('package meta and media entries round-trip', () => {
    expect(fx.packageEntries.length).toBe(5);
    for (const p of fx.packageEntries) {
      expect(hex(p.meta!)).toBe('0803');
      expect(decodePackageMetadata(p.meta!)).toEqual({ version: 3 });
      expect(hex(encodePackageMetadata(decodePackageMetadata(p.meta!)))).toBe('0803');
      const media = new Uint8Array(zstdDecompressSync(p.media!));
      const decoded = decodeMediaEntries(media);
      expect(hex(encodeMediaEntries(decoded)), p.label).toBe(hex(media));
      for (const e of decoded.entries) {
        expect(e.sha1.length).toBe(20);
        expect(e.size).toBeGreaterThan(0);
        expect(e.legacyZipFilename).toBeUndefined();
      }
    }
    const spanish = fx.packageEntries.find((p) => p.label.includes('spanish'))!;
    const names = decodeMediaEntries(new Uint8Array(zstdDecompressSync(spanish.media!))).entries.map((e) => e.name);
    expect(names).toEqual([
      'quiero-aprender-espanol.mp3',
      'cuida-a-todas.mp3',
      'encantada-de-conocerte.mp3',
      'mis-mehores-deseos.mp3',
      'encantado-de-conocerte.mp3',
      'cuida-a-todos.mp3',
      'asi-pasa-cuando-sucede.mp3',
    ]);
    const empty = fx.packageEntries.find((p) => p.label.includes('greek'))!;
    expect(decodeMediaEntries(new Uint8Array(zstdDecompressSync(empty.media!)))).toEqual({ entries: [] });
  });
});

describe('decoded values', () => {
  it('default deck kind and common', () => {
    const kinds = blobs['decks.kind'].filter((b) => b.label.endsWith(' 1'));
    expect(kinds.length).toBe(6);
    for (const k of kinds) {
      if (hex(k.data) !== '0a020801') continue;
      expect(decodeDeckKind(k.data)).toEqual({
        normal: { configId: 1n, extendNew: 0, extendReview: 0, description: '', markdownDescription: false },
      });
    }
    expect(kinds.some((k) => hex(k.data) === '0a020801')).toBe(true);
    expect(hex(encodeDeckKind({ normal: defaultNormalDeck() }))).toBe('0a020801');
    expect(hex(encodeDeckCommon(defaultDeckCommon()))).toBe('08011001');
    expect(decodeDeckCommon(bytes('08011001'))).toEqual(defaultDeckCommon());
  });

  it('cloze Text field has tag 0 present (optional field written at zero)', () => {
    const withTag0 = blobs['fields.config'].filter((b) => decodeFieldConfig(b.data).tag === 0);
    expect(withTag0.length).toBeGreaterThan(0);
    for (const b of withTag0) expect(hex(b.data)).toContain('5000'); // field 10, varint 0
    const f = decodeFieldConfig(withTag0[0].data);
    expect(f.fontName).toBe('Arial');
    expect(typeof f.id).toBe('bigint');
    // a field without tag: absent, not 0
    const noTag = blobs['fields.config'].map((b) => decodeFieldConfig(b.data)).find((c) => c.tag === undefined);
    expect(noTag).toBeDefined();
    expect(noTag).not.toHaveProperty('tag');
  });

  it('notetype configs: kinds, reqs, stock kinds', () => {
    const nts = blobs['notetypes.config'].map((b) => decodeNotetypeConfig(b.data));
    expect(nts.some((n) => n.kind === NotetypeKind.Cloze)).toBe(true);
    expect(nts.some((n) => n.originalStockKind === OriginalStockKind.Cloze)).toBe(true);
    const basicReq = nts
      .flatMap((n) => n.reqs)
      .find((r) => r.cardOrd === 0 && r.kind === CardRequirementKind.Any && r.fieldOrds.length === 1);
    expect(basicReq).toEqual({ cardOrd: 0, kind: CardRequirementKind.Any, fieldOrds: [0] });
    for (const n of nts) {
      expect(n.latexPost).toContain('\\end{document}');
      expect(typeof n.targetDeckIdUnused).toBe('bigint');
    }
  });

  it('templates decode their formats', () => {
    const ts = blobs['templates.config'].map((b) => decodeTemplateConfig(b.data));
    expect(ts.some((t) => t.qFormat === '{{cloze:Text}}')).toBe(true);
    expect(ts.some((t) => t.qFormat === '{{Front}}' && t.aFormat.includes('<hr id=answer>'))).toBe(true);
  });

  it('filtered deck in the cpp colpkg', () => {
    const filtered = blobs['decks.kind']
      .filter((b) => b.label.includes('cpp-interview'))
      .map((b) => decodeDeckKind(b.data))
      .filter((k) => k.filtered);
    expect(filtered.length).toBeGreaterThan(0);
    const f = filtered[0].filtered!;
    expect(f.searchTerms.length).toBeGreaterThan(0);
    expect(typeof f.searchTerms[0].search).toBe('string');
    expect(filtered[0].normal).toBeUndefined();
  });

  it('deck configs: the Spanish package has exactly the defaults; all decode sensibly', () => {
    const spanish = blobs['deck_config.config'].find((b) => b.label.includes('spanish'))!;
    expect(decodeDeckConfigConfig(spanish.data)).toEqual(defaultDeckConfigConfig());
    expect(hex(encodeDeckConfigConfig(defaultDeckConfigConfig()))).toBe(hex(spanish.data));
    for (const b of blobs['deck_config.config']) {
      const c = decodeDeckConfigConfig(b.data);
      expect(c.learnSteps.length, b.label).toBeGreaterThan(0);
      expect(c.newPerDay, b.label).toBeGreaterThanOrEqual(0);
      expect(c.initialEase, b.label).toBeGreaterThan(1.3);
    }
    // the zh collection sets field 46 (a string declared after 45 in tag order)
    const zh = blobs['deck_config.config']
      .filter((b) => b.label.includes('schema18-raw'))
      .map((b) => decodeDeckConfigConfig(b.data));
    expect(zh.map((c) => c.ignoreRevlogsBeforeDate)).toEqual(['1970-01-01']);
  });

  it('deck common keeps field 255 `other` as raw JSON bytes', () => {
    const withOther = blobs['decks.common']
      .map((b) => decodeDeckCommon(b.data))
      .filter((c) => c.other !== undefined);
    expect(withOther.length).toBeGreaterThan(0);
    expect(JSON.parse(new TextDecoder().decode(withOther[0].other))).toHaveProperty('mid');
  });

  it('schema-17 deck config blob from the spec decodes to the 2021 defaults', () => {
    const blob = bytes(
      '0a080000803f00002041 1204 00002041 4814 50c801 5d00002040 656666a63f 6d9a99993f 7d0000803f ' +
        '8001949d02 880101 900101 980104 a80101 b00108 c0013c',
    );
    const c = decodeDeckConfigConfig(blob);
    expect(c.learnSteps).toEqual([1, 10]);
    expect(c.relearnSteps).toEqual([10]);
    expect(c.initialEase).toBe(2.5);
    expect(c.easyMultiplier).toBe(Math.fround(1.3));
    expect(c.waitForAudio).toBe(false); // field 44 absent → proto default, as in Anki
    expect(c.desiredRetention).toBe(0);
    expect(hex(encodeDeckConfigConfig(c))).toBe(hex(blob));
    expect(ensureDeckConfigValuesValid(c).desiredRetention).toBe(Math.fround(0.9));
  });
});

describe('wire rules', () => {
  it('defaults round-trip through encode/decode', () => {
    const cases: [object, (m: never) => Uint8Array, (b: Uint8Array) => object][] = [
      [defaultDeckConfigConfig(), encodeDeckConfigConfig, decodeDeckConfigConfig],
      [defaultFieldConfig(), encodeFieldConfig, decodeFieldConfig],
      [defaultTemplateConfig('{{Front}}', '{{Back}}'), encodeTemplateConfig, decodeTemplateConfig],
      [defaultDeckCommon(), encodeDeckCommon, decodeDeckCommon],
      [{ normal: defaultNormalDeck() }, encodeDeckKind, decodeDeckKind],
      [{ filtered: defaultFilteredDeck() }, encodeDeckKind, decodeDeckKind],
      [defaultNotetypeConfig(), encodeNotetypeConfig, decodeNotetypeConfig],
      [defaultClozeNotetypeConfig(), encodeNotetypeConfig, decodeNotetypeConfig],
      [defaultPackageMetadata(), encodePackageMetadata, decodePackageMetadata],
      [defaultMediaEntries(), encodeMediaEntries, decodeMediaEntries],
    ];
    for (const [m, enc, dec] of cases) expect(dec(enc(m as never))).toEqual(m);
    expect(hex(encodePackageMetadata(defaultPackageMetadata()))).toBe('0803');
    expect(hex(encodeFieldConfig(defaultFieldConfig()))).toBe('1a05' + hex(Buffer.from('Arial')) + '2014');
  });

  it('default filtered deck matches Deck::new_filtered', () => {
    const f = defaultFilteredDeck();
    expect(f.searchTerms).toEqual([
      { search: '', limit: 100, order: FilteredSearchOrder.Random },
      { search: '', limit: 20, order: FilteredSearchOrder.Due },
    ]);
    // fields in tag order: 1 reschedule, 2 terms, 5 hard, 7 again
    expect(hex(encodeFilteredDeck(f))).toBe('0801 1204 10641801 1204 10141806 28d804 383c'.replace(/ /g, ''));
  });

  it('optional fields are written when zero, implicit ones are not', () => {
    expect(hex(encodeFieldConfig({ ...defaultFieldConfig(), fontName: '', fontSize: 0, tag: 0 }))).toBe('5000');
    expect(hex(encodeFieldConfig({ ...defaultFieldConfig(), fontName: '', fontSize: 0, id: 0n }))).toBe('4800');
    expect(hex(encodeDeckKind({ normal: { ...defaultNormalDeck(), configId: 0n } }))).toBe('0a00');
    expect(hex(encodeDeckKind({ normal: { ...defaultNormalDeck(), newLimit: 0 } }))).toBe('0a04 0801 3800'.replace(/ /g, ''));
    expect(hex(encodeDeckKind({ normal: { ...defaultNormalDeck(), newLimitToday: { limit: 0, today: 0 } } }))).toBe(
      '0a0408014a00',
    );
    const dk = decodeDeckKind(bytes('0a0408014a00'));
    expect(dk.normal!.newLimitToday).toEqual({ limit: 0, today: 0 });
    expect(dk.normal!.reviewLimitToday).toBeUndefined();
    expect(hex(encodeDeckKind({ normal: { ...defaultNormalDeck(), desiredRetention: 0 } }))).toBe('0a07080155' + '00000000');
    // negative int64 ids use 10 bytes
    const neg = encodeFieldConfig({ ...defaultFieldConfig(), fontName: '', fontSize: 0, id: -1n });
    expect(hex(neg)).toBe('48ffffffffffffffffff01');
    expect(decodeFieldConfig(neg).id).toBe(-1n);
  });

  it('repeated numerics: packed on write, unpacked accepted on read', () => {
    const packed = encodeDeckConfigConfig({ ...decodeDeckConfigConfig(new Uint8Array()), learnSteps: [1, 10] });
    expect(hex(packed)).toBe('0a080000803f00002041');
    const unpacked = bytes('0d0000803f 0d00002041');
    expect(decodeDeckConfigConfig(unpacked).learnSteps).toEqual([1, 10]);
    // mixed: packed then unpacked append
    expect(decodeDeckConfigConfig(bytes('0a040000803f 0d00002041')).learnSteps).toEqual([1, 10]);
  });

  it('unknown fields are kept and re-emitted in tag order (where prost would have put them)', () => {
    // a field config as a future Anki might write it: known 3, 4, unknown 12, known 255, unknown 300
    const future = bytes('1a05' + hex(Buffer.from('Arial')) + '2014' + '6007' + 'fa0f027b7d' + 'e0120a');
    const c = decodeFieldConfig(future);
    expect(c.unknown).toEqual([
      { no: 12, wireType: 0, data: bytes('07') },
      { no: 300, wireType: 0, data: bytes('0a') },
    ]);
    expect(new TextDecoder().decode(c.other)).toBe('{}');
    expect(hex(encodeFieldConfig(c))).toBe(hex(future));
    // unknown length-delimited and fixed32 inside a nested message
    const kind = bytes('0a0e 0801 7205 68656c6c6f 7d0000803f');
    const k = decodeDeckKind(kind);
    expect(k.normal!.unknown!.map((u) => u.no)).toEqual([14, 15]);
    expect(hex(encodeDeckKind(k))).toBe(hex(kind));
  });

  it('oneof: the last member wins; repeated singular messages merge', () => {
    const k = decodeDeckKind(bytes('0a020801 1202 0801'));
    expect(k.normal).toBeUndefined();
    expect(k.filtered!.reschedule).toBe(true);
    const merged = decodeDeckKind(bytes('0a020802 0a021001'));
    expect(merged.normal!.configId).toBe(2n);
    expect(merged.normal!.extendNew).toBe(1);
  });

  it('floats are 32-bit', () => {
    const f = decodeFilteredDeck(encodeFilteredDeck({ ...defaultFilteredDeck(), delays: [0.1] }));
    expect(f.delays).toEqual([Math.fround(0.1)]);
  });

  it('randomConfigId gives signed 64-bit bigints', () => {
    const ids = new Set(Array.from({ length: 50 }, randomConfigId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id >= -(2n ** 63n) && id < 2n ** 63n).toBe(true);
  });
});
