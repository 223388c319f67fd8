export * from './registry';
export * from './schemas';
export { defineAnkiAction } from './define';
export { ParamError, bindParams, parseWithSchema, describeValue, formatPath } from './validation';
export { MISC_ACTIONS, type PermissionResult } from './misc';

import { ActionRegistry } from './registry';
import { CARD_ACTIONS } from './cards';
import { DECK_ACTIONS } from './decks';
import { GUI_ACTION_DEFS } from './gui';
import { MEDIA_ACTIONS } from './media';
import { MISC_ACTIONS } from './misc';
import { MODEL_ACTIONS } from './models';
import { NOTE_ACTIONS } from './notes';
import { PACKAGE_ACTIONS } from './packages';
import { SCHED_ACTIONS } from './sched';

/** Every implemented action. The others answer `unsupported action` and are not listed by apiReflect. */
export function createDefaultRegistry(): ActionRegistry {
  return new ActionRegistry([...MISC_ACTIONS, ...DECK_ACTIONS, ...NOTE_ACTIONS, ...MODEL_ACTIONS, ...CARD_ACTIONS, ...SCHED_ACTIONS, ...MEDIA_ACTIONS, ...PACKAGE_ACTIONS, ...GUI_ACTION_DEFS]);
}
