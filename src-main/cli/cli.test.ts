import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { expectCollectionPasses, tempDir } from '../collection/test-support/check';
import { main } from './main';

/** Runs the CLI in this process and captures what it prints. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('deckhand command line (in-process, no listener running)', () => {
  it('adds, finds, shows, updates and deletes notes, and the file passes the checker', async () => {
    const dir = tempDir();
    const common = ['--data-dir', dir, '--profile', 'Test'];
    expect((await cli('profiles', '--data-dir', dir)).out).toMatch(/no profiles yet/);
    const added = await cli('add', '--front', 'der Hund', '--back', 'the dog', '--deck', 'Default', '--tags', 'de nouns', '--json', ...common);
    expect(added.code).toBe(0);
    const { noteId } = JSON.parse(added.out) as { noteId: number };
    expect(noteId).toBeGreaterThan(0);
    const cloze = await cli('add-cloze', '--text', '{{c1::Paris}} is in {{c2::France}}', '--json', ...common);
    expect(cloze.code).toBe(0);
    expect(JSON.parse((await cli('find-notes', 'tag:nouns', '--json', ...common)).out)).toEqual([noteId]);
    expect(JSON.parse((await cli('find-cards', 'Paris', '--json', ...common)).out)).toHaveLength(2);
    await cli('update-note', String(noteId), '--field', 'Back=the hound', '--add-tags', 'animals', ...common);
    const shown = await cli('get-note', String(noteId), ...common);
    expect(shown.out).toContain('Back: the hound');
    expect(shown.out).toMatch(/tags: animals de nouns/);
    expect((await cli('delete', String(noteId), ...common)).out).toBe('deleted 1 note');
    expect(JSON.parse((await cli('find-notes', 'deck:*', '--json', ...common)).out)).toHaveLength(1);
    expect((await cli('profiles', '--data-dir', dir)).out).toBe('Test');
    expectCollectionPasses(join(dir, 'Test', 'collection.anki2'));
  });

  it('explains bad usage and bad searches clearly, with exit codes', async () => {
    const dir = tempDir();
    const bad = await cli('frobnicate');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown command/);
    const missing = await cli('add', '--data-dir', dir);
    expect(missing.code).toBe(2);
    const search = await cli('find-notes', '(unbalanced', '--data-dir', dir, '--profile', 'X');
    expect(search.code).toBe(1);
    expect(search.err).toMatch(/unbalanced|parenthes/i);
  });
});

describe('deckhand serve', () => {
  it('serves AnkiConnect, routes the CLI through it, and closes cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const bin = resolve(import.meta.dirname, '../../bin/deckhand.mjs');
    const child = spawn(process.execPath, [bin, 'serve', '--data-dir', dir, '--profile', 'Served', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const url = await new Promise<string>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`serve did not start: ${output}`)), 20_000);
      const poll = setInterval(() => {
        const m = /AnkiConnect listening on (\S+)/.exec(output);
        if (m) {
          clearInterval(poll);
          clearTimeout(t);
          res(m[1]);
        }
      }, 50);
    });
    const reply = await (await fetch(url, { method: 'POST', body: JSON.stringify({ action: 'version', version: 6 }) })).json();
    expect(reply).toEqual({ result: 6, error: null });
    // The collection is held by serve, so the CLI must go through the listener to add a note.
    const added = await cli('add', '--front', 'via listener', '--back', 'b', '--json', '--data-dir', dir, '--profile', 'Served');
    expect(added.code).toBe(0);
    const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(output).toMatch(/nothing lost/);
    const col = Collection.open(join(dir, 'Served', 'collection.anki2'));
    try {
      expect(col.storage.notes.count()).toBe(1);
    } finally {
      col.close();
    }
  });
});
