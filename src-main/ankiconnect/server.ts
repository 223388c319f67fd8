/**
 * The AnkiConnect HTTP listener (API version 6).
 *
 * Wire behaviour follows AnkiConnect's `web.py`:
 * - any path, any method; only OPTIONS is special (CORS preflight, with Private Network Access);
 * - an empty body answers the version banner `{"apiVersion": "AnkiConnect v.6"}`;
 * - malformed bodies get HTTP 200 with `{result: null, error}` carrying Python's error text;
 * - origins outside the trusted list get 403, except for `requestPermission`, which is always
 *   served and whose reply echoes the caller's origin;
 * - `requestPermission` gets `origin`/`allowed` injected into its params.
 *
 * Additions: binds 127.0.0.1 and ::1 (Node resolves `localhost` to ::1 first), keep-alive and
 * chunked bodies, a body limit (256 MiB by default) with a clear error, a Host-header check
 * against DNS rebinding, large bodies parsed off the main thread, and no request can take the
 * process down.
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { DEFAULT_BODY_LIMIT, DEFAULT_OFF_THREAD_PARSE_BYTES, JsonBodyParser, readBody } from './body';
import { OriginPolicy, type OriginLists } from './cors';
import { errorText, type AnkiConnectLogger, type Dispatcher } from './dispatcher';
import { createHostCheck, hostRejectedMessage, isWildcardAddress } from './host-check';
import { serializeReply, versionBanner } from './json-out';
import { pyRequestSchemaError } from './py-compat';

export const DEFAULT_PORT = 8765;
export const DEFAULT_HOSTS: readonly string[] = Object.freeze(['127.0.0.1', '::1']);

export interface AnkiConnectServerOptions {
  /** Bind address(es). Default: 127.0.0.1 and ::1 (::1 is skipped if it cannot be bound). */
  host?: string | readonly string[];
  /** TCP port (default 8765; 0 picks a free one). */
  port?: number;
  /** AnkiConnect's `apiKey`: when set, every request must carry it as `key`. A function is read per request. */
  apiKey?: string | null | (() => string | null);
  /** AnkiConnect's `webCorsOriginList` (default `["http://localhost"]`; `"*"` trusts every origin). */
  trustedOrigins?: readonly string[];
  /** AnkiConnect's `ignoreOriginList`. */
  ignoredOrigins?: readonly string[];
  /** Called when the lists change (permission granted, "ignore further requests"), to persist them. */
  onOriginListsChanged?: (lists: OriginLists) => void;
  /** A live policy object to share with a settings UI; overrides the three options above. */
  originPolicy?: OriginPolicy;
  /** Extra Host-header names to accept (loopback names and the bind addresses always are). */
  allowedHosts?: readonly string[];
  dispatcher: Dispatcher;
  /** Largest accepted body in bytes (default 256 MiB). */
  bodyLimit?: number;
  /** Bodies of at least this many bytes are parsed on a worker thread (default 1 MiB). */
  offThreadParseBytes?: number;
  /** Idle keep-alive connections are closed after this many ms (default 5000). */
  keepAliveTimeoutMs?: number;
  logger?: AnkiConnectLogger;
}

export interface AnkiConnectServer {
  /** e.g. `http://127.0.0.1:8765` */
  readonly url: string;
  /** One URL per bound address. */
  readonly urls: readonly string[];
  readonly port: number;
  /** The live origin lists (edit them from settings; changes apply to the next request). */
  readonly originPolicy: OriginPolicy;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json';

function urlHost(address: string): string {
  if (isWildcardAddress(address)) return isIP(address) === 6 ? '[::1]' : '127.0.0.1';
  return isIP(address) === 6 ? `[${address}]` : address;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  return `${n} bytes`;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, ipv6Only: isIP(host) === 6 });
  });
}

