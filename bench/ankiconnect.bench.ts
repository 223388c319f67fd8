// AnkiConnect over HTTP against the services called directly, in the same run:
//   - addNotes: 10,000 Basic notes in one request        (target: < 2 s; HTTP layer < 20 %)
//   - notesInfo for 1,000 notes
//   - findNotes on a 100,000-note collection (a selective query and one matching every note)
//   - 1,000 small requests over one keep-alive connection
// Run: npx tsx bench/ankiconnect.bench.ts
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createDispatcher } from '../src-main/ankiconnect/dispatcher';
import { startAnkiConnectServer, type AnkiConnectServer } from '../src-main/ankiconnect/server';
import { cardIdsByNote } from '../src-main/cards/cards-service';
import { openProfile, type OpenProfile } from '../src-main/host/open-profile';
import { addNoteInTx, addNotes, noteFieldsCheck, notesById } from '../src-main/notes/notes-service';
import { ProfileManager } from '../src-main/profiles/profiles-service';
import { findNotes, searchContextFromDb } from '../src-main/search/search-service';
import { benchDir, report } from './support';

// A full garbage collection before each timed call, so no side pays for another's garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Median ms of each function over `runs` rounds, the functions taking turns within a round (after
 * one warm-up round), so a busy machine slows both sides of a ratio alike. `collect`: a full GC
 * before each call (for the long runs, which leave a lot of garbage).
 */
