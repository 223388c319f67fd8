/**
 * `defineAnkiAction(name, handler)`: defines one of AnkiConnect's actions with its schema from
 * the table, so phase-2 handlers only write the body — typed params included.
 */
import { defineAction, type ActionDefinition, type ActionHandler, type ActionOptions } from './registry';
import { ACTION_PARAMS, GUI_ACTIONS, type ActionName, type ActionParams } from './schemas';

export function defineAnkiAction<N extends ActionName, R>(
  name: N,
  handler: ActionHandler<ActionParams<N>, R>,
  options: ActionOptions = {},
): ActionDefinition<(typeof ACTION_PARAMS)[N], R> {
  return defineAction(name, ACTION_PARAMS[name], handler as ActionHandler<any, R>, {
    requiresWindow: GUI_ACTIONS.has(name),
    ...options,
  }) as ActionDefinition<(typeof ACTION_PARAMS)[N], R>;
}
