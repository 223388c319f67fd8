// The Electron transport: one `ipcMain.handle` per served channel, each checking that the call
// comes from the top frame of one of our windows showing our own page, then running the invoker.
// No electron import (only src-main/app may): the shell passes `ipcMain` in, which also lets the
// sender checks be tested in plain Node.

import type { EventName, EventPayload } from './contract';
import type { EventHub, Invoker } from './invoker';

/** The parts of Electron's types this module uses. */
export interface FrameLike {
  readonly url: string;
}
export interface WebContentsLike {
  readonly id: number;
  readonly mainFrame: FrameLike;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}
export interface IpcInvokeEventLike {
  readonly sender: WebContentsLike;
  readonly senderFrame: FrameLike | null;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The IPC channel of a contract channel (the preload uses the same rule). */
export const ipcChannel = (channel: string) => `deckhand:${channel}`;
/** The one IPC channel events travel on: `(eventName, payload)`. */
export const IPC_EVENT_CHANNEL = 'deckhand:event';

export interface ElectronIpcOptions {
  ipcMain: IpcMainLike;
  invoker: Invoker;
  /** The origin of our pages, e.g. `app://deckhand`. */
  appOrigin: string;
  /** Whether this webContents is one of our windows (not a devtools or foreign view). */
  isOurWindow: (sender: WebContentsLike) => boolean;
  /** Told about refused calls. */
  onRefused?: (reason: string, channel: string) => void;
}

/** The origin of a URL, or null for opaque / malformed ones. */
function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? `${u.protocol}//${u.host}` : u.origin;
  } catch {
    return null;
  }
}

/** Why a call must be refused, or null when it is ours: our window, its top frame, our page. */
export function refusalReason(event: IpcInvokeEventLike, appOrigin: string, isOurWindow: (s: WebContentsLike) => boolean): string | null {
  if (!isOurWindow(event.sender)) return 'the sender is not a Deckhand window';
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame !== event.sender.mainFrame) return 'calls from subframes (card content) are refused';
  if (originOf(frame.url) !== appOrigin) return `calls from ${frame.url || 'an unknown page'} are refused`;
  return null;
}

/** Registers every served channel; returns a function that removes them. */
export function registerElectronIpc(o: ElectronIpcOptions): () => void {
  for (const channel of o.invoker.channels) {
    o.ipcMain.handle(ipcChannel(channel), (event, input) => {
      const reason = refusalReason(event, o.appOrigin, o.isOurWindow);
      if (reason) {
        o.onRefused?.(reason, channel);
        return { ok: false, error: { code: 'forbidden', message: reason } };
      }
      return o.invoker.invoke(channel, input, `ipc:${event.sender.id}`);
    });
  }
  return () => {
    for (const channel of o.invoker.channels) o.ipcMain.removeHandler(ipcChannel(channel));
  };
}

/** Pushes events to our windows; a window does not get back the changes it made itself. */
export function forwardEventsToWindows(hub: EventHub, windows: () => readonly WebContentsLike[]): () => void {
  return hub.subscribe(<E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const wc of windows()) {
      if (wc.isDestroyed()) continue;
      if (event === 'changes' && (payload as EventPayload<'changes'>).origin === `ipc:${wc.id}`) continue;
      wc.send(IPC_EVENT_CHANNEL, event, payload);
    }
  });
}
