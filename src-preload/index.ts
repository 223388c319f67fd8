// The preload (sandboxed, context-isolated): exposes `window.deckhand` with exactly two functions
// and nothing else. The main process checks every call's sender frame and validates its input,
// so this layer only refuses what is obviously not a channel name.
import { contextBridge, ipcRenderer } from 'electron';
import type { DeckhandBridge } from '../src-main/ipc/contract';
import { IPC_EVENT_CHANNEL, ipcChannel } from '../src-main/ipc/electron-ipc';

const CHANNEL_NAME = /^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)+$/;

const bridge: DeckhandBridge = {
  invoke(channel, input) {
    if (typeof channel !== 'string' || !CHANNEL_NAME.test(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown-channel', message: `unknown channel “${String(channel)}”` } });
    }
    return ipcRenderer.invoke(ipcChannel(channel), input);
  },
  on(event, cb) {
    if (typeof event !== 'string' || typeof cb !== 'function') throw new TypeError('deckhand.on(event: string, callback: function)');
    const listener = (_e: unknown, name: unknown, payload: unknown) => {
      if (name === event) cb(payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, listener);
    };
  },
};

contextBridge.exposeInMainWorld('deckhand', bridge);
