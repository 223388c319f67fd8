import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { OriginPolicy } from './cors';
import { apiKeyMatches, createDispatcher } from './dispatcher';
import { ActionRegistry, MISC_ACTIONS, createDefaultRegistry, defineAction, defineAnkiAction } from './actions';

const d = createDispatcher();

describe('envelope', () => {
  it('gives bare results for version <= 4 (and when version is absent) and {result, error} from 5', async () => {
    expect(await d.dispatch({ action: 'version' })).toBe(6);
    expect(await d.dispatch({ action: 'version', version: 2 })).toBe(6);
    expect(await d.dispatch({ action: 'version', version: 4 })).toBe(6);
    expect(await d.dispatch({ action: 'version', version: 5 })).toEqual({ result: 6, error: null });
    expect(await d.dispatch({ action: 'version', version: 6 })).toEqual({ result: 6, error: null });
  });

  it('looks actions up by exact name only', async () => {
    for (const action of ['constructor', 'toString', '__proto__', 'Version', 'hasOwnProperty']) {
      expect(await d.dispatch({ action, version: 6 }), action).toEqual({ result: null, error: 'unsupported action' });
    }
    expect(await d.dispatch(JSON.parse('{"action": "version", "version": 6, "params": {"__proto__": {"x": 1}}}'))).toEqual({
      result: null,
      error: "AnkiConnect.version() got an unexpected keyword argument '__proto__'",
    });
  });

  it('reports errors as {result: null, error} whatever the version', async () => {
    expect(await d.dispatch({ action: 'nope', version: 2 })).toEqual({ result: null, error: 'unsupported action' });
    expect(await d.dispatch({ action: 'nope', version: 6 })).toEqual({ result: null, error: 'unsupported action' });
  });

  it('binds params like Python keyword arguments', async () => {
    expect(await d.dispatch({ action: 'version', version: 6, params: { x: 1 } })).toEqual({
      result: null,
      error: "AnkiConnect.version() got an unexpected keyword argument 'x'",
    });
    expect(await d.dispatch({ action: 'multi', version: 6 })).toEqual({
      result: null,
      error: "AnkiConnect.multi() missing 1 required positional argument: 'actions'",
    });
  });
});

describe('api key', () => {
  it('compares strictly, like `key != apiKey`', () => {
    expect(apiKeyMatches(undefined, null)).toBe(true);
    expect(apiKeyMatches(null, null)).toBe(true);
    expect(apiKeyMatches('', null)).toBe(false);
    expect(apiKeyMatches('x', null)).toBe(false);
    expect(apiKeyMatches('s3cret', 's3cret')).toBe(true);
    expect(apiKeyMatches('s3cre', 's3cret')).toBe(false);
    expect(apiKeyMatches(undefined, 's3cret')).toBe(false);
    expect(apiKeyMatches(1, '1')).toBe(false);
  });

  it('checks the key before looking the action up, and exempts requestPermission', async () => {
    const meta = { apiKey: 's3cret' };
    const denied = { result: null, error: 'valid api key must be provided' };
    expect(await d.dispatch({ action: 'version', version: 6 }, meta)).toEqual(denied);
    expect(await d.dispatch({ action: 'nope', version: 6, key: 'wrong' }, meta)).toEqual(denied);
    expect(await d.dispatch({ action: 'version', version: 6, key: 's3cret' }, meta)).toEqual({ result: 6, error: null });
    expect(
      await d.dispatch({ action: 'requestPermission', version: 6, params: { origin: '', allowed: true } }, meta),
    ).toEqual({ result: { permission: 'granted', requireApikey: true, version: 6 }, error: null });
    // no key configured: sending one is refused too
    expect(await d.dispatch({ action: 'version', version: 6, key: 'anything' })).toEqual(denied);
  });
});