async function interleaved(runs: number, fns: (() => unknown)[], collect = false): Promise<number[]> {
  const times: number[][] = fns.map(() => []);
  for (let r = 0; r <= runs; r++) {
    for (const [i, fn] of fns.entries()) {
      if (collect) gc();
      const start = performance.now();
      await fn();
      if (r > 0) times[i].push(performance.now() - start);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

interface Host {
  session: OpenProfile;
  server: AnkiConnectServer;
  agent: Agent;
  post(action: string, params: unknown): Promise<unknown>;
  /** The same request through the dispatcher, without HTTP or JSON. */
  dispatch(action: string, params: unknown): Promise<unknown>;
  close(): Promise<void>;
}

async function host(): Promise<Host> {
  const manager = new ProfileManager({ baseDir: join(benchDir(), 'data') });
  const session = openProfile(manager, 'Bench');
  const dispatcher = createDispatcher({ services: { session: () => session } });
  const server = await startAnkiConnectServer({ host: '127.0.0.1', port: 0, dispatcher });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = (action: string, params: unknown, via: Agent | false = agent) =>
    new Promise<unknown>((resolve, reject) => {
      const req = request(server.url, { method: 'POST', agent: via, headers: { 'content-type': 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { result: unknown; error: string | null };
          if (reply.error !== null) reject(new Error(reply.error));
          else resolve(reply.result);
        });
      });
      req.on('error', reject);
      req.end(JSON.stringify({ action, version: 6, params }));
    });
  // a long-lived listener has its body-parser thread running: start it, as the first large body would
  await post('version', { pad: 'x'.repeat(1_200_000) }, false).catch(() => undefined);
  return {
    session,
    server,
    agent,
    post,
    dispatch: (action, params) => dispatcher.dispatch({ action, version: 6, params }),
    async close() {
      agent.destroy();
      await server.close();
      session.close();
    },
  };
}

const basicId = (s: OpenProfile) => s.col.storage.notetypes.all().find((n) => n.name === 'Basic')!.id;
const spec = (i: number, tag = 'bench') => ({ deckName: 'Default', modelName: 'Basic', fields: { Front: `front ${i} <b>bold</b>`, Back: `back ${i}` }, tags: [tag] });

/** Fills a collection with n Basic notes through the service (10,000 per operation). */
function fill(s: OpenProfile, n: number): void {
  const nt = basicId(s);
  for (let start = 0; start < n; start += 10_000) {
    addNotes(
      s.col,
      Array.from({ length: Math.min(10_000, n - start) }, (_, k) => ({ notetypeId: nt, deckId: 1, fields: [`front ${start + k}`, `back ${start + k}`], tags: ['bench'] })),
    );
  }
}

async function benchAddNotes(): Promise<void> {
  const N = 10_000;
  const RUNS = 7;
  const notes = Array.from({ length: N }, (_, i) => spec(i));
  // a fresh collection for every run of every side
  const hosts: Host[] = [];
  const inProcess: Host[] = [];
  const plain: OpenProfile[] = [];
  const checked: OpenProfile[] = [];
  for (let i = 0; i <= RUNS; i++) {
    hosts.push(await host());
    inProcess.push(await host());
    plain.push(openProfile(new ProfileManager({ baseDir: join(benchDir(), 'data') }), 'Bench'));
    checked.push(openProfile(new ProfileManager({ baseDir: join(benchDir(), 'data') }), 'Bench'));
  }
  let a = 0;
  let b = 0;
  let c = 0;
  let e = 0;
  const [http, direct, withCheck, dispatched] = await interleaved(RUNS, [
    // HTTP: one addNotes request with 10,000 notes (client-side JSON included)
    async () => {
      const ids = (await hosts[a++].post('addNotes', { notes })) as number[];
      if (ids.length !== N) throw new Error('wrong count');
    },
    // the service: notes-service addNotes, one operation
    () => {
      const s = plain[b++];
      const nt = basicId(s);
      addNotes(s.col, notes.map((n) => ({ notetypeId: nt, deckId: 1, fields: [n.fields.Front, n.fields.Back], tags: n.tags })));
    },
    // the same plus the duplicate check AnkiConnect's addNotes makes for every note
    () => {
      const s = checked[c++];
      const nt = basicId(s);
      s.col.transact('Add Notes', (tx) => {
        for (const n of notes) {
          const fields = [n.fields.Front, n.fields.Back];
          if (noteFieldsCheck(tx, nt, fields) !== 'normal') throw new Error('unexpected duplicate');
          addNoteInTx(tx, { notetypeId: nt, deckId: 1, fields, tags: n.tags });
        }
      });
    },
    // the AnkiConnect handler in-process (dispatcher, no HTTP, no JSON)
    async () => {
      const reply = (await inProcess[e++].dispatch('addNotes', { notes })) as { result: number[] };
      if (reply.result.length !== N) throw new Error('wrong count');
    },
  ], true);
  for (const x of [...hosts, ...inProcess]) await x.close();
  for (const s of [...plain, ...checked]) s.close();
  report({ name: `addNotes ${N} notes, one HTTP request`, ms: http, baselineName: 'service addNotes', baselineMs: direct, target: '< 2000 ms' });
  report({ name: `addNotes ${N} notes, one HTTP request`, ms: http, baselineName: 'service + fields check', baselineMs: withCheck, target: '< 1.2x' });
  report({ name: `addNotes ${N} notes, one HTTP request`, ms: http, baselineName: 'handler in-process', baselineMs: dispatched, target: '< 1.2x' });
}

async function benchNotesInfo(): Promise<void> {
  const h = await host();
  fill(h.session, 10_000);
  const ids = h.session.col.storage.notes.allIds().slice(0, 1000);
  const col = h.session.col;
  const [http, dispatched, direct] = await interleaved(21, [
    async () => {
      const r = (await h.post('notesInfo', { notes: ids })) as unknown[];
      if (r.length !== 1000) throw new Error('wrong count');
    },
    async () => {
      const r = (await h.dispatch('notesInfo', { notes: ids })) as { result: unknown[] };
      if (r.result.length !== 1000) throw new Error('wrong count');
    },
    () => {
      const notes = notesById(col, ids);
      const cards = cardIdsByNote(col, ids);
      if (notes.size !== 1000 || cards.size !== 1000) throw new Error('wrong count');
    },
  ]);
  report({ name: 'notesInfo 1,000 notes', ms: http, baselineName: 'service reads', baselineMs: direct, target: '< 1.2x' });
  report({ name: 'notesInfo 1,000 notes', ms: http, baselineName: 'handler in-process', baselineMs: dispatched, target: '< 1.2x' });
  await h.close();
}

async function benchFindNotes(): Promise<void> {
  const h = await host();
  fill(h.session, 100_000);
  const col = h.session.col;
  for (const [label, query, expected] of [
    ['findNotes on 100,000 notes, selective', 'front:"front 1234*"', 11],
    ['findNotes on 100,000 notes, all match', 'deck:Default', 100_000],
  ] as const) {
    const [http, dispatched, direct] = await interleaved(21, [
      async () => {
        const r = (await h.post('findNotes', { query })) as number[];
        if (r.length !== expected) throw new Error(`wrong count ${r.length}`);
      },
      async () => {
        const r = (await h.dispatch('findNotes', { query })) as { result: number[] };
        if (r.result.length !== expected) throw new Error(`wrong count ${r.result.length}`);
      },
      () => {
        const r = findNotes(col.db, query, searchContextFromDb(col.db, col.nowSecs()));
        if (r.length !== expected) throw new Error(`wrong count ${r.length}`);
      },
    ]);
    report({ name: label, ms: http, baselineName: 'search service', baselineMs: direct, target: '< 1.2x' });
    report({ name: label, ms: http, baselineName: 'handler in-process', baselineMs: dispatched, target: '< 1.2x' });
  }
  await h.close();
}

async function benchSmallRequests(): Promise<void> {
  const h = await host();
  fill(h.session, 1000);
  const nt = basicId(h.session);
  const col = h.session.col;
  const check = { notes: [{ ...spec(5), options: { allowDuplicate: false, duplicateScope: 'collection' } }] };
  const [http, version, direct, dispatched] = await interleaved(3, [
    async () => {
      for (let i = 0; i < 1000; i++) await h.post('canAddNotesWithErrorDetail', check);
    },
    async () => {
      for (let i = 0; i < 1000; i++) await h.post('version', {});
    },
    () => {
      for (let i = 0; i < 1000; i++) noteFieldsCheck(col, nt, ['front 5 <b>bold</b>', 'back 5']);
    },
    async () => {
      for (let i = 0; i < 1000; i++) await h.dispatch('canAddNotesWithErrorDetail', check);
    },
  ]);
  report({ name: '1,000 canAddNotesWithErrorDetail, keep-alive', ms: http, baselineName: 'service fields check', baselineMs: direct });
  report({ name: '1,000 canAddNotesWithErrorDetail, keep-alive', ms: http, baselineName: 'handler in-process', baselineMs: dispatched });
  report({ name: '1,000 version requests, keep-alive', ms: version, baselineName: 'service fields check', baselineMs: direct });
  await h.close();
}

const only = process.argv[2];
if (!only || only === 'add') await benchAddNotes();
if (!only || only === 'info') await benchNotesInfo();
if (!only || only === 'find') await benchFindNotes();
if (!only || only === 'small') await benchSmallRequests();
