import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSecrets } from '../../profiles/secrets';
import { syncCollection } from '../../sync/sync-service';
import { login } from '../../sync/sync-client';
import { startSyncServer, type SyncServer } from '../../sync/sync-server';
import { startTestHost, type TestHost } from '../test-support';

let h: TestHost;
let server: SyncServer | undefined;
afterEach(async () => {
  await h?.close();
  await server?.close();
  server = undefined;
});

describe('sync', () => {
  it('without a login: sync: auth not configured', async () => {
    h = await startTestHost();
    expect(await h.post('sync')).toEqual({ result: null, error: 'sync: auth not configured' });
  });

  it('a host hook decides; a required full sync is refused with upstream text', async () => {
    h = await startTestHost({ services: { sync: async () => ({ outcome: 'full-sync-required', fullSync: { uploadOk: true, downloadOk: false } }) } });
    expect((await h.post('sync')).error).toMatch(/^Sync status 4 not one of \[0, 1\] - see SyncCollectionResponse.ChangesRequired/);
  });

  it('with the stored login: full sync refused, then normal syncs go through', async () => {
    h = await startTestHost();
    server = await startSyncServer({ port: 0, dataDir: join(h.dir, 'server'), users: ['ana:pw'], log: () => undefined });
    const endpoint = server.url;
    const hostKey = await login(endpoint, 'ana', 'pw');
    writeSecrets(h.session.info.dir, { syncHostKey: hostKey, syncEndpoint: endpoint });
    await h.call('createDeck', { deck: 'synced' });
    const first = await h.post('sync');
    expect(first.error).toMatch(/^Sync status \d not one of \[0, 1\]/);
    // the person chooses the one-way upload in the app …
    await syncCollection(h.session.col, { hostKey, endpoint, fullSync: 'upload', media: false });
    // … after which AnkiConnect's sync is a normal one
    await h.call('addNote', { note: { deckName: 'synced', modelName: 'Basic', fields: { Front: 'over the wire', Back: '' } } });
    expect(await h.post('sync')).toEqual({ result: null, error: null });
    expect(await h.post('sync')).toEqual({ result: null, error: null });
  });
});
