import { afterEach, describe, expect, it } from 'vitest';
import { JsonBodyParser, parseJsonBody } from './body';

let parser: JsonBodyParser | undefined;
afterEach(async () => {
  await parser?.close();
  parser = undefined;
});

describe('parseJsonBody', () => {
  it('parses, tolerates a BOM, and reports Python texts', () => {
    expect(parseJsonBody(Buffer.from('{"action": "version"}'))).toEqual({ ok: true, value: { action: 'version' } });
    expect(parseJsonBody(Buffer.from('\ufeff{"a": 1}'))).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonBody(Buffer.from('[1,]'))).toEqual({ ok: false, error: 'Illegal trailing comma before end of array: line 1 column 3 (char 2)' });
    expect(parseJsonBody(Buffer.from([0x7b, 0xc3]))).toEqual({
      ok: false,
      error: "'utf-8' codec can't decode byte 0xc3 in position 1: unexpected end of data",
    });
    expect(parseJsonBody(Buffer.from('[NaN]'))).toEqual({
      ok: false,
      error: expect.stringMatching(/^the request body is not valid JSON: /),
    });
  });
});

describe('JsonBodyParser', () => {
  it('parses large bodies on a worker thread without blocking the event loop', async () => {
    parser = new JsonBodyParser(1024);
    const data = 'A'.repeat(96 * 1024 * 1024);
    const body = Buffer.from(`{"action": "storeMediaFile", "params": {"filename": "x.bin", "data": "${data}"}}`);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = Date.now();
    const result = await parser.parse(body);
    clearInterval(timer);
    expect(result.ok).toBe(true);
    expect((result as { value: { params: { data: string } } }).value.params.data.length).toBe(data.length);
    // the main thread kept running while the worker parsed (only meaningful if parsing took a while)
    if (Date.now() - started > 20) expect(ticks).toBeGreaterThan(0);
  });

  it('reports malformed large bodies with Python texts', async () => {
    parser = new JsonBodyParser(16);
    expect(await parser.parse(Buffer.from('{"action": "version", "params": {1: 2}}'))).toEqual({
      ok: false,
      error: 'Expecting property name enclosed in double quotes: line 1 column 34 (char 33)',
    });
    expect(await parser.parse(Buffer.concat([Buffer.from('{"action": "version"'), Buffer.from([0xe9, 0x41])]))).toEqual({
      ok: false,
      error: "'utf-8' codec can't decode byte 0xe9 in position 20: invalid continuation byte",
    });
    // many at once, answered in any order but each correctly
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => parser!.parse(Buffer.from(JSON.stringify({ i, pad: 'p'.repeat(32) })))));
    many.forEach((r, i) => expect(r).toEqual({ ok: true, value: { i, pad: 'p'.repeat(32) } }));
  });

  it('falls back to the calling thread after close', async () => {
    parser = new JsonBodyParser(1);
    await parser.close();
    expect(await parser.parse(Buffer.from('{"a": 1}'))).toEqual({ ok: true, value: { a: 1 } });
  });
});
