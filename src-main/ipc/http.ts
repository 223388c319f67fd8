// The browser transport: the same contract as Electron IPC, over loopback HTTP, for `deckhand
// serve` and the Playwright e2e in plain Chromium.
//
//   POST /api/<channel>   JSON input → JSON Reply ({ok, value} | {ok: false, error})
//   GET  /api/events      Server-Sent Events: `changes`, `sync-status`, `progress`
//   GET  /media/<mediaToken>/<file>   the profile's media folder (flat; traversal refused)
//   GET  /…               the built renderer (`out/renderer`), with a strict CSP
//
// Security: binds loopback only; the Host header must name this server (DNS rebinding); the API
// and the event stream need the per-launch token — in the `x-deckhand-token` header, or in an
// HttpOnly SameSite=Strict cookie that `GET /?token=…` sets (then redirects to `/`, so the token
// leaves the address bar). Cookie-authenticated API calls must also be same-origin JSON, which a
// cross-site page cannot send without a CORS preflight, and preflights are never granted. Media
// URLs carry a separate token that only grants reading media (card frames have an opaque origin
// and send no cookies).

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { readBody } from '../ankiconnect/body';
import { createHostCheck, isLoopbackHost } from '../ankiconnect/host-check';
import { EVENT_NAMES, type EventName, isChannel, type Reply, TRANSPORT_ERRORS } from './contract';
import { createInvoker, errorReply, type EventHub, type HandlerMap, type Invoker } from './invoker';
import { COMMON_HEADERS, mediaHeaders, resolveMediaFile, resolveStaticFile, staticHeaders } from './web-files';

export interface BrowserTransportOptions {
  /** The handlers to serve (or pass a ready `invoker`). */
  handlers?: HandlerMap;
  invoker?: Invoker;
  /** Events pushed to `/api/events` subscribers. */
  events?: EventHub;
  /** Loopback address to bind (default 127.0.0.1); anything else is refused. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The per-launch secret the API needs. */
  token: string;
  /** The built renderer (`out/renderer`); without it only the API is served. */
  staticDir?: string | null;
  /** The profile's media folder, served under `/media/<mediaToken>/`. */
  mediaDir?: string | null;
  mediaToken?: string;
  /** Largest API request body (default 200 MiB: media uploads travel as base64). */
  bodyLimit?: number;
  /** SSE keep-alive comment interval (default 15 s). */
  heartbeatMs?: number;
  onError?: (where: string, error: unknown) => void;
}

export interface BrowserTransport {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The URL to open in a browser: carries the token once, which the server swaps for a cookie. */
  readonly openUrl: string;
  readonly port: number;
  close(): Promise<void>;
}

export const TOKEN_HEADER = 'x-deckhand-token';
export const CLIENT_HEADER = 'x-deckhand-client';
const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const newToken = (): string => randomBytes(32).toString('base64url');

const digest = (s: string) => createHash('sha256').update(s).digest();
function sameSecret(given: string | undefined | null, secret: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  return timingSafeEqual(digest(given), digest(secret));
}

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'cache-control': 'no-store', 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

function sendReply(res: ServerResponse, status: number, reply: Reply): void {
  send(res, status, JSON.stringify(reply), { 'content-type': 'application/json; charset=utf-8' });
}

