/** Wording helpers shared by the schemas and the parameter checker. */

/** Marks a custom message to be prefixed with `<action>: parameter "<path>" `. */
export const PARAM_MESSAGE_MARK = '\u0001';

export const paramMsg = (text: string): string => `${PARAM_MESSAGE_MARK}${text}`;

/** `cards[1]`, `note.fields`, `note.fields["a b"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

/** A short description of a JSON value: `the string "abc"`, `the number 1.5`, `null`, `an object`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (Array.isArray(v)) return 'an array';
  return 'an object';
}

