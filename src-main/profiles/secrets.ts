import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Per-profile secrets kept apart from profile.json (which refuses them): the sync host key a
 * login returns (never the password) and the AnkiConnect API key. Stored owner-only (0600).
 */
export const SECRETS_FILE = 'secrets.json';

const SecretsSchema = z.looseObject({
  syncHostKey: z.string().optional(),
  /** The endpoint the host key belongs to (a 308 redirect may have moved it). */
  syncEndpoint: z.string().optional(),
  syncUsername: z.string().optional(),
  ankiConnectApiKey: z.string().nullable().optional(),
});

export type ProfileSecrets = z.output<typeof SecretsSchema>;

export function readSecrets(profileDir: string): ProfileSecrets {
  const path = join(profileDir, SECRETS_FILE);
  if (!existsSync(path)) return {};
  try {
    return SecretsSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return {};
  }
}

export function writeSecrets(profileDir: string, patch: Partial<ProfileSecrets>): ProfileSecrets {
  const next = { ...readSecrets(profileDir), ...patch };
  for (const [k, v] of Object.entries(next)) if (v === undefined) delete (next as Record<string, unknown>)[k];
  const path = join(profileDir, SECRETS_FILE);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return next;
}