describe('multi', () => {
  it('answers each sub-request with its own version and errors, never failing the whole call', async () => {
    const reply = await d.dispatch({
      action: 'multi',
      version: 6,
      params: {
        actions: [
          { action: 'version' },
          { action: 'version', version: 6 },
          { action: 'nope', version: 6 },
          { action: 'nope' },
          { params: {} },
          { action: 'version', version: 6, params: null },
        ],
      },
    });
    expect(reply).toEqual({
      result: [
        6,
        { result: 6, error: null },
        { result: null, error: 'unsupported action' },
        { result: null, error: 'unsupported action' },
        { result: null, error: 'unsupported action' },
        { result: null, error: 'AnkiConnect.version() argument after ** must be a mapping, not NoneType' },
      ],
      error: null,
    });
  });

  it('checks each sub-request key (the outer key is not inherited)', async () => {
    const meta = { apiKey: 'k' };
    const reply = await d.dispatch(
      { action: 'multi', version: 6, key: 'k', params: { actions: [{ action: 'version' }, { action: 'version', key: 'k' }] } },
      meta,
    );
    expect(reply).toEqual({ result: [{ result: null, error: 'valid api key must be provided' }, 6], error: null });
  });

  it('nests', async () => {
    const reply = await d.dispatch({
      action: 'multi',
      version: 6,
      params: {
        actions: [
          { action: 'multi', version: 6, params: { actions: [{ action: 'version', version: 6 }, { action: 'version' }] } },
          { action: 'multi', params: { actions: [] } },
        ],
      },
    });
    expect(reply).toEqual({ result: [{ result: [{ result: 6, error: null }, 6], error: null }, []], error: null });
  });

  it('fails as a whole on a sub-request that is not an object, as upstream does', async () => {
    expect(await d.dispatch({ action: 'multi', version: 6, params: { actions: [{ action: 'version' }, 3] } })).toEqual({
      result: null,
      error: "'int' object has no attribute 'get'",
    });
  });

  it('refuses requestPermission inside multi (nothing injects origin/allowed)', async () => {
    expect(await d.dispatch({ action: 'multi', version: 6, params: { actions: [{ action: 'requestPermission', version: 6 }] } })).toEqual({
      result: [{ result: null, error: "AnkiConnect.requestPermission() missing 2 required positional arguments: 'origin' and 'allowed'" }],
      error: null,
    });
  });

  it("reports a sub-request's non-numeric version as Python's comparison error", async () => {
    expect(await d.dispatch({ action: 'multi', version: 6, params: { actions: [{ action: 'version', version: '6' }] } })).toEqual({
      result: [{ result: null, error: "'<=' not supported between instances of 'str' and 'int'" }],
      error: null,
    });
  });

  it('limits nesting depth', async () => {
    let req: unknown = { action: 'version' };
    for (let i = 0; i < 40; i++) req = { action: 'multi', params: { actions: [req] } };
    const reply = JSON.stringify(await d.dispatch(req));
    expect(reply).toContain('maximum recursion depth exceeded');
  });
});

describe('apiReflect', () => {
  it('matches the upstream test', async () => {
    expect(
      await d.dispatch({ action: 'apiReflect', version: 6, params: { scopes: ['actions', 'invalidType'], actions: ['apiReflect', 'invalidMethod'] } }),
    ).toEqual({ result: { scopes: ['actions'], actions: ['apiReflect'] }, error: null });
  });

  it('lists every implemented action, sorted, when actions is null', async () => {
    const reply = (await d.dispatch({ action: 'apiReflect', params: { scopes: ['actions'] } })) as { actions: string[] };
    expect(reply.actions).toEqual(createDefaultRegistry().names());
    expect(reply.actions).toEqual([...reply.actions].sort());
    expect(reply.actions).toEqual(expect.arrayContaining(MISC_ACTIONS.map((a) => a.name)));
    expect(await d.dispatch({ action: 'apiReflect', params: { scopes: [] } })).toEqual({ scopes: [] });
  });
});

describe('requestPermission', () => {
  const call = (dispatcher: ReturnType<typeof createDispatcher>, origin: string, allowed: boolean, policy?: OriginPolicy) =>
    dispatcher.dispatch(
      { action: 'requestPermission', version: 6, params: { origin, allowed } },
      { origin, allowed, originPolicy: policy },
    );

  it('grants trusted origins and denies the rest without a window', async () => {
    expect(await call(d, 'http://localhost', true)).toEqual({
      result: { permission: 'granted', requireApikey: false, version: 6 },
      error: null,
    });
    expect(await call(d, 'https://example.com', false)).toEqual({ result: { permission: 'denied' }, error: null });
  });

  it('asks the user once per origin, and remembers the answer', async () => {
    const prompt = vi.fn(async (origin: string) => ({ granted: origin === 'app://obsidian.md', ignoreFurther: true }));
    const dispatcher = createDispatcher({ gui: { isWindowOpen: () => true, promptPermission: prompt } });
    const policy = new OriginPolicy({ ignored: ['https://ignored.example'] });
    const [a, b] = await Promise.all([
      call(dispatcher, 'app://obsidian.md', false, policy),
      call(dispatcher, 'app://obsidian.md', false, policy),
    ]);
    expect(a).toEqual({ result: { permission: 'granted', requireApikey: false, version: 6 }, error: null });
    expect(b).toEqual(a);
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(policy.trusted).toContain('app://obsidian.md');
    expect(policy.decide('app://obsidian.md').allowed).toBe(true);

    expect(await call(dispatcher, 'https://ignored.example', false, policy)).toEqual({ result: { permission: 'denied' }, error: null });
    expect(prompt).toHaveBeenCalledTimes(1);

    expect(await call(dispatcher, 'https://evil.example', false, policy)).toEqual({ result: { permission: 'denied' }, error: null });
    expect(policy.ignored).toContain('https://evil.example');
  });
});

