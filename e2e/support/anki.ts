// Talking to the served profile's AnkiConnect listener from a spec (to set up notes, to drive the
// window through the GUI actions, to check what was saved).
import type { Served } from './fixtures';

export interface AcReply<T = unknown> {
  result: T;
  error: string | null;
}

export async function ac<T = unknown>(served: Served, action: string, params: object = {}): Promise<AcReply<T>> {
  const res = await fetch(served.ankiConnectUrl, { method: 'POST', body: JSON.stringify({ action, version: 6, params }) });
  return (await res.json()) as AcReply<T>;
}

/** Calls an action that must succeed; returns its result. */
export async function acOk<T = unknown>(served: Served, action: string, params: object = {}): Promise<T> {
  const r = await ac<T>(served, action, params);
  if (r.error !== null) throw new Error(`${action}: ${r.error}`);
  return r.result;
}

export async function addBasic(served: Served, front: string, back: string, opts: { deck?: string; tags?: string[] } = {}): Promise<number> {
  return acOk<number>(served, 'addNote', { note: { deckName: opts.deck ?? 'Default', modelName: 'Basic', fields: { Front: front, Back: back }, tags: opts.tags ?? [] } });
}
