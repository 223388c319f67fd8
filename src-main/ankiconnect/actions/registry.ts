/**
 * The typed action registry: `defineAction(name, paramsSchema, handler)`.
 *
 * A definition carries the zod object schema of the action's params (keys in AnkiConnect's
 * Python signature order — the order matters for "missing … arguments" messages), the handler,
 * and two flags: `serial` (runs under the dispatcher's one-at-a-time lock, like AnkiConnect on
 * Anki's main thread) and `requiresWindow` (GUI action: refused with a clear error when no
 * desktop window exists).
 */
import { z } from 'zod';
import type { OriginPolicy } from '../cors';

// ---------------------------------------------------------------------------------------------
// What handlers get

/** Profiles, as `getProfiles` / `getActiveProfile` / `loadProfile` need them. */
export interface ProfileService {
  /** Profile names. */
  list(): readonly string[] | Promise<readonly string[]>;
  /** The loaded profile's name, or null when none is loaded. */
  active(): string | null | Promise<string | null>;
  /** Starts loading `name`; false when there is no such profile. */
  load(name: string): boolean | Promise<boolean>;
}

/**
 * The services the actions run against. A placeholder for now: the collection engine (notes,
 * cards, decks, note types, media, scheduler, search, …) adds its members here and satisfies
 * this interface when the action handlers of phase 2 land. Members are optional so the protocol
 * layer runs without a collection (`version`, `requestPermission`, `multi`, `apiReflect`).
 */
export interface AnkiConnectServices {
  readonly profiles?: ProfileService;
}

export interface PermissionAnswer {
  granted: boolean;
  /** "Ignore further requests from this origin" was ticked (only meaningful when not granted). */
  ignoreFurther?: boolean;
}

/**
 * Hooks into the desktop UI. Absent in headless mode (`deckhand serve`). The GUI actions of
 * phase 2 (guiBrowse, guiAddCards, …) add their members here.
 */
export interface GuiHooks {
  /** Whether a desktop window exists right now. GUI actions are refused when it does not. */
  isWindowOpen(): boolean;
  /** AnkiConnect's "A website wants to access Anki" prompt. Without it, unknown origins are denied. */
  promptPermission?(origin: string): Promise<PermissionAnswer>;
}

/** Per-request facts the transport supplies. */
export interface RequestMeta {
  /** The `Origin` header, or '' when absent. */
  readonly origin: string;
  /** Whether the origin passed the CORS check. */
  readonly allowed: boolean;
  /** The configured API key (`null` = none). Requests must carry exactly this `key`. */
  readonly apiKey: string | null;
  /** The live origin lists (`requestPermission` adds to them). */
  readonly originPolicy?: OriginPolicy;
}

export interface ActionContext {
  /** The action being run. */
  readonly action: string;
  readonly services: AnkiConnectServices;
  /** Desktop hooks; undefined in headless mode. */
  readonly gui: GuiHooks | undefined;
  readonly request: RequestMeta;
  /** AnkiConnect's `apiVersion` setting (6). */
  readonly apiVersion: number;
  readonly registry: ActionRegistry;
  /** Nesting level: 0 for a top-level request, 1 inside `multi`, … */
  readonly depth: number;
  /** Runs a sub-request exactly like a top-level one and returns its reply (used by `multi`). */
  dispatchNested(request: unknown): Promise<unknown>;
  /** The GUI hooks, or throws "no window is open: <action> needs the desktop app". */
  requireWindow(): GuiHooks;
}

export type ActionHandler<P, R> = (params: P, ctx: ActionContext) => R | Promise<R>;

// ---------------------------------------------------------------------------------------------
// Definitions

export interface ActionOptions {
  /** Run under the dispatcher's exclusive lock (default true). */
  serial?: boolean;
  /** GUI action: refuse when no desktop window is open (default false). */
  requiresWindow?: boolean;
}

export interface ActionDefinition<S extends z.ZodObject = z.ZodObject, R = unknown> {
  readonly name: string;
  readonly params: S;
  readonly handler: ActionHandler<z.output<S>, R>;
  /** Parameter names in signature order. */
  readonly paramNames: readonly string[];
  /** Names of parameters without a default. */
  readonly requiredParams: readonly string[];
  readonly serial: boolean;
  readonly requiresWindow: boolean;
}

/** Whether a param schema has a default (may be omitted). `z.unknown()` counts as required. */
function isOptionalParam(schema: z.ZodType): boolean {
  const optin = (schema as unknown as { _zod?: { optin?: string } })._zod?.optin;
  return optin === 'optional' || optin === 'defaulted';
}

export function defineAction<S extends z.ZodObject, R>(
  name: string,
  params: S,
  handler: ActionHandler<z.output<S>, R>,
  options: ActionOptions = {},
): ActionDefinition<S, R> {
  const shape = params.shape as Record<string, z.ZodType>;
  const paramNames = Object.keys(shape);
  return Object.freeze({
    name,
    params,
    handler,
    paramNames,
    requiredParams: paramNames.filter((k) => !isOptionalParam(shape[k])),
    serial: options.serial ?? true,
    requiresWindow: options.requiresWindow ?? false,
  });
}

export class ActionRegistry {
  private readonly defs = new Map<string, ActionDefinition<any, unknown>>();

  constructor(defs: Iterable<ActionDefinition<any, any>> = []) {
    for (const d of defs) this.add(d);
  }

  add(...defs: ActionDefinition<any, any>[]): this {
    for (const d of defs) {
      if (this.defs.has(d.name)) throw new Error(`action ${d.name} is defined twice`);
      this.defs.set(d.name, d);
    }
    return this;
  }

  /** Replaces (or adds) a definition — for tests and for swapping in real handlers. */
  set(def: ActionDefinition<any, any>): this {
    this.defs.set(def.name, def);
    return this;
  }

  get(name: unknown): ActionDefinition<any, unknown> | undefined {
    return typeof name === 'string' ? this.defs.get(name) : undefined;
  }

  has(name: unknown): boolean {
    return typeof name === 'string' && this.defs.has(name);
  }

  /** Action names, sorted as Python's `dir()` sorts them (code-point order). */
  names(): string[] {
    return [...this.defs.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  get size(): number {
    return this.defs.size;
  }
}

/** The error GUI actions give when no desktop window exists. */
export function noWindowMessage(action: string): string {
  return `no window is open: ${action} needs the desktop app`;
}
