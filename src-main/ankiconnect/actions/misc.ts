/**
 * The actions that need no collection: version, requestPermission, apiReflect, multi, and the
 * profile actions (which delegate to the profile service).
 */
import { pyTypeName } from '../py-compat';
import { defineAnkiAction } from './define';
import type { ActionContext, GuiHooks, PermissionAnswer, ProfileService } from './registry';
import { collection } from './session';
import { sync } from './sync';

export const version = defineAnkiAction('version', (_params, ctx) => ctx.apiVersion, { serial: false });

export type PermissionResult =
  | { permission: 'granted'; requireApikey: boolean; version: number }
  | { permission: 'denied' };

/** One prompt per origin at a time: concurrent requests from a page share the user's answer. */
const pendingPrompts = new WeakMap<GuiHooks, Map<string, Promise<PermissionAnswer>>>();

function askUser(gui: GuiHooks, origin: string): Promise<PermissionAnswer> {
  let perGui = pendingPrompts.get(gui);
  if (!perGui) pendingPrompts.set(gui, (perGui = new Map()));
  const pending = perGui.get(origin);
  if (pending) return pending;
  const asked = Promise.resolve()
    .then(() => gui.promptPermission!(origin))
    .finally(() => perGui!.delete(origin));
  perGui.set(origin, asked);
  return asked;
}

/**
 * `origin` and `allowed` are injected by the server from the request (Origin header, CORS
 * check). Granted: `{permission, requireApikey, version}` — `requireApikey` spelled as in
 * AnkiConnect's code (the README says requireApiKey). Untrusted origins: denied when on the
 * ignore list, otherwise the user is asked (headless: denied). "Yes" trusts the origin for good.
 */
export const requestPermission = defineAnkiAction(
  'requestPermission',
  async ({ origin, allowed }, ctx): Promise<PermissionResult> => {
    const granted = (): PermissionResult => ({
      permission: 'granted',
      requireApikey: Boolean(ctx.request.apiKey),
      version: ctx.apiVersion,
    });
    if (allowed) return granted();
    const policy = ctx.request.originPolicy;
    if (policy?.isIgnored(origin)) return { permission: 'denied' };
    const gui = ctx.gui;
    if (!gui?.promptPermission) return { permission: 'denied' };
    const answer = await askUser(gui, origin);
    if (answer.granted) {
      policy?.trust(origin);
      return granted();
    }
    if (origin && answer.ignoreFurther) policy?.ignore(origin);
    return { permission: 'denied' };
  },
  { serial: false },
);

/**
 * `{scopes: [...recognised]}` plus `actions` when the "actions" scope is asked: the given names
 * that are actions (in the given order), or every action name when `actions` is null.
 * Only actions this server implements are reported, so clients can feature-detect.
 */
export const apiReflect = defineAnkiAction(
  'apiReflect',
  ({ scopes, actions }, ctx) => {
    const result: { scopes: string[]; actions?: string[] } = { scopes: [] };
    if (scopes.includes('actions')) {
      let names: string[];
      if (actions === null) names = ctx.registry.names();
      else {
        names = [];
        for (const a of actions) {
          if (typeof a !== 'string') throw new Error(`attribute name must be string, not '${pyTypeName(a)}'`);
          if (ctx.registry.has(a)) names.push(a);
        }
      }
      result.scopes.push('actions');
      result.actions = names;
    }
    return result;
  },
  { serial: false },
);

/** Runs the sub-requests in order; each reply is as that request alone would get it. */
export const multi = defineAnkiAction('multi', async ({ actions }, ctx: ActionContext) => {
  const replies: unknown[] = [];
  for (const sub of actions) replies.push(await ctx.dispatchNested(sub));
  return replies;
});

function profileService(ctx: ActionContext): ProfileService {
  const profiles = ctx.services.profiles;
  if (!profiles) throw new Error('profiles are not available');
  return profiles;
}

export const getProfiles = defineAnkiAction('getProfiles', async (_p, ctx) => [...(await profileService(ctx).list())]);

export const getActiveProfile = defineAnkiAction('getActiveProfile', async (_p, ctx) => profileService(ctx).active());

export const loadProfile = defineAnkiAction('loadProfile', async ({ name }, ctx) => {
  const service = profileService(ctx);
  const names = await service.list();
  if (!names.includes(name)) return false;
  return service.load(name);
});

/** Drops the collection's caches and tells the host (the UI refreshes what it shows). */
export const reloadCollection = defineAnkiAction('reloadCollection', async (_p, ctx) => {
  collection(ctx).storage.notetypes.clearCache();
  await ctx.services.reloadCollection?.();
  return null;
});

export const MISC_ACTIONS = [version, requestPermission, apiReflect, multi, getProfiles, getActiveProfile, loadProfile, reloadCollection, sync];
