import { request as httpRequest, Agent, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_BODY_LIMIT } from './body';
import { createDispatcher } from './dispatcher';
import { startAnkiConnectServer, type AnkiConnectServer, type AnkiConnectServerOptions } from './server';
import { ActionRegistry, MISC_ACTIONS, defineAction } from './actions';

// ---- helpers

interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP exchange, for what fetch cannot do (Host header, byte-exact bodies). */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string | number>; body?: string | Buffer; agent?: Agent } = {},
): Promise<RawReply & { reusedSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: opts.method ?? 'POST', headers: opts.headers, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), reusedSocket: req.reusedSocket }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const servers: AnkiConnectServer[] = [];
async function start(options: Partial<AnkiConnectServerOptions> = {}): Promise<AnkiConnectServer> {
  const server = await startAnkiConnectServer({
    host: '127.0.0.1',
    port: 0,
    dispatcher: createDispatcher({ registry: testRegistry() }),
    ...options,
  });
  servers.push(server);
  return server;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function testRegistry(): ActionRegistry {
  return new ActionRegistry(MISC_ACTIONS).add(
    defineAction('deckNames', z.object({}), () => ['Default']),
    defineAction('cardsInfo', z.object({ cards: z.array(z.number().int()) }), ({ cards }) => cards.map((cardId) => ({ cardId }))),
    defineAction('crash', z.object({}), () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    }),
    defineAction('echoLength', z.object({ data: z.string() }), ({ data }) => data.length),
    defineAction('unicode', z.object({}), () => ({ text: 'héllo 日本 😀', big: 9176047152973362695n })),
  );
}

function ipv6LoopbackAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}

// ---- tests

let s: AnkiConnectServer;
beforeAll(async () => {
  s = await start();
});

describe('banner and envelope', () => {
  it('answers GET / (and any empty body) with the version banner', async () => {
    const get = await raw(s.url, { method: 'GET' });
    expect(get.status).toBe(200);
    expect(get.body).toBe('{"apiVersion": "AnkiConnect v.6"}');
    expect(get.headers['content-type']).toBe('application/json');
    expect(get.headers['access-control-allow-origin']).toBe('http://localhost');
    expect(get.headers['access-control-allow-headers']).toBe('*');
    const emptyPost = await raw(`${s.url}/any/path?key=x`, { method: 'POST', body: '' });
    expect(emptyPost.body).toBe('{"apiVersion": "AnkiConnect v.6"}');
    // only a 0-byte body is the banner; whitespace is a JSON error
    expect(JSON.parse((await raw(s.url, { body: '\n' })).body)).toEqual({
      result: null,
      error: 'Expecting value: line 2 column 1 (char 1)',
    });
  });

  it('gives bare results for version <= 4 and envelopes from 5', async () => {
    expect((await post(s.url, { action: 'version' })).json).toBe(6);
    expect((await post(s.url, { action: 'version', version: 2 })).json).toBe(6);
    expect((await post(s.url, { action: 'deckNames', version: 4 })).json).toEqual(['Default']);
    expect((await post(s.url, { action: 'deckNames', version: 6 })).json).toEqual({ result: ['Default'], error: null });
    // errors are {result, error} even for version 4
    expect((await post(s.url, { action: 'nope', version: 4 })).json).toEqual({ result: null, error: 'unsupported action' });
  });

  it('answers multi with mixed versions and failing sub-actions like the README sample', async () => {
    const reply = await post(s.url, {
      action: 'multi',
      version: 6,
      params: {
        actions: [
          { action: 'deckNames' },
          { action: 'deckNames', version: 6 },
          { action: 'invalidAction', params: { useless: 'param' } },
          { action: 'invalidAction', params: { useless: 'param' }, version: 6 },
          { action: 'cardsInfo', version: 6, params: { cards: ['x'] } },
        ],
      },
    });
    expect(reply.json).toEqual({
      result: [
        ['Default'],
        { result: ['Default'], error: null },
        { result: null, error: 'unsupported action' },
        { result: null, error: 'unsupported action' },
        { result: null, error: 'cardsInfo: parameter "cards[0]" must be a number, not the string "x"' },
      ],
      error: null,
    });
  });

  it('escapes non-ASCII like Python and writes 64-bit ids exactly', async () => {
    const r = await raw(s.url, { body: JSON.stringify({ action: 'unicode', version: 6 }) });
    expect(r.body).toBe('{"result":{"text":"h\\u00e9llo \\u65e5\\u672c \\ud83d\\ude00","big":9176047152973362695},"error":null}');
    expect(JSON.parse(r.body).result.text).toBe('héllo 日本 😀');
  });
});

