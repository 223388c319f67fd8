#!/usr/bin/env node
// Regenerates spec-params.json (the parameter facts of every AnkiConnect action) from the
// project spec `ankiconnect-actions.json`, for schemas.test.ts to check the hand-written table.
//   node src-main/ankiconnect/actions/spec/extract-spec-params.mjs [path/to/ankiconnect-actions.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import console from 'node:console';

const source = process.argv[2] ?? '/work/shared/spec/ankiconnect-actions.json';
const actions = JSON.parse(readFileSync(source, 'utf8'));
const out = {};
for (const a of actions) {
  out[a.action] = {
    category: a.category,
    documented: a.documented,
    params: Object.entries(a.params).map(([name, p]) => ({
      name,
      type: p.type,
      required: p.required,
      default: p.default,
    })),
  };
}
const target = join(import.meta.dirname, 'spec-params.json');
writeFileSync(target, JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${Object.keys(out).length} actions to ${target}`);
