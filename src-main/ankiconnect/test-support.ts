// Test helpers: a fresh profile in a temp folder, served over real HTTP on a free port.
import { request } from 'node:http';
import { join } from 'node:path';
import { tempDir } from '../collection/test-support/check';
import { openProfile, type OpenProfile } from '../host/open-profile';
import { ProfileManager } from '../profiles/profiles-service';
import type { AnkiConnectServices, GuiHooks } from './actions/registry';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { startAnkiConnectServer, type AnkiConnectServer, type AnkiConnectServerOptions } from './server';

export interface TestHost {
  dir: string;
  session: OpenProfile;
  services: AnkiConnectServices;
  dispatcher: Dispatcher;
  server: AnkiConnectServer;
  /** POSTs one request (version 6) and returns the parsed reply. */
  post(action: string, params?: unknown): Promise<{ result: unknown; error: string | null }>;
  /** Like post, but throws on an error reply and returns the result. */
  call<T = unknown>(action: string, params?: unknown): Promise<T>;
  /** Dispatches without HTTP. */
  dispatch(action: string, params?: unknown): Promise<{ result: unknown; error: string | null }>;
  close(): Promise<void>;
}

export interface TestHostOptions {
  gui?: GuiHooks;
  services?: Partial<AnkiConnectServices>;
  profile?: string;
  server?: Partial<Omit<AnkiConnectServerOptions, 'dispatcher'>>;
}

export async function startTestHost(opts: TestHostOptions = {}): Promise<TestHost> {
  const dir = tempDir('deckhand-ac-');
  const manager = new ProfileManager({ baseDir: join(dir, 'data') });
  const session = openProfile(manager, opts.profile ?? 'User 1');
  const services: AnkiConnectServices = {
    profiles: {
      list: () => manager.list().map((p) => p.name),
      active: () => session.name,
      load: (name) => name === session.name,
    },
    session: () => session,
    ...opts.services,
  };
  const dispatcher = createDispatcher({ services, gui: opts.gui });
  const server = await startAnkiConnectServer({ host: '127.0.0.1', port: 0, ...opts.server, dispatcher });
  const post = (action: string, params?: unknown) => postJson(server.url, { action, version: 6, ...(params === undefined ? {} : { params }) }) as Promise<{ result: unknown; error: string | null }>;
  return {
    dir,
    session,
    services,
    dispatcher,
    server,
    post,
    async call<T>(action: string, params?: unknown): Promise<T> {
      const r = await post(action, params);
      if (r.error !== null) throw new Error(r.error);
      return r.result as T;
    },
    dispatch: (action, params) => dispatcher.dispatch({ action, version: 6, ...(params === undefined ? {} : { params }) }) as Promise<{ result: unknown; error: string | null }>,
    async close() {
      await server.close();
      session.close();
    },
  };
}

/** POSTs a JSON body (or raw text) over a fresh connection and parses the reply. */
export function postJson(url: string, body: unknown, raw = false): Promise<unknown> {
  return postRaw(url, raw ? String(body) : JSON.stringify(body)).then((r) => JSON.parse(r.body));
}

export function postRaw(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface UpstreamSetup {
  deckId: number;
  note1: number;
  note2: number;
  note1Cards: number[];
  note2Cards: number[];
  cards: number[];
}

/** Upstream's test fixture: test_model (field1/field2, two templates, css "* {}"), test_deck, two notes. */
export async function setUpTestDeck(h: TestHost): Promise<UpstreamSetup> {
  await h.call('createModel', {
    modelName: 'test_model',
    inOrderFields: ['field1', 'field2'],
    cardTemplates: [
      { Front: '{{field1}}', Back: '{{field2}}' },
      { Front: '{{field2}}', Back: '{{field1}}' },
    ],
    css: '* {}',
  });
  const deckId = await h.call<number>('createDeck', { deck: 'test_deck' });
  const note1 = await h.call<number>('addNote', {
    note: { deckName: 'test_deck', modelName: 'test_model', fields: { field1: 'note1 field1', field2: 'note1 field2' }, tags: ['tag1'] },
  });
  const note2 = await h.call<number>('addNote', {
    note: { deckName: 'test_deck', modelName: 'test_model', fields: { field1: 'note2 field1', field2: 'note2 field2' }, tags: ['tag2'] },
  });
  return {
    deckId,
    note1,
    note2,
    note1Cards: await h.call<number[]>('findCards', { query: `nid:${note1}` }),
    note2Cards: await h.call<number[]>('findCards', { query: `nid:${note2}` }),
    cards: await h.call<number[]>('findCards', { query: 'deck:test_deck' }),
  };
}

export const basicNote = (front = 'front1', extra: Record<string, unknown> = {}) => ({
  deckName: 'test_deck',
  modelName: 'Basic',
  fields: { Front: front, Back: 'back1' },
  tags: ['tag1'],
  ...extra,
});
