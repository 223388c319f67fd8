// A self-hosted sync server speaking Anki's protocol v11, wire-compatible with Anki's own
// `anki-sync-server` (rslib/src/sync/http_server): the same routes, header, zstd bodies,
// `anki-original-size`, bare-number error bodies, per-user collection + media folder, one active
// normal sync per user bound to its session key, and the same status codes.
//
// This module is the HTTP front (routes, header, zstd, status codes); requests are handled in
// sync-server-handlers, per-user state is in sync-server-user, credentials in sync-server-auth.

import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../collection/clock';
import { HttpStatusError } from './media-server';
import { deriveHostKey, verifyPbkdf2Phc } from './sync-server-auth';
import {
  type SyncServer,
  type SyncServerHookInfo,
  type SyncServerHooks,
  type SyncServerOptions,
  type SyncServerUser,
  usersFromEnv,
} from './sync-server-config';
import { CORRUPT_MESSAGE, type Reply, Server, type SyncRequest } from './sync-server-handlers';
import {
  decodeSyncHeader,
  encodeWireJson,
  MEDIA_SYNC_METHODS,
  type MediaSyncMethod,
  ORIGINAL_SIZE_HEADER,
  PayloadTooLarge,
  SYNC_HEADER,
  SYNC_METHODS,
  SYNC_VERSION_MAX,
  SYNC_VERSION_MIN,
  type SyncMethod,
  zstdDecode,
  zstdEncode,
} from './wire';

export { CORRUPT_MESSAGE, deriveHostKey, usersFromEnv, verifyPbkdf2Phc };
export type { SyncServer, SyncServerHookInfo, SyncServerHooks, SyncServerOptions, SyncServerUser };

/** `deckhand sync-server`: the env variables of Anki's server (SYNC_BASE, SYNC_HOST, SYNC_PORT, …). */
export function startSyncServerFromEnv(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<SyncServer> {
  const { users, passwordsHashed } = usersFromEnv(env);
  return startSyncServer({
    host: env.SYNC_HOST ?? '0.0.0.0',
    port: env.SYNC_PORT ? Number(env.SYNC_PORT) : 8080,
    dataDir: env.SYNC_BASE ?? join(homedir(), '.syncserver'),
    users,
    passwordsHashed,
    maxPayloadMegs: env.MAX_SYNC_PAYLOAD_MEGS ? Number(env.MAX_SYNC_PAYLOAD_MEGS) : undefined,
    log,
  });
}

// ---------------------------------------------------------------------------------------------
// HTTP

function sendStatus(res: http.ServerResponse, status: number): void {
  const body = String(status);
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts the server; resolves once it listens. */
export async function startSyncServer(opts: SyncServerOptions): Promise<SyncServer> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? (() => undefined);
  mkdirSync(opts.dataDir, { recursive: true });
  const server = new Server(opts, clock, log);

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts.length === 1 && parts[0] === 'health') return sendStatus(res, req.method === 'GET' ? 200 : 405);
    if (parts.length !== 2 || (parts[0] !== 'sync' && parts[0] !== 'msync')) return sendStatus(res, 404);
    const service = parts[0] as 'sync' | 'msync';
    const method = parts[1];
    const known = service === 'sync' ? (SYNC_METHODS as readonly string[]).includes(method) : (MEDIA_SYNC_METHODS as readonly string[]).includes(method);

    // legacy GET /msync/begin?k=<hkey>&v=<client version>: plain JSON reply
    if (req.method === 'GET' && service === 'msync' && method === 'begin') {
      const k = url.searchParams.get('k');
      const v = url.searchParams.get('v');
      if (k === null || v === null) return sendStatus(res, 400);
      const reply = await server
        .serialized(() =>
          server.handleMedia('begin', { service, method, version: 10, hostKey: k, sessionKey: '', clientVersion: v, data: encodeWireJson({ v }), truncated: false }),
        )
        .catch((e: unknown) => e);
      if (reply instanceof HttpStatusError) return sendStatus(res, reply.status);
      if (reply instanceof Error) return sendStatus(res, 500);
      res.writeHead(200, { 'content-length': (reply as Reply).body.length });
      res.end((reply as Reply).body);
      return;
    }
    if (req.method !== 'POST') return sendStatus(res, 405);
    if (!known) return sendStatus(res, 400);

    const body = await readBody(req, server.maxPayload);
    if (body === null) return sendStatus(res, 413);
    const headerValue = req.headers[SYNC_HEADER];
    // no header: Anki falls back to the legacy multipart parser, which a v11 body fails ("multipart")
    if (typeof headerValue !== 'string') return sendStatus(res, 400);
    const header = decodeSyncHeader(headerValue);
    if (!header) return sendStatus(res, 400); // bad sync header
    if (header.v < SYNC_VERSION_MIN || header.v > SYNC_VERSION_MAX) return sendStatus(res, 400); // unsupported sync version
    let data: Buffer;
    let truncated = false;
    try {
      data = zstdDecode(body, server.maxUncompressed);
    } catch (e) {
      if (!(e instanceof PayloadTooLarge)) return sendStatus(res, 400); // decoding zstd body
      data = Buffer.alloc(0);
      truncated = true;
    }
    if (truncated && !(service === 'sync' && method === 'upload')) return sendStatus(res, 400);
    const sreq: SyncRequest = { service, method, version: header.v, hostKey: header.k, sessionKey: header.s, clientVersion: header.c, data, truncated };

    let reply: Reply;
    let user: string | undefined;
    try {
      reply = await server.serialized(() => {
        user = server.users.get(sreq.hostKey)?.cfg.username;
        return service === 'sync' ? server.handleSync(method as SyncMethod, sreq) : server.handleMedia(method as MediaSyncMethod, sreq);
      });
    } catch (e) {
      if (e instanceof HttpStatusError) {
        log(`${service}/${method}${user ? ` (${user})` : ''}: ${e.status} ${e.message}`);
        return sendStatus(res, e.status);
      }
      log(`${service}/${method}: 500 ${(e as Error).stack ?? e}`);
      return sendStatus(res, 500);
    }
    log(`${service}/${method}${user ? ` (${user})` : ''}: 200`);

    const action = opts.hooks?.beforeReply?.({ service, method, user, count: server.count(`${service}/${method}`) });
    if (action === 'destroy') {
      req.socket.destroy();
      return;
    }
    // v11 replies are zstd with the uncompressed size; older header versions get the raw body
    const zstd = header.v >= 11;
    const payload = zstd ? zstdEncode(reply.body) : reply.body;
    const headers: http.OutgoingHttpHeaders = { 'content-length': payload.length };
    if (zstd) headers[ORIGINAL_SIZE_HEADER] = String(reply.body.length);
    res.writeHead(reply.status, headers);
    if (action === 'truncate') {
      res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => req.socket.destroy());
      return;
    }
    res.end(payload);
  };

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`internal error: ${(e as Error).stack ?? e}`);
      if (!res.headersSent) sendStatus(res, 500);
      else res.destroy();
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port ?? 8080, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  log(`listening on ${host}:${port}`);
  return {
    url: `http://${urlHost}:${port}/`,
    host,
    port,
    hostKeys: new Map([...server.users.values()].map((u) => [u.cfg.username, u.hkey])),
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.close(() => {
          void server.serialized(() => server.close()).then(() => resolve());
        });
        httpServer.closeAllConnections();
      }),
  };
}
