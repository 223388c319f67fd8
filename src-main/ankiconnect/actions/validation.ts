/**
 * Parameter checking for a call, in the order Python binds `AnkiConnect.<action>(**params)`:
 * `params` must be a mapping, unknown names are refused, missing required names are refused
 * (all with CPython's exact wording), then the zod schema checks types and produces a
 * readable message naming the parameter (AnkiConnect itself does no type checking; it fails
 * later with whatever Python raises).
 */
import { z } from 'zod';
import { pyMissingArgs, pyQualName, pyTypeName, pyUnexpectedKeyword } from '../py-compat';
import type { ActionDefinition } from './registry';
import { PARAM_MESSAGE_MARK, describeValue, formatPath } from './messages';

export { describeValue, formatPath };

export class ParamError extends Error {
  override readonly name = 'ParamError';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  array: 'an array',
  tuple: 'an array',
  object: 'an object',
  record: 'an object',
  map: 'an object',
  null: 'null',
};

/** Readable text for one zod issue. Used as the per-parse error map, so custom messages win. */
function issueText(action: string, iss: any): string {
  const where = `${action}: parameter ${JSON.stringify(formatPath(iss.path ?? []))}`;
  const input = iss.input;
  switch (iss.code) {
    case 'invalid_type': {
      const expected = EXPECTED[iss.expected] ?? String(iss.expected);
      if (input === undefined) return `${where} is missing (expected ${expected})`;
      return `${where} must be ${expected}, not ${describeValue(input)}`;
    }
    case 'too_small':
    case 'too_big': {
      const small = iss.code === 'too_small';
      if (iss.origin === 'array') {
        const bound = Number(small ? iss.minimum : iss.maximum);
        const exact = Array.isArray(input) && iss.exact;
        return `${where} must have ${exact ? '' : small ? 'at least ' : 'at most '}${bound} element${bound === 1 ? '' : 's'}`;
      }
      if (iss.origin === 'int' || iss.origin === 'number') {
        if (!small && Number(iss.maximum) === Number.MAX_SAFE_INTEGER) return `${where} must be an integer within ±2^53`;
        if (small && Number(iss.minimum) === Number.MIN_SAFE_INTEGER) return `${where} must be an integer within ±2^53`;
        return `${where} must be ${small ? 'at least' : 'at most'} ${small ? iss.minimum : iss.maximum}`;
      }
      if (iss.origin === 'string') return `${where} must be ${small ? 'at least' : 'at most'} ${small ? iss.minimum : iss.maximum} characters long`;
      return `${where} is out of range`;
    }
    case 'invalid_value':
      return `${where} must be one of ${(iss.values ?? []).map((v: unknown) => JSON.stringify(v)).join(', ')}, not ${describeValue(input)}`;
    case 'invalid_union':
      return `${where} has an unsupported value: ${describeValue(input)}`;
    case 'invalid_key':
      return `${where} has an invalid key`;
    case 'invalid_element':
      return `${where} has an invalid element`;
    case 'unrecognized_keys':
      return `${where} has unknown keys: ${(iss.keys ?? []).join(', ')}`;
    case 'invalid_format':
      return `${where} must be ${iss.format ?? 'well-formed'}, not ${describeValue(input)}`;
    default:
      return `${where} is invalid${iss.message ? ` (${iss.message})` : ''}`;
  }
}

/**
 * Checks `params` for `def` and returns the parsed (defaults filled) value.
 * Throws `ParamError` with AnkiConnect-compatible or readable text.
 */
export function bindParams(def: ActionDefinition<any, unknown>, params: unknown): unknown {
  if (!isPlainObject(params)) {
    throw new ParamError(`${pyQualName(def.name)} argument after ** must be a mapping, not ${pyTypeName(params)}`);
  }
  const known = new Set(def.paramNames);
  for (const key of Object.keys(params)) {
    if (key === 'self') throw new ParamError(`${pyQualName(def.name)} got multiple values for argument 'self'`);
    if (!known.has(key)) throw new ParamError(pyUnexpectedKeyword(def.name, key));
  }
  const missing = def.requiredParams.filter((k) => !Object.hasOwn(params, k));
  if (missing.length > 0) throw new ParamError(pyMissingArgs(def.name, missing));
  return parseWithSchema(def.name, def.params, params);
}

/** Parses `value` with `schema`; failures become a ParamError naming the first bad parameter. */
export function parseWithSchema<S extends z.ZodType>(action: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value, { error: (iss) => issueText(action, iss) });
  if (result.success) return result.data;
  const first = result.error.issues[0];
  if (!first) throw new ParamError(`${action}: invalid parameters`);
  const message = first.message.startsWith(PARAM_MESSAGE_MARK)
    ? `${action}: parameter ${JSON.stringify(formatPath(first.path))} ${first.message.slice(PARAM_MESSAGE_MARK.length)}`
    : first.message;
  throw new ParamError(message);
}
