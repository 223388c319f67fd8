import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSyncServer, type SyncServer, usersFromEnv } from '../sync/sync-server';
import { type ParsedArgs, intOpt, opt, UsageError } from './args';

export const SYNC_SERVER_OPTIONS = ['host', 'port', 'data-dir'];
export const SYNC_SERVER_USAGE = 'SYNC_USER1=user:pass deckhand sync-server [--host ADDR] [--port N] [--data-dir DIR]';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

function envPort(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65_535) throw new UsageError(`SYNC_PORT must be a port number, not “${value}”`);
  return Number(value);
}

/**
 * `deckhand sync-server`: Anki's self-hosted sync server, configured like Anki's (SYNC_USER1…,
 * PASSWORDS_HASHED, SYNC_BASE, SYNC_HOST, SYNC_PORT, MAX_SYNC_PAYLOAD_MEGS), but listening on
 * loopback unless told otherwise. Runs until SIGINT/SIGTERM (or `stop` resolves), then closes.
 */
export async function runSyncServer(
  args: ParsedArgs,
  out: (line: string) => void,
  opts: { env?: NodeJS.ProcessEnv; stop?: Promise<string> } = {},
): Promise<number> {
  const env = opts.env ?? process.env;
  const { users, passwordsHashed } = usersFromEnv(env);
  if (!users.length) throw new UsageError("no users: set SYNC_USER1=user:pass (and SYNC_USER2, … for more), as for Anki's sync server");
  const names = users.map((u) => u.slice(0, u.indexOf(':') < 0 ? undefined : u.indexOf(':')));
  const host = opt(args, 'host') ?? env.SYNC_HOST ?? '127.0.0.1';
  const port = intOpt(args, 'port') ?? envPort(env.SYNC_PORT) ?? 8080;
  if (port > 65_535) throw new UsageError(`--port must be at most 65535, not ${port}`);
  const dataDir = resolve(opt(args, 'data-dir') ?? env.SYNC_BASE ?? join(homedir(), '.syncserver'));
  const megs = env.MAX_SYNC_PAYLOAD_MEGS ? Number(env.MAX_SYNC_PAYLOAD_MEGS) : undefined;
  if (megs !== undefined && !(megs > 0)) throw new UsageError(`MAX_SYNC_PAYLOAD_MEGS must be a positive number, not “${env.MAX_SYNC_PAYLOAD_MEGS}”`);
  let server: SyncServer;
  try {
    server = await startSyncServer({ host, port, dataDir, users, passwordsHashed, maxPayloadMegs: megs, log: (l) => out(`sync-server: ${l}`) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${port} on ${host} is already in use (another sync server?); choose one with --port N`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new Error(`cannot listen on ${host}: no such address on this computer`);
    throw e;
  }
  out(`Sync server listening on ${server.url} (data in ${dataDir}; ${names.length === 1 ? 'user' : 'users'}: ${names.join(', ')})`);
  out(`Point Anki at it (Preferences › Syncing › Self-hosted sync server: ${server.url}) or Deckhand (deckhand sync --endpoint ${server.url} --user … --password …).`);
  if (!LOOPBACK.test(host))
    out(`Listening on ${host}: other computers can reach it over plain HTTP; put a TLS reverse proxy in front of it on networks you do not trust.`);
  out('Press Ctrl+C to stop.');
  const signal = await (opts.stop ??
    new Promise<string>((res) => {
      const onInt = () => done('SIGINT');
      const onTerm = () => done('SIGTERM');
      const done = (s: string) => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        res(s);
      };
      process.once('SIGINT', onInt);
      process.once('SIGTERM', onTerm);
    }));
  out(`${signal}: stopping the sync server…`);
  await server.close();
  out('sync server stopped.');
  return 0;
}
