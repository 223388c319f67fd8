// The sync server's configuration: users, options, test hooks, and the handle a started server
// returns.

import type { Clock } from '../collection/clock';

export interface SyncServerUser {
  username: string;
  /** The password, or with `hashed` a PHC-format PBKDF2 hash (`$pbkdf2-sha256$i=…,l=…$salt$hash`). */
  password: string;
  hashed?: boolean;
}

export interface SyncServerHookInfo {
  service: 'sync' | 'msync';
  method: string;
  user?: string;
  /** 1-based count of requests of this method so far (per server). */
  count: number;
}

export interface SyncServerHooks {
  /**
   * Called after a request was processed, before its reply is sent. 'destroy' cuts the
   * connection without a reply; 'truncate' sends the headers and half the body, then cuts it.
   */
  beforeReply?: (info: SyncServerHookInfo) => 'destroy' | 'truncate' | void;
}

export interface SyncServerOptions {
  /** Interface to listen on (default 127.0.0.1; Anki's server defaults to 0.0.0.0). */
  host?: string;
  /** Port (default 8080 as Anki's; 0 picks a free one). */
  port?: number;
  /** One folder per user is created here: `<dataDir>/<username>/collection.anki2`, `media/`, `media.db`. */
  dataDir: string;
  /** Users as Anki's `SYNC_USER1=user:pass` values, or objects. At least one. */
  users: (string | SyncServerUser)[];
  /** Like Anki's PASSWORDS_HASHED: the part after `:` of string users is a PHC PBKDF2 hash. */
  passwordsHashed?: boolean;
  /** MAX_SYNC_PAYLOAD_MEGS (default 100): compressed request limit; uncompressed limit is 3×. */
  maxPayloadMegs?: number;
  clock?: Clock;
  log?: (line: string) => void;
  hooks?: SyncServerHooks;
}

export interface SyncServer {
  /** Base URL to give clients, e.g. `http://127.0.0.1:8080/` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** hkey of each user (hex SHA-1 of `username:password`, as Anki's server derives it). */
  readonly hostKeys: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

/** Reads users the way Anki's server does: SYNC_USER1, SYNC_USER2, … (contiguous), PASSWORDS_HASHED. */
export function usersFromEnv(env: NodeJS.ProcessEnv = process.env): { users: string[]; passwordsHashed: boolean } {
  const users: string[] = [];
  for (let i = 1; env[`SYNC_USER${i}`] !== undefined; i++) users.push(env[`SYNC_USER${i}`]!);
  return { users, passwordsHashed: env.PASSWORDS_HASHED !== undefined };
}
