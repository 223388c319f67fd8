/**
 * AnkiConnect's request handler, transport-free: one parsed request object in, one reply value
 * out. Reproduces upstream's `AnkiConnect.handler`:
 *
 * - `version` defaults to 4; a version ≤ 4 gets the bare result, ≥ 5 `{result, error: null}`;
 *   errors are `{result: null, error: "<text>"}` whatever the version;
 * - the `key` must equal the configured API key exactly (absent = null), for every action but
 *   `requestPermission`, and is checked before the action lookup;
 * - unknown action → `unsupported action`;
 * - params are bound like Python keyword arguments (mapping required, unknown / missing names
 *   refused with CPython's texts), then type-checked by the action's zod schema;
 * - `multi` sub-requests go through the same path with their own version and key; a sub-request
 *   that is not an object makes the whole `multi` fail, as upstream (`'int' object has no
 *   attribute 'get'`).
 *
 * Actions marked `serial` run one at a time in arrival order (AnkiConnect runs everything on
 * Anki's main thread; clients rely on e.g. canAddNotes → addNote ordering). A `multi` holds the
 * lock for all its sub-requests.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { errorText } from './errors';
import { pyTypeName } from './py-compat';
import { createDefaultRegistry } from './actions';
import {
  noWindowMessage,
  type ActionContext,
  type ActionRegistry,
  type AnkiConnectServices,
  type GuiHooks,
  type RequestMeta,
} from './actions/registry';
import { bindParams } from './actions/validation';

export const API_VERSION = 6;

export interface AnkiConnectLogger {
  debug?(message: string, detail?: unknown): void;
  warn?(message: string, detail?: unknown): void;
  error?(message: string, detail?: unknown): void;
}

export interface DispatcherOptions {
  /** Defaults to the protocol-level actions (version, requestPermission, apiReflect, multi, profiles). */
  registry?: ActionRegistry;
  services?: AnkiConnectServices;
  /** Desktop hooks; omit in headless mode. */
  gui?: GuiHooks;
  /** AnkiConnect's `apiVersion` setting. */
  apiVersion?: number;
  /** Run `serial` actions one at a time (default true). */
  serialize?: boolean;
  /** Deepest `multi` nesting accepted (default 32). */
  maxDepth?: number;
  logger?: AnkiConnectLogger;
}

export type ErrorReply = { result: null; error: string };
export type EnvelopeReply = { result: unknown; error: string | null };

export interface Dispatcher {
  readonly registry: ActionRegistry;
  readonly apiVersion: number;
  /**
   * Handles one request object (already checked against the top-level schema by the
   * transport) and returns the reply value. Never throws.
   */
  dispatch(request: unknown, meta?: Partial<RequestMeta>): Promise<unknown>;
}

/** An exception whose text is what Python would have raised; reported as is. */
class PyError extends Error {}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** `key != apiKey` in Python, with the string comparison done in constant time. */
export function apiKeyMatches(key: unknown, apiKey: string | null): boolean {
  const k = key === undefined ? null : key;
  if (apiKey === null) return k === null;
  if (typeof k !== 'string') return false;
  return timingSafeEqual(digest(k), digest(apiKey));
}

/** `version <= 4` in Python: numbers and booleans compare, anything else is a TypeError. */
function wantsBareReply(version: unknown): boolean {
  if (typeof version === 'number') return version <= 4;
  if (typeof version === 'boolean') return true;
  throw new PyError(`'<=' not supported between instances of '${pyTypeName(version)}' and 'int'`);
}

export { errorText };

class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const registry = options.registry ?? createDefaultRegistry();
  const services = options.services ?? {};
  const gui = options.gui;
  const apiVersion = options.apiVersion ?? API_VERSION;
  const serialize = options.serialize ?? true;
  const maxDepth = options.maxDepth ?? 32;
  const logger = options.logger;
  const queue = new SerialQueue();

  const isBug = (e: unknown) =>
    e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError;

  async function handleOne(request: unknown, meta: RequestMeta, depth: number): Promise<unknown> {
    // Upstream reads the request with dict.get() before its try block: a non-object escapes
    // and fails the enclosing call (only reachable inside multi).
    if (!isPlainObject(request)) throw new PyError(`'${pyTypeName(request)}' object has no attribute 'get'`);
    const name = Object.hasOwn(request, 'action') ? request.action : '';
    const version = Object.hasOwn(request, 'version') ? request.version : 4;
    const params = Object.hasOwn(request, 'params') ? request.params : {};
    try {
      if (name !== 'requestPermission' && !apiKeyMatches(request.key, meta.apiKey)) {
        throw new PyError('valid api key must be provided');
      }
      const def = registry.get(name);
      if (!def) throw new PyError('unsupported action');
      const parsed = bindParams(def, params);
      const ctx: ActionContext = {
        action: def.name,
        services,
        gui,
        request: meta,
        apiVersion,
        registry,
        depth,
        dispatchNested: async (sub: unknown) => {
          if (depth + 1 > maxDepth) throw new PyError('maximum recursion depth exceeded');
          return handleOne(sub, meta, depth + 1);
        },
        requireWindow: () => {
          if (!gui || !gui.isWindowOpen()) throw new PyError(noWindowMessage(def.name));
          return gui;
        },
      };
      if (def.requiresWindow) ctx.requireWindow();
      const bare = wantsBareReply(version);
      const result = (await def.handler(parsed, ctx)) ?? null;
      return bare ? result : { result, error: null };
    } catch (e) {
      if (isBug(e)) logger?.error?.(`AnkiConnect action ${String(name)} failed`, e);
      else logger?.debug?.(`AnkiConnect action ${String(name)}: ${errorText(e)}`);
      return { result: null, error: errorText(e) } satisfies ErrorReply;
    }
  }

  return {
    registry,
    apiVersion,
    dispatch(request: unknown, partialMeta: Partial<RequestMeta> = {}): Promise<unknown> {
      const meta: RequestMeta = {
        origin: partialMeta.origin ?? '',
        allowed: partialMeta.allowed ?? true,
        apiKey: partialMeta.apiKey ?? null,
        originPolicy: partialMeta.originPolicy,
      };
      const run = () =>
        handleOne(request, meta, 0).catch((e: unknown): ErrorReply => ({ result: null, error: errorText(e) }));
      const def = isPlainObject(request) ? registry.get(request.action) : undefined;
      return serialize && def?.serial ? queue.run(run) : run();
    },
  };
}