describe('malformed requests (HTTP 200 + Python error texts)', () => {
  const cases: [string | Buffer, string][] = [
    ['{1: 2}', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
    [Buffer.from([0xe7, 0x8c]), "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data"],
    ['1.2', "1.2 is not of type 'object'"],
    ['{}', "'action' is a required property"],
    ['{"action": 1}', "1 is not of type 'string'"],
    ['{"action": ""}', "'' should be non-empty"],
    ['{"action": "version", "params": null}', "None is not of type 'object'"],
    ['{"action": "version", "version": "6"}', "'6' is not of type 'integer'"],
    ['{"action": "nope", "version": 6}', 'unsupported action'],
    ['{"action": "addNote", "version": 6, "params": {"bad": "request"}}', 'unsupported action'],
    ['{"action": "multi", "version": 6, "params": {"bad": "request"}}', "AnkiConnect.multi() got an unexpected keyword argument 'bad'"],
    ['{"action": "cardsInfo", "version": 6, "params": {"cards": "1,2"}}', 'cardsInfo: parameter "cards" must be an array, not the string "1,2"'],
    ['{"action": "multi", "version": 6, "params": {"actions": 5}}', 'multi: parameter "actions" must be an array, not the number 5'],
  ];
  it.each(cases)('%s', async (body, error) => {
    const r = await raw(s.url, { body });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ result: null, error });
  });

  it('survives a crashing handler', async () => {
    expect((await post(s.url, { action: 'crash', version: 6 })).json).toEqual({
      result: null,
      error: "Cannot read properties of undefined (reading 'x')",
    });
    expect((await post(s.url, { action: 'version' })).json).toBe(6);
  });

  it('survives a client that disappears mid-body', async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest(s.url, { method: 'POST', headers: { 'Content-Length': 1000 }, agent: false });
      req.on('error', () => resolve());
      req.write('{"action": "ver');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 20);
    });
    expect((await post(s.url, { action: 'version' })).json).toBe(6);
  });
});

describe('api key', () => {
  it("refuses a missing or wrong key with AnkiConnect's text, except for requestPermission", async () => {
    const keyed = await start({ apiKey: 's3cret' });
    const denied = { result: null, error: 'valid api key must be provided' };
    expect((await post(keyed.url, { action: 'version', version: 6 })).json).toEqual(denied);
    expect((await post(keyed.url, { action: 'version', version: 6, key: 'nope' })).json).toEqual(denied);
    expect((await post(keyed.url, { action: 'version', version: 6, key: 's3cret' })).json).toEqual({ result: 6, error: null });
    expect((await post(keyed.url, { action: 'requestPermission', version: 6 })).json).toEqual({
      result: { permission: 'granted', requireApikey: true, version: 6 },
      error: null,
    });
    // multi: every sub-action needs its own key
    expect(
      (await post(keyed.url, { action: 'multi', version: 6, key: 's3cret', params: { actions: [{ action: 'version' }, { action: 'version', key: 's3cret' }] } }))
        .json,
    ).toEqual({ result: [denied, 6], error: null });
  });

  it('reads a key function per request', async () => {
    let key: string | null = null;
    const live = await start({ apiKey: () => key });
    expect((await post(live.url, { action: 'version' })).json).toBe(6);
    key = 'k';
    expect((await post(live.url, { action: 'version' })).json).toEqual({ result: null, error: 'valid api key must be provided' });
    expect((await post(live.url, { action: 'version', key: 'k' })).json).toBe(6);
  });
});

