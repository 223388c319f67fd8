// Sync server credentials: host keys as Anki's server derives them, and password checks (plain,
// or PHC PBKDF2 strings with PASSWORDS_HASHED).

import { createHash, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import type { SyncServerUser } from './sync-server-config';

/** Anki's self-hosted host key: hex SHA-1 of the literal `user:pass` configuration value. */
export function deriveHostKey(userAndPass: string): string {
  return createHash('sha1').update(userAndPass, 'utf8').digest('hex');
}

const b64 = (s: string) => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');

/** Verifies a password against a PHC PBKDF2 string (pbkdf2, pbkdf2-sha256, pbkdf2-sha512). */
export function verifyPbkdf2Phc(password: string, phc: string): boolean {
  const parts = phc.split('$');
  // ['', id, params, salt, hash]
  if (parts.length !== 5 || parts[0] !== '') return false;
  const digest = { pbkdf2: 'sha1', 'pbkdf2-sha256': 'sha256', 'pbkdf2-sha512': 'sha512' }[parts[1]];
  if (!digest) return false;
  let rounds = 0;
  for (const kv of parts[2].split(',')) {
    const [k, v] = kv.split('=');
    if (k === 'i') rounds = Number(v);
  }
  const expected = b64(parts[4]);
  if (!Number.isSafeInteger(rounds) || rounds < 1 || expected.length === 0) return false;
  const got = pbkdf2Sync(Buffer.from(password, 'utf8'), b64(parts[3]), rounds, expected.length, digest);
  return timingSafeEqual(got, expected);
}

export function passwordMatches(user: SyncServerUser, given: string): boolean {
  if (user.hashed) return verifyPbkdf2Phc(given, user.password);
  const a = createHash('sha256').update(user.password).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
