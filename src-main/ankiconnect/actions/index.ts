export * from './registry';
export * from './schemas';
export { defineAnkiAction } from './define';
export { ParamError, bindParams, parseWithSchema, describeValue, formatPath } from './validation';
export { MISC_ACTIONS, type PermissionResult } from './misc';

import { ActionRegistry } from './registry';
import { MISC_ACTIONS } from './misc';

/** The actions implemented so far (those that need no collection). */
export function createDefaultRegistry(): ActionRegistry {
  return new ActionRegistry(MISC_ACTIONS);
}
