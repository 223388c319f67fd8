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
import type { OpenProfile } from '../../host/open-profile';
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
 * What the actions run against, supplied by the process that hosts the listener (`deckhand
 * serve`, the desktop shell, tests). Members are optional so the protocol layer runs without a
 * collection (`version`, `requestPermission`, `multi`, `apiReflect`); collection actions then
 * answer `collection is not available`.
 */
export interface AnkiConnectServices {
  readonly profiles?: ProfileService;
  /** The profile this process holds open. Throws `collection is not available` when there is none. */
  session?(): OpenProfile;
  /**
   * Syncs the open collection with its sync server (AnkiConnect `sync`), never as a full
   * (one-way) sync. Optional: without it, `sync` uses the profile's stored login itself. A host
   * that coordinates syncs (tray, sync loop, UI progress) provides it.
   */
  sync?(): Promise<SyncOutcome>;
  /** Told after `reloadCollection` dropped the collection's caches (the UI refreshes its views). */
  reloadCollection?(): void | Promise<void>;
  /** Time limit for `url` media downloads in ms (AnkiConnect's `webTimeout`, default 10 000). */
  readonly webTimeoutMs?: number;
}

/** What a sync for AnkiConnect came to. */
export interface SyncOutcome {
  outcome: 'not-logged-in' | 'no-changes' | 'normal-sync' | 'full-sync-required';
  /** With 'full-sync-required': which one-way directions are possible. */
  fullSync?: { uploadOk: boolean; downloadOk: boolean };
}

export interface PermissionAnswer {
  granted: boolean;
  /** "Ignore further requests from this origin" was ticked (only meaningful when not granted). */
  ignoreFurther?: boolean;
}

type MaybePromise<T> = T | Promise<T>;

/** The sort `guiBrowse` asks for (`reorderCards`): a browser column key and a direction. */
export interface BrowserSort {
  columnId: string;
  order: 'ascending' | 'descending';
}

/** A note to open in the Add window (`guiAddCards`): resolved ids, fields in notetype order. */
export interface AddCardsDraft {
  deckId: number;
  notetypeId: number;
  fields: string[];
  tags: string[];
}

/** What `guiAddNoteSetData` changes in an open Add window (names/ids already checked). */
export interface AddCardsPatch {
  deckId?: number;
  notetypeId?: number;
  /** Field name → value (exact names; the window reports a name its note lacks). */
  fields?: Record<string, string>;
  tags?: string[];
  /** Concatenate field values and merge tags instead of replacing them. */
  append: boolean;
  /** Media references to append, after the fields: field name → `<img src="…">` / `[sound:…]` texts. */
  mediaHtml: { field: string; html: string }[];
}

/** The reviewer's state, as `guiCurrentCard` reports it. */
export interface ReviewerCard {
  cardId: number;
  /** Which side is shown. */
  side: 'question' | 'answer';
  /** Answer button numbers (1–4) shown for this card. */
  buttons: number[];
  /** The interval label of each button, in the same order. */
  nextReviews: string[];
}

/**
 * Hooks into the desktop UI. Absent in headless mode (`deckhand serve`): GUI actions then answer
 * `no window is open: <action> needs the desktop app`. The handlers do the AnkiConnect side
 * (checking names, storing media, searching, rendering); the hooks only drive windows.
 */
export interface GuiHooks {
  /** Whether a desktop window exists right now. GUI actions are refused when it does not. */
  isWindowOpen(): boolean;
  /** AnkiConnect's "A website wants to access Anki" prompt. Without it, unknown origins are denied. */
  promptPermission?(origin: string): Promise<PermissionAnswer>;
  /** Opens (or raises) the browser, searching `query` when given; false if `sort.columnId` is not a column it has. */
  browse?(query: string | null, sort: BrowserSort | null): MaybePromise<boolean>;
  /** Selects one card in the open browser; false when no browser is open. */
  browserSelectCard?(cardId: number): MaybePromise<boolean>;
  /** Note ids selected in the open browser ([] when none is open). */
  browserSelectedNotes?(): MaybePromise<number[]>;
  /** Opens the Add window, pre-filled with `draft` when given; returns the id of the note being edited (0 until saved). */
  openAddCards?(draft: AddCardsDraft | null): MaybePromise<number>;
  /** Changes the open Add window; 'not-open' when there is none, or the first field name its note lacks. */
  setAddCardsData?(patch: AddCardsPatch): MaybePromise<true | 'not-open' | { missingField: string }>;
  /** Opens the note editor on a note (the id exists). */
  editNote?(noteId: number): MaybePromise<void>;
  /** The card under review, or null when the reviewer is not showing one. */
  reviewerCard?(): MaybePromise<ReviewerCard | null>;
  /** Reviewer commands; each false when no card is being reviewed (or, for answer, the answer is not shown / the ease is not a button). */
  reviewerStartTimer?(): MaybePromise<boolean>;
  reviewerShowQuestion?(): MaybePromise<boolean>;
  reviewerShowAnswer?(): MaybePromise<boolean>;
  reviewerAnswer?(ease: number): MaybePromise<boolean>;
  reviewerReplayAudio?(): MaybePromise<boolean>;
  /** Undoes the last operation (what Edit › Undo does). */
  undo?(): MaybePromise<void>;
  /** Shows the overview of a deck (made current). */
  showDeckOverview?(deckId: number): MaybePromise<void>;
  /** Starts reviewing a deck (made current). */
  startReview?(deckId: number): MaybePromise<void>;
  showDeckBrowser?(): MaybePromise<void>;
  /** Opens the import dialog on a file, or the file picker when null. */
  importFile?(path: string | null): MaybePromise<void>;
  /** Quits the app shortly after answering. */
  exitApp?(): MaybePromise<void>;
  /** Starts Check Database (returns before it finishes). */
  checkDatabase?(): MaybePromise<void>;
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
