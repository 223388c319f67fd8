// A real AnkiConnect client that nobody here wrote, against our server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YankiConnect } from 'yanki-connect';
import { createDispatcher } from './dispatcher';
import { startAnkiConnectServer, type AnkiConnectServer } from './server';

let open: AnkiConnectServer;
let keyed: AnkiConnectServer;

beforeAll(async () => {
  open = await startAnkiConnectServer({ port: 0, dispatcher: createDispatcher() });
  keyed = await startAnkiConnectServer({ host: '127.0.0.1', port: 0, apiKey: 'yanki-key', dispatcher: createDispatcher() });
});
afterAll(async () => {
  await Promise.all([open.close(), keyed.close()]);
});

describe('yanki-connect', () => {
  it('calls version and requestPermission (default host http://127.0.0.1)', async () => {
    const client = new YankiConnect({ port: open.port });
    expect(await client.miscellaneous.version()).toBe(6);
    expect(await client.miscellaneous.requestPermission()).toEqual({ permission: 'granted', requireApikey: false, version: 6 });
  });

  it('reaches the ::1 listener through "localhost"', async () => {
    const client = new YankiConnect({ host: 'http://localhost', port: open.port });
    expect(await client.miscellaneous.version()).toBe(6);
  });

  it('uses multi and apiReflect', async () => {
    const client = new YankiConnect({ port: open.port });
    expect(await client.miscellaneous.multi({ actions: [{ action: 'version' }, { action: 'version', version: 6 }] })).toEqual([
      6,
      { result: 6, error: null },
    ]);
    expect(await client.miscellaneous.apiReflect({ scopes: ['actions'], actions: ['version', 'addNote'] })).toEqual({
      scopes: ['actions'],
      actions: ['version'],
    });
  });

  it('sends its key, and surfaces our errors', async () => {
    const good = new YankiConnect({ port: keyed.port, key: 'yanki-key' });
    expect(await good.miscellaneous.version()).toBe(6);
    expect(await good.miscellaneous.requestPermission()).toEqual({ permission: 'granted', requireApikey: true, version: 6 });
    const bad = new YankiConnect({ port: keyed.port });
    await expect(bad.miscellaneous.version()).rejects.toThrow('valid api key must be provided');
    await expect(good.deck.deckNames()).rejects.toThrow('unsupported action');
  });
});