describe('CORS', () => {
  it('trusts extension and 127.0.0.1 origins by default and echoes them', async () => {
    for (const origin of ['chrome-extension://abcdef', 'moz-extension://x-y', 'http://127.0.0.1:3000', 'http://localhost']) {
      const r = await raw(s.url, { headers: { Origin: origin }, body: JSON.stringify({ action: 'version', version: 6 }) });
      expect(r.status, origin).toBe(200);
      expect(r.headers['access-control-allow-origin']).toBe(origin);
    }
  });

  it('answers other origins with 403, except requestPermission', async () => {
    for (const origin of ['https://evil.example', 'http://localhost:3000', 'app://obsidian.md', 'null']) {
      const r = await raw(s.url, { headers: { Origin: origin }, body: JSON.stringify({ action: 'version', version: 6 }) });
      expect(r.status, origin).toBe(403);
      expect(r.headers['access-control-allow-origin']).toBe('http://localhost');
      expect(r.headers['access-control-allow-headers']).toBe('*');
    }
    // malformed bodies from untrusted origins are 403 too
    expect((await raw(s.url, { headers: { Origin: 'foo' }, body: '{1: 2}' })).status).toBe(403);
    expect((await raw(s.url, { headers: { Origin: 'foo' }, method: 'GET' })).status).toBe(403);

    const perm = await raw(s.url, { headers: { Origin: 'https://evil.example' }, body: JSON.stringify({ action: 'requestPermission', version: 6 }) });
    expect(perm.status).toBe(200);
    expect(perm.headers['access-control-allow-origin']).toBe('https://evil.example');
    expect(JSON.parse(perm.body)).toEqual({ result: { permission: 'denied' }, error: null });
    // extra params for requestPermission are refused as unexpected keywords
    const extra = await raw(s.url, { body: JSON.stringify({ action: 'requestPermission', version: 6, params: { foo: 1 } }) });
    expect(JSON.parse(extra.body)).toEqual({ result: null, error: "AnkiConnect.requestPermission() got an unexpected keyword argument 'foo'" });
  });

  it('answers preflights, including Private Network Access', async () => {
    const pre = await raw(s.url, {
      method: 'OPTIONS',
      headers: {
        Origin: 'chrome-extension://abc',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
        'Access-Control-Request-Private-Network': 'true',
      },
    });
    expect(pre.status).toBe(200);
    expect(pre.body).toBe('');
    expect(pre.headers['content-length']).toBe('0');
    expect(pre.headers['access-control-allow-origin']).toBe('chrome-extension://abc');
    expect(pre.headers['access-control-allow-headers']).toBe('*');
    expect(pre.headers['access-control-allow-private-network']).toBe('true');
    const plain = await raw(s.url, { method: 'OPTIONS', headers: { Origin: 'chrome-extension://abc' } });
    expect(plain.headers['access-control-allow-private-network']).toBeUndefined();
    // an untrusted page's preflight passes (so it can call requestPermission); its POSTs still get 403
    const untrusted = await raw(s.url, { method: 'OPTIONS', headers: { Origin: 'https://site.example' } });
    expect(untrusted.headers['access-control-allow-origin']).toBe('https://site.example');
  });

  it('honours "*" and a user-edited trusted list', async () => {
    const star = await start({ trustedOrigins: ['*'] });
    const r = await raw(star.url, { headers: { Origin: 'https://any.example' }, body: JSON.stringify({ action: 'version', version: 6 }) });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('*');

    const changes: unknown[] = [];
    const custom = await start({ trustedOrigins: ['app://obsidian.md'], onOriginListsChanged: (l) => changes.push(l) });
    const ok = await raw(custom.url, { headers: { Origin: 'app://obsidian.md' }, body: JSON.stringify({ action: 'version' }) });
    expect(ok.status).toBe(200);
    // without http://localhost in the list, extension origins are no longer implied
    const ext = await raw(custom.url, { headers: { Origin: 'chrome-extension://abc' }, body: JSON.stringify({ action: 'version' }) });
    expect(ext.status).toBe(403);
    custom.originPolicy.trust('chrome-extension://abc');
    expect(changes).toHaveLength(1);
    const ext2 = await raw(custom.url, { headers: { Origin: 'chrome-extension://abc' }, body: JSON.stringify({ action: 'version' }) });
    expect(ext2.status).toBe(200);
  });
});