describe('handlers', () => {
  const registry = new ActionRegistry(MISC_ACTIONS).add(
    defineAction('boom', z.object({}), () => {
      throw new Error('it broke');
    }),
    defineAction('typeError', z.object({}), () => (null as unknown as { x: number }).x),
    defineAction('throwsString', z.object({}), () => {
      throw 'plain string';
    }),
    defineAction('rejects', z.object({}), async () => Promise.reject(new Error('async broke'))),
    defineAction('undef', z.object({}), () => undefined),
    defineAction('typed', z.object({ n: z.number().int(), s: z.string().optional() }), ({ n, s }) => `${n}${s ?? ''}`),
  );
  const dispatcher = createDispatcher({ registry });

  it('turns every failure into an error reply', async () => {
    expect(await dispatcher.dispatch({ action: 'boom', version: 6 })).toEqual({ result: null, error: 'it broke' });
    expect(await dispatcher.dispatch({ action: 'rejects', version: 6 })).toEqual({ result: null, error: 'async broke' });
    expect(await dispatcher.dispatch({ action: 'throwsString', version: 6 })).toEqual({ result: null, error: 'plain string' });
    const te = (await dispatcher.dispatch({ action: 'typeError', version: 6 })) as { error: string };
    expect(te.error).toMatch(/Cannot read properties of null/);
    expect(await dispatcher.dispatch({ action: 'undef', version: 6 })).toEqual({ result: null, error: null });
    expect(await dispatcher.dispatch({ action: 'undef' })).toBeNull();
    expect(await dispatcher.dispatch('not even an object')).toEqual({ result: null, error: "'str' object has no attribute 'get'" });
  });

  it('validates types with a message naming the parameter', async () => {
    expect(await dispatcher.dispatch({ action: 'typed', version: 6, params: { n: 'x' } })).toEqual({
      result: null,
      error: 'typed: parameter "n" must be a number, not the string "x"',
    });
    expect(await dispatcher.dispatch({ action: 'typed', version: 6, params: { n: 1, s: 'a' } })).toEqual({ result: '1a', error: null });
  });

  it('runs serial actions one at a time, in arrival order', async () => {
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const slow = defineAction('slow', z.object({ id: z.number() }), async ({ id }) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      log.push(`start ${id}`);
      await new Promise((r) => setTimeout(r, 5));
      log.push(`end ${id}`);
      running--;
      return id;
    });
    const serialDispatcher = createDispatcher({ registry: new ActionRegistry([slow, ...MISC_ACTIONS]) });
    const replies = await Promise.all([1, 2, 3].map((id) => serialDispatcher.dispatch({ action: 'slow', params: { id } })));
    expect(replies).toEqual([1, 2, 3]);
    expect(maxRunning).toBe(1);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    // a multi holds the lock for its sub-requests without deadlocking on them
    expect(await serialDispatcher.dispatch({ action: 'multi', params: { actions: [{ action: 'slow', params: { id: 9 } }] } })).toEqual([9]);
  });
});

describe('GUI actions', () => {
  const browse = defineAnkiAction('guiBrowse', ({ query }) => (query ? [1] : []));

  it('are refused when no window is open', async () => {
    const headless = createDispatcher({ registry: createDefaultRegistry().set(browse) });
    expect(await headless.dispatch({ action: 'guiBrowse', version: 6, params: { query: 'deck:x' } })).toEqual({
      result: null,
      error: 'no window is open: guiBrowse needs the desktop app',
    });
    let open = false;
    const desktop = createDispatcher({ registry: createDefaultRegistry().set(browse), gui: { isWindowOpen: () => open } });
    expect(await desktop.dispatch({ action: 'guiBrowse', version: 6 })).toEqual({
      result: null,
      error: 'no window is open: guiBrowse needs the desktop app',
    });
    open = true;
    expect(await desktop.dispatch({ action: 'guiBrowse', version: 6, params: { query: 'deck:x' } })).toEqual({ result: [1], error: null });
  });
});

describe('profiles', () => {
  it('delegate to the profile service', async () => {
    const load = vi.fn(() => true);
    const dispatcher = createDispatcher({ services: { profiles: { list: () => ['User 1', 'test'], active: () => 'User 1', load } } });
    expect(await dispatcher.dispatch({ action: 'getProfiles', version: 6 })).toEqual({ result: ['User 1', 'test'], error: null });
    expect(await dispatcher.dispatch({ action: 'getActiveProfile', version: 6 })).toEqual({ result: 'User 1', error: null });
    expect(await dispatcher.dispatch({ action: 'loadProfile', version: 6, params: { name: 'nope' } })).toEqual({ result: false, error: null });
    expect(await dispatcher.dispatch({ action: 'loadProfile', version: 6, params: { name: 'test' } })).toEqual({ result: true, error: null });
    expect(load).toHaveBeenCalledWith('test');
    expect(await d.dispatch({ action: 'getProfiles', version: 6 })).toEqual({ result: null, error: 'profiles are not available' });
  });
});