function listenError(e: unknown, host: string, port: number): Error {
  const code = (e as NodeJS.ErrnoException)?.code;
  const where = `${urlHost(host)}:${port}`;
  if (code === 'EADDRINUSE') {
    return new Error(
      `Failed to listen on ${where}: the port is already in use (is Anki with AnkiConnect running?). ` +
        `Close the other program or choose another port.`,
    );
  }
  if (code === 'EACCES') return new Error(`Failed to listen on ${where}: permission denied.`);
  if (code === 'EADDRNOTAVAIL') return new Error(`Failed to listen on ${where}: this machine has no such address.`);
  return new Error(`Failed to listen on ${where}: ${errorText(e)}`);
}

export async function startAnkiConnectServer(options: AnkiConnectServerOptions): Promise<AnkiConnectServer> {
  const explicitHosts = options.host === undefined ? null : typeof options.host === 'string' ? [options.host] : [...options.host];
  const hosts = explicitHosts ?? [...DEFAULT_HOSTS];
  if (hosts.length === 0) throw new Error('startAnkiConnectServer: no bind address given');
  const requestedPort = options.port ?? DEFAULT_PORT;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const dispatcher = options.dispatcher;
  const logger = options.logger;
  const policy =
    options.originPolicy ??
    new OriginPolicy({ trusted: options.trustedOrigins, ignored: options.ignoredOrigins, onChange: options.onOriginListsChanged });
  const apiKeyOption = options.apiKey;
  const currentApiKey = (): string | null => (typeof apiKeyOption === 'function' ? apiKeyOption() : (apiKeyOption ?? null));
  const parser = new JsonBodyParser(options.offThreadParseBytes ?? DEFAULT_OFF_THREAD_PARSE_BYTES);
  const banner = versionBanner(dispatcher.apiVersion);
  let hostOk: (host: string | undefined) => boolean = () => false;

  // ---- replies

  function send(res: ServerResponse, status: number, body: string, headers: OutgoingHttpHeaders): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  function corsHeaders(corsOrigin: string): OutgoingHttpHeaders {
    return {
      'Content-Type': JSON_TYPE,
      'Access-Control-Allow-Origin': corsOrigin,
      'Access-Control-Allow-Headers': '*',
      Vary: 'Origin',
    };
  }

  function sendJson(res: ServerResponse, body: string, corsOrigin: string): void {
    send(res, 200, body, corsHeaders(corsOrigin));
  }

  function sendError(res: ServerResponse, message: string, corsOrigin: string): void {
    sendJson(res, serializeReply({ result: null, error: message }), corsOrigin);
  }

  function forbidden(res: ServerResponse, corsOrigin: string, origin: string | undefined): void {
    const message =
      `origin ${JSON.stringify(origin ?? '')} is not allowed to use AnkiConnect: ` +
      `call requestPermission, or add it to the trusted origins in Deckhand's AnkiConnect settings`;
    send(res, 403, serializeReply({ result: null, error: message }), corsHeaders(corsOrigin));
  }

  // ---- one request

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostHeader = req.headers.host;
    if (!hostOk(hostHeader)) {
      req.resume();
      send(res, 403, serializeReply({ result: null, error: hostRejectedMessage(hostHeader ?? '') }), { 'Content-Type': JSON_TYPE });
      return;
    }

    const originHeader = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const { allowed, corsOrigin } = policy.decide(originHeader);

    if (req.method === 'OPTIONS') {
      req.resume();
      // Unlike AnkiConnect, the preflight names any caller's origin, so a page can reach
      // requestPermission with a JSON body; every other action still gets 403 on the POST.
      const headers: OutgoingHttpHeaders = corsHeaders(corsOrigin === '*' ? '*' : (originHeader ?? corsOrigin));
      if (req.headers['access-control-request-private-network'] === 'true') headers['Access-Control-Allow-Private-Network'] = 'true';
      send(res, 200, '', headers);
      return;
    }

    const body = await readBody(req, bodyLimit);
    if (!body.ok) {
      if (!allowed) return forbidden(res, corsOrigin, originHeader);
      const size = body.declared ?? body.received;
      return sendError(
        res,
        `request body too large: ${body.declared !== undefined ? `${formatBytes(size)}` : `more than ${formatBytes(bodyLimit)}`} ` +
          `exceeds the limit of ${formatBytes(bodyLimit)} (the AnkiConnect body limit in Deckhand's settings)`,
        corsOrigin,
      );
    }
    if (body.bytes.length === 0) {
      if (!allowed) return forbidden(res, corsOrigin, originHeader);
      return sendJson(res, banner, corsOrigin);
    }

    const parsed = await parser.parse(body.bytes);
    if (!parsed.ok) {
      if (!allowed) return forbidden(res, corsOrigin, originHeader);
      return sendError(res, parsed.error, corsOrigin);
    }
    const schemaError = pyRequestSchemaError(parsed.value);
    if (schemaError) {
      if (!allowed) return forbidden(res, corsOrigin, originHeader);
      return sendError(res, schemaError, corsOrigin);
    }

    const request = parsed.value as Record<string, unknown>;
    let replyOrigin = corsOrigin;
    if (request.action === 'requestPermission') {
      const params = (request.params ?? {}) as Record<string, unknown>;
      request.params = { ...params, allowed, origin: originHeader ?? '' };
      if (!allowed) replyOrigin = originHeader ?? '';
    } else if (!allowed) {
      return forbidden(res, corsOrigin, originHeader);
    }

    const reply = await dispatcher.dispatch(request, {
      origin: originHeader ?? '',
      allowed,
      apiKey: currentApiKey(),
      originPolicy: policy,
    });
    let text: string;
    try {
      text = serializeReply(reply);
    } catch (e) {
      logger?.error?.('AnkiConnect: could not encode a reply', e);
      text = serializeReply({ result: null, error: `could not encode the reply: ${errorText(e)}` });
    }
    sendJson(res, text, replyOrigin);
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    handle(req, res).catch((e: unknown) => {
      logger?.error?.('AnkiConnect: request failed', e);
      try {
        if (!res.headersSent) sendError(res, `internal error: ${errorText(e)}`, 'http://localhost');
        else res.destroy();
      } catch {
        res.destroy();
      }
    });
  }

  // ---- listen

  const servers: Server[] = [];
  const bound: string[] = [];
  let port = requestedPort;
  const makeServer = () => {
    const s = createServer({ keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000 }, onRequest);
    s.on('error', (e) => logger?.error?.('AnkiConnect: server error', e));
    return s;
  };
  try {
    for (const [i, host] of hosts.entries()) {
      const server = makeServer();
      const optional = explicitHosts === null && i > 0; // ::1 of the default pair
      try {
        port = await listen(server, host, port);
      } catch (e) {
        server.close();
        if (optional) {
          logger?.warn?.(`AnkiConnect: not listening on ${urlHost(host)}:${port}: ${errorText(e)}`);
          continue;
        }
        throw listenError(e, host, port);
      }
      servers.push(server);
      bound.push(host);
    }
  } catch (e) {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    await parser.close();
    throw e;
  }
  hostOk = createHostCheck({ bindAddresses: bound, allowedHosts: options.allowedHosts });

  const urls = bound.map((h) => `http://${urlHost(h)}:${port}`);
  let closing: Promise<void> | null = null;
  return {
    url: urls[0],
    urls,
    port,
    originPolicy: policy,
    close() {
      closing ??= (async () => {
        await Promise.all(
          servers.map(
            (s) =>
              new Promise<void>((resolve) => {
                const force = setTimeout(() => s.closeAllConnections(), 2_000);
                force.unref();
                s.close(() => {
                  clearTimeout(force);
                  resolve();
                });
                s.closeIdleConnections();
              }),
          ),
        );
        await parser.close();
      })();
      return closing;
    },
  };
}