describe('Host header check (DNS rebinding)', () => {
  it('accepts loopback names and the bind address, rejects others with 403', async () => {
    const port = s.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`, `LOCALHOST.:${port}`, `app.localhost:${port}`]) {
      const r = await raw(s.url, { headers: { Host: host }, body: JSON.stringify({ action: 'version' }) });
      expect(r.status, host).toBe(200);
    }
    for (const host of [`evil.example:${port}`, 'rebind.attacker.test', `192.168.1.10:${port}`]) {
      const r = await raw(s.url, { headers: { Host: host }, body: JSON.stringify({ action: 'version' }) });
      expect(r.status, host).toBe(403);
      expect(JSON.parse(r.body).error).toContain('DNS-rebinding protection');
    }
  });

  it('accepts configured extra host names', async () => {
    const lan = await start({ allowedHosts: ['my-desktop.lan'] });
    const r = await raw(lan.url, { headers: { Host: `my-desktop.lan:${lan.port}` }, body: JSON.stringify({ action: 'version' }) });
    expect(r.status).toBe(200);
  });
});

describe('bodies', () => {
  it('defaults to a 256 MiB limit and refuses a larger declared body at once', async () => {
    expect(DEFAULT_BODY_LIMIT).toBe(256 * 1024 * 1024);
    const reply = await new Promise<RawReply>((resolve, reject) => {
      const req = httpRequest(s.url, { method: 'POST', headers: { 'Content-Length': 300 * 1024 * 1024 }, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() });
        });
      });
      req.on('error', reject);
      req.write('{"action": "storeMediaFile", "params": {"data": "');
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({
      result: null,
      error: "request body too large: 300 MiB exceeds the limit of 256 MiB (the AnkiConnect body limit in Deckhand's settings)",
    });
  });

  it('enforces a configured limit on streamed (chunked) bodies and keeps serving', async () => {
    const small = await start({ bodyLimit: 1024 * 1024 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const big = JSON.stringify({ action: 'echoLength', params: { data: 'x'.repeat(2 * 1024 * 1024) } });
    const r = await raw(small.url, { body: big, headers: { 'Transfer-Encoding': 'chunked' }, agent });
    expect(JSON.parse(r.body)).toEqual({
      result: null,
      error: "request body too large: more than 1 MiB exceeds the limit of 1 MiB (the AnkiConnect body limit in Deckhand's settings)",
    });
    const after = await raw(small.url, { body: JSON.stringify({ action: 'version' }), agent });
    expect(after.body).toBe('6');
    agent.destroy();
  });

  it('takes real media-sized bodies, parsing them off the main thread', async () => {
    const worker = await start({ offThreadParseBytes: 1024 });
    const data = Buffer.alloc(24 * 1024 * 1024, 7).toString('base64');
    const ok = await post(worker.url, { action: 'echoLength', version: 6, params: { data } });
    expect(ok.json).toEqual({ result: data.length, error: null });
    // malformed large bodies still get Python's texts
    const bad = await raw(worker.url, { body: `{"action": "echoLength", "params": {"data": "${'a'.repeat(4096)}"}` });
    expect(JSON.parse(bad.body)).toEqual({ result: null, error: "Expecting ',' delimiter: line 1 column 4144 (char 4143)" });
    const badUtf8 = await raw(worker.url, { body: Buffer.concat([Buffer.from('{"action": "'), Buffer.alloc(2048, 0x41), Buffer.from([0xff])]) });
    expect(JSON.parse(badUtf8.body).error).toBe("'utf-8' codec can't decode byte 0xff in position 2060: invalid start byte");
  });

  it('keeps connections alive', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await raw(s.url, { body: JSON.stringify({ action: 'version' }), agent });
    const second = await raw(s.url, { body: JSON.stringify({ action: 'version' }), agent });
    expect(first.headers.connection).toBe('keep-alive');
    expect(second.reusedSocket).toBe(true);
    agent.destroy();
  });
});

describe('concurrency', () => {
  it('serves 50 concurrent clients', async () => {
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(s.url, {
          action: 'multi',
          version: 6,
          params: { actions: [{ action: 'version' }, { action: 'cardsInfo', version: 6, params: { cards: [i] } }] },
        }),
      ),
    );
    replies.forEach((r, i) => {
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ result: [6, { result: [{ cardId: i }], error: null }], error: null });
    });
  });
});

describe('listening', () => {
  it('binds 127.0.0.1 and ::1 by default', async () => {
    const both = await start({ host: undefined });
    expect(both.urls[0]).toBe(`http://127.0.0.1:${both.port}`);
    if (await ipv6LoopbackAvailable()) expect(both.urls).toEqual([`http://127.0.0.1:${both.port}`, `http://[::1]:${both.port}`]);
    for (const url of both.urls) expect((await post(url, { action: 'version' })).json).toBe(6);
  });

  it('explains a port that is already taken', async () => {
    await expect(start({ port: s.port })).rejects.toThrow(/already in use/);
  });
});
