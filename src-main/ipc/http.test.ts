import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../collection/test-support/check';
import { openProfile, type OpenProfile } from '../host/open-profile';
import { ProfileManager } from '../profiles/profiles-service';
import { createHandlers } from './handlers';
import { type BrowserTransport, startBrowserTransport } from './http';
import { createInvoker, EventHub } from './invoker';

const TOKEN = 'test-token-0123456789abcdef';
const MEDIA_TOKEN = 'media-token-0123456789';
let session: OpenProfile;
let server: BrowserTransport;
let hub: EventHub;
let stop: () => void;
let staticDir: string;

beforeEach(async () => {
  const base = tempDir('deckhand-http-');
  session = openProfile(new ProfileManager({ baseDir: join(base, 'data') }), 'P');
  staticDir = join(base, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(staticDir, 'card-frame.html'), '<!doctype html><title>frame</title>');
  writeFileSync(join(staticDir, 'assets', 'x.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.txt'), 'secret');
  writeFileSync(join(session.info.mediaDir, 'cat one.jpg'), 'jpeg bytes');
  symlinkSync(join(base, 'secret.txt'), join(session.info.mediaDir, 'link.txt'));
  hub = new EventHub();
  stop = hub.forwardChanges(session.col);
  const invoker = createInvoker(createHandlers({ session, mediaBase: `/media/${MEDIA_TOKEN}/` }));
  server = await startBrowserTransport({ invoker, events: hub, token: TOKEN, staticDir, mediaDir: session.info.mediaDir, mediaToken: MEDIA_TOKEN, heartbeatMs: 50 });
});
afterEach(async () => {
  stop();
  await server.close();
  session.close();
});

/** A raw request (fetch cannot set Host or omit Origin as we need). */
function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
const api = (channel: string, input: unknown, headers: Record<string, string> = { 'x-deckhand-token': TOKEN }) =>
  raw(`/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(input) });

describe('the API', () => {
  it('answers with the token in a header', async () => {
    const r = await api('decks.add', { name: 'Via HTTP' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { name: 'Via HTTP', changes: { decks: true } } });
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('refuses missing or wrong tokens, other hosts, non-JSON and unknown channels', async () => {
    expect((await api('decks.tree', {}, {})).status).toBe(401);
    expect((await api('decks.tree', {}, { 'x-deckhand-token': 'wrong' })).status).toBe(401);
    expect((await api('decks.tree', {}, { 'x-deckhand-token': TOKEN, host: 'evil.example' })).status).toBe(403);
    const text = await raw('/api/decks.tree', { method: 'POST', headers: { 'x-deckhand-token': TOKEN, 'content-type': 'text/plain' }, body: '{}' });
    expect(text.status).toBe(415);
    const unknown = await api('nope.nope', {});
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('unknown-channel');
    expect((await raw('/api/decks.tree', { headers: { 'x-deckhand-token': TOKEN } })).status).toBe(405);
    const preflight = await raw('/api/decks.tree', { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('swaps the token in the address for an HttpOnly cookie, usable only from its own origin', async () => {
    const bad = await raw('/?token=nope');
    expect(bad.status).toBe(401);
    const r = await raw(`/?token=${TOKEN}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const cookie = String(r.headers['set-cookie']).split(';')[0];
    expect(String(r.headers['set-cookie'])).toMatch(new RegExp(`^deckhand_token_${server.port}=.*HttpOnly; SameSite=Strict`));
    expect((await api('decks.tree', {}, { cookie })).status).toBe(200);
    expect((await api('decks.tree', {}, { cookie, origin: server.url })).status).toBe(200);
    expect((await api('decks.tree', {}, { cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('decks.tree', {}, { cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // the cookie of a Deckhand on another port does not open this one
    expect((await api('decks.tree', {}, { cookie: `deckhand_token_1=${TOKEN}` })).status).toBe(401);
  });

  it('refuses to bind a non-loopback address', async () => {
    await expect(startBrowserTransport({ token: TOKEN, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});

describe('files', () => {
  it('serves the renderer with a strict CSP, and the card frame with its own', async () => {
    const index = await raw('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>app</title>');
    expect(index.headers['content-security-policy']).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
    const frame = await raw('/card-frame.html');
    expect(frame.headers['content-security-policy']).toMatch(/connect-src 'none'/);
    expect(frame.headers['content-security-policy']).toMatch(/script-src 'self' 'unsafe-inline'/);
    const asset = await raw('/assets/x.js');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
  });

  it('refuses path traversal out of the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/assets/..%5c..%5csecret.txt', '/%00index.html']) {
      const r = await raw(p);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('secret');
    }
  });

  it('serves media only with the media token, sandboxed, never outside the media folder', async () => {
    const ok = await raw(`/media/${MEDIA_TOKEN}/cat%20one.jpg`);
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('jpeg bytes');
    expect(ok.headers['content-type']).toBe('image/jpeg');
    expect(ok.headers['content-security-policy']).toMatch(/^sandbox/);
    expect((await raw('/media/wrong-token/cat%20one.jpg')).status).toBe(404);
    for (const p of ['..%2Fsecret.txt', '%2e%2e', 'link.txt', '..%5Csecret.txt', 'sub%2Fx']) {
      expect((await raw(`/media/${MEDIA_TOKEN}/${p}`)).status, p).toBe(404);
    }
  });
});

describe('events', () => {
  it('streams changes made by others, not those of the listening client', async () => {
    const received: string[] = [];
    const ctrl = new AbortController();
    const res = await fetch(`${server.url}/api/events?client=me`, { headers: { 'x-deckhand-token': TOKEN }, signal: ctrl.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const pump = (async () => {
      const dec = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        received.push(dec.decode(value));
      }
    })();
    await api('decks.add', { name: 'Mine' }, { 'x-deckhand-token': TOKEN, 'x-deckhand-client': 'me' });
    await api('decks.add', { name: 'Theirs' }, { 'x-deckhand-token': TOKEN, 'x-deckhand-client': 'other' });
    session.col.transact('From AnkiConnect', (tx) => tx.setConfig('k', 1));
    await new Promise((r) => setTimeout(r, 150));
    ctrl.abort();
    await pump;
    const text = received.join('');
    const events = text
      .split('\n\n')
      .filter((b) => b.startsWith('event: '))
      .map((b) => JSON.parse(b.split('\ndata: ')[1]));
    expect(events.map((e) => [e.op, e.origin])).toEqual([
      ['Add Deck', 'http:other'],
      ['From AnkiConnect', null],
    ]);
    expect(text).toContain(': ping');
  });

  it('needs the token', async () => {
    expect((await raw('/api/events')).status).toBe(401);
  });
});
