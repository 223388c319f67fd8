#!/usr/bin/env node
// The command line runs the TypeScript sources directly through tsx, so a checkout works
// right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`deckhand needs Node 22 or newer (this is ${process.version}); run it through npm (npx deckhand …), which puts the project's Node 22 first on PATH.`);
  process.exit(1);
}
register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