export async function startBrowserTransport(opts: BrowserTransportOptions): Promise<BrowserTransport> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) || host === 'localhost') throw new Error(`the browser UI binds a loopback address only (127.0.0.1 or ::1), not “${host}”`);
  if (!opts.token || opts.token.length < 16) throw new Error('the browser transport needs a token of at least 16 characters');
  const invoker = opts.invoker ?? createInvoker(opts.handlers ?? {}, { onError: opts.onError });
  const bodyLimit = opts.bodyLimit ?? 200 * 1024 * 1024;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const hostAllowed = createHostCheck({ bindAddresses: [host] });
  const streams = new Set<ServerResponse>();
  let cookieName = 'deckhand_token';

  const authorised = (req: IncomingMessage, url: URL, allowQuery: boolean): 'header' | 'cookie' | 'query' | null => {
    const header = req.headers[TOKEN_HEADER];
    if (sameSecret(Array.isArray(header) ? header[0] : header, opts.token)) return 'header';
    if (sameSecret(parseCookies(req.headers.cookie).get(cookieName), opts.token)) return 'cookie';
    if (allowQuery && sameSecret(url.searchParams.get('token'), opts.token)) return 'query';
    return null;
  };

  /** A cookie-authenticated call must come from our own page: same origin, JSON body. */
  const sameOriginRequest = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host}`) return false;
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none';
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, channel: string): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'use POST', { allow: 'POST' });
    const auth = authorised(req, url, false);
    if (!auth) return sendReply(res, 401, errorReply('unauthorized', 'this request lacks the Deckhand token; open the URL `deckhand serve` printed'));
    if (auth === 'cookie' && !sameOriginRequest(req)) return sendReply(res, 403, errorReply('forbidden', 'cross-origin requests are refused'));
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return sendReply(res, 415, errorReply('invalid-input', 'send the input as application/json'));
    if (!isChannel(channel)) return sendReply(res, 404, errorReply(TRANSPORT_ERRORS.unknownChannel, `unknown channel “${channel}”`));
    const body = await readBody(req, bodyLimit);
    if (!body.ok) return sendReply(res, 413, errorReply('invalid-input', `the request is larger than ${Math.round(bodyLimit / 1024 / 1024)} MiB`));
    let input: unknown = {};
    if (body.bytes.length) {
      try {
        input = JSON.parse(body.bytes.toString('utf8'));
      } catch (e) {
        return sendReply(res, 400, errorReply('invalid-input', `the body is not JSON: ${(e as Error).message}`));
      }
    }
    const client = req.headers[CLIENT_HEADER];
    const origin = typeof client === 'string' && CLIENT_ID.test(client) ? `http:${client}` : null;
    sendReply(res, 200, await invoker.invoke(channel, input, origin));
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET') return send(res, 405, 'use GET', { allow: 'GET' });
    const auth = authorised(req, url, true);
    if (!auth) return send(res, 401, 'unauthorized');
    if (auth === 'cookie' && !sameOriginRequest(req)) return send(res, 403, 'cross-origin requests are refused');
    const client = url.searchParams.get('client');
    const self = client && CLIENT_ID.test(client) ? `http:${client}` : null;
    const only = url.searchParams.getAll('event').filter((e): e is EventName => (EVENT_NAMES as string[]).includes(e));
    res.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    const unsubscribe =
      opts.events?.subscribe((event, payload) => {
        if (only.length && !only.includes(event)) return;
        // a window already refreshed from its own mutation's reply
        if (event === 'changes' && self && (payload as { origin: string | null }).origin === self) return;
        res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
      }, only) ?? (() => undefined);
    const beat = setInterval(() => res.write(': ping\n\n'), heartbeatMs);
    beat.unref();
    const done = () => {
      clearInterval(beat);
      unsubscribe();
      streams.delete(res);
    };
    req.once('close', done);
    res.once('close', done);
  }

  function handleMedia(req: IncomingMessage, res: ServerResponse, rest: string): void {
    const slash = rest.indexOf('/');
    const token = slash > 0 ? rest.slice(0, slash) : '';
    if (!opts.mediaDir || !opts.mediaToken || !sameSecret(token, opts.mediaToken)) return send(res, 404, 'not found');
    const file = resolveMediaFile(opts.mediaDir, rest.slice(slash + 1));
    if (!file) return send(res, 404, 'not found');
    streamFile(req, res, file, mediaHeaders(file));
  }

  function handleStatic(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (url.pathname === '/' && url.searchParams.has('token')) {
      // Swap the token in the address for a cookie, then drop it from the address bar.
      if (!sameSecret(url.searchParams.get('token'), opts.token)) return send(res, 401, 'this link is out of date: open the URL `deckhand serve` printed last');
      res.writeHead(303, {
        ...COMMON_HEADERS,
        'set-cookie': `${cookieName}=${opts.token}; Path=/; HttpOnly; SameSite=Strict`,
        location: '/',
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    if (!opts.staticDir) return send(res, 404, 'the UI is not built here (run `npm run build`); the API is served under /api/');
    const file = resolveStaticFile(opts.staticDir, url.pathname);
    if (!file) return send(res, 404, 'not found');
    streamFile(req, res, file, staticHeaders(url.pathname === '/' ? '/index.html' : url.pathname, file));
  }

  function streamFile(req: IncomingMessage, res: ServerResponse, file: string, headers: Record<string, string>): void {
    if (req.method === 'HEAD') {
      res.writeHead(200, headers);
      res.end();
      return;
    }
    if (headers['content-type'].startsWith('text/html')) {
      res.writeHead(200, headers);
      res.end(readFileSync(file));
      return;
    }
    const stream = createReadStream(file);
    stream.once('error', () => (res.headersSent ? res.destroy() : send(res, 500, 'cannot read the file')));
    stream.once('open', () => res.writeHead(200, headers));
    stream.pipe(res);
  }

  const server = createServer((req, res) => {
    const fail = (e: unknown) => {
      opts.onError?.('http', e);
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    };
    try {
      if (!hostAllowed(req.headers.host)) return send(res, 403, 'this server only answers requests addressed to 127.0.0.1 / localhost');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      if (path.startsWith('/api/')) {
        if (path === '/api/events') return handleEvents(req, res, url);
        handleApi(req, res, url, path.slice('/api/'.length)).catch(fail);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
      if (path.startsWith('/media/')) return handleMedia(req, res, path.slice('/media/'.length));
      handleStatic(req, res, url);
    } catch (e) {
      fail(e);
    }
  });
  server.keepAliveTimeout = 5_000;

  const port = await new Promise<number>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolveListen(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });
  // Cookies are shared by every port of a host: one name per server.
  cookieName = `deckhand_token_${port}`;
  const url = `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  return {
    url,
    openUrl: `${url}/?token=${encodeURIComponent(opts.token)}`,
    port,
    close: () =>
      new Promise<void>((done) => {
        for (const s of streams) s.end();
        streams.clear();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
