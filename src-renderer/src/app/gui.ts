// The window's side of AnkiConnect's GUI actions: the core sends `gui` events (browse, open Add
// with a note, the reviewer's card, show the answer…), the window does them and answers through
// `gui.reply`. Screens register what only they can do (the reviewer its card, the Add screen its
// fields) while they are shown; navigation commands are handled by the shell.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { EventPayload } from '../../../src-main/ipc/contract';
import type { ApiClient } from '../api/client';

export type GuiHandler = (...args: never[]) => unknown;

const screenHandlers = new Map<string, GuiHandler>();

/** Registers a screen's handler for a GUI command while the component is mounted (the latest one wins). */
export function useGuiHandler(command: string, handler: GuiHandler): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const fn = ((...args: never[]) => ref.current(...args)) as GuiHandler;
    screenHandlers.set(command, fn);
    return () => {
      if (screenHandlers.get(command) === fn) screenHandlers.delete(command);
    };
  }, [command]);
}

/** A note to open in the Add screen (guiAddCards), in the core's shape. */
export interface AddDraft {
  deckId: number;
  notetypeId: number;
  fields: string[];
  tags: string[];
}

// --- the pending Add draft, for an Add screen that is not open yet
let pendingDraft: AddDraft | null = null;
export function setPendingDraft(d: AddDraft | null): void {
  pendingDraft = d;
}
/** The draft guiAddCards left for the Add screen (cleared with `clearPendingDraft` once shown). */
export function peekPendingDraft(): AddDraft | null {
  return pendingDraft;
}
export function clearPendingDraft(shown: AddDraft | null): void {
  if (shown && pendingDraft === shown) pendingDraft = null;
}

// --- a counter the shell keys the browser with, so guiBrowse starts a fresh search even when it is open
let browseGeneration = 0;
const browseListeners = new Set<() => void>();
export function bumpBrowseGeneration(): void {
  browseGeneration++;
  for (const l of browseListeners) l();
}
export function useBrowseGeneration(): number {
  return useSyncExternalStore(
    (cb) => {
      browseListeners.add(cb);
      return () => browseListeners.delete(cb);
    },
    () => browseGeneration,
  );
}

/** What the shell does itself (navigation); a screen's handler for the same command comes first. */
export type ShellHandlers = Record<string, GuiHandler>;

/**
 * Runs one command: the screen's handler, else the shell's; `handled: false` when this window
 * cannot do it (another window may), errors as messages.
 */
export async function runGuiCommand(cmd: EventPayload<'gui'>, shell: ShellHandlers): Promise<{ handled: boolean; value?: unknown; error: string | null }> {
  const handler = screenHandlers.get(cmd.command) ?? shell[cmd.command];
  if (!handler) return { handled: false, error: null };
  try {
    const value = await (handler as (...a: unknown[]) => unknown)(...cmd.args);
    return { handled: true, value: value === undefined ? null : value, error: null };
  } catch (e) {
    return { handled: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Listens for GUI commands and answers them (mounted once, in the shell). */
export function listenForGuiCommands(api: ApiClient, shell: () => ShellHandlers): () => void {
  return api.on('gui', (cmd) => {
    void runGuiCommand(cmd, shell()).then((r) => api.call('gui.reply', { id: cmd.id, ...r }).catch(() => undefined));
  });
}
