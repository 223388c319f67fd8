import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../collection/test-support/check';
import { readSecrets, SECRETS_FILE, writeSecrets } from './secrets';

describe('profile secrets', () => {
  it('keeps the host key owner-only, merges patches and removes cleared values', () => {
    const dir = tempDir();
    expect(readSecrets(dir)).toEqual({});
    writeSecrets(dir, { syncHostKey: 'abc', syncEndpoint: 'https://sync.example/' });
    writeSecrets(dir, { ankiConnectApiKey: 'k' });
    expect(readSecrets(dir)).toEqual({ syncHostKey: 'abc', syncEndpoint: 'https://sync.example/', ankiConnectApiKey: 'k' });
    expect(statSync(join(dir, SECRETS_FILE)).mode & 0o777).toBe(0o600);
    writeSecrets(dir, { syncHostKey: undefined });
    expect(readSecrets(dir).syncHostKey).toBeUndefined();
  });
});
