import { describe, expect, it } from 'vitest';
import { forwardEventsToWindows, type IpcInvokeEventLike, type IpcMainLike, IPC_EVENT_CHANNEL, ipcChannel, refusalReason, registerElectronIpc, type WebContentsLike } from './electron-ipc';
import { noChanges } from '../collection/op-changes';
import { createInvoker, EventHub } from './invoker';

const APP = 'app://deckhand';

function fakeWindow(id: number, url = `${APP}/index.html`) {
  const sent: unknown[][] = [];
  const wc: WebContentsLike & { sent: unknown[][] } = { id, mainFrame: { url }, isDestroyed: () => false, send: (...a: unknown[]) => void sent.push(a), sent };
  return wc;
}

function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = { handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c) };
  return { ipcMain, handlers };
}

describe('sender checks', () => {
  const win = fakeWindow(1);
  const ours = (s: WebContentsLike) => s === win;
  it('accepts the top frame of our window on our page', () => {
    expect(refusalReason({ sender: win, senderFrame: win.mainFrame }, APP, ours)).toBeNull();
  });
  it('refuses other windows, subframes, foreign pages and gone frames', () => {
    const other = fakeWindow(2);
    expect(refusalReason({ sender: other, senderFrame: other.mainFrame }, APP, ours)).toMatch(/not a Deckhand window/);
    expect(refusalReason({ sender: win, senderFrame: { url: `${APP}/card-frame.html` } }, APP, ours)).toMatch(/subframes/);
    expect(refusalReason({ sender: win, senderFrame: null }, APP, ours)).toMatch(/gone/);
    const navigated = fakeWindow(1, 'https://evil.example/');
    expect(refusalReason({ sender: navigated, senderFrame: navigated.mainFrame }, APP, (s) => s === navigated)).toMatch(/evil\.example/);
    const lookalike = fakeWindow(1, 'app://deckhand.evil/index.html');
    expect(refusalReason({ sender: lookalike, senderFrame: lookalike.mainFrame }, APP, (s) => s === lookalike)).toMatch(/refused/);
  });
});

describe('registerElectronIpc', () => {
  it('registers one handler per served channel and runs it for our window only', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const win = fakeWindow(7);
    const invoker = createInvoker({ 'decks.current': () => ({ id: 1 }) });
    const refused: string[] = [];
    const off = registerElectronIpc({ ipcMain, invoker, appOrigin: APP, isOurWindow: (s) => s === win, onRefused: (r) => refused.push(r) });
    expect([...handlers.keys()]).toEqual([ipcChannel('decks.current')]);
    const h = handlers.get(ipcChannel('decks.current'))!;
    expect(await h({ sender: win, senderFrame: win.mainFrame }, {})).toEqual({ ok: true, value: { id: 1 } });
    const stranger = fakeWindow(8);
    expect(await h({ sender: stranger, senderFrame: stranger.mainFrame }, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(refused).toHaveLength(1);
    off();
    expect(handlers.size).toBe(0);
  });

  it('forwards events to windows, except a window’s own changes', () => {
    const hub = new EventHub();
    const a = fakeWindow(1);
    const b = fakeWindow(2);
    forwardEventsToWindows(hub, () => [a, b]);
    hub.emit('changes', { op: 'Add Deck', changes: noChanges(), origin: 'ipc:1' });
    expect(a.sent).toEqual([]);
    expect(b.sent).toEqual([[IPC_EVENT_CHANNEL, 'changes', { op: 'Add Deck', changes: noChanges(), origin: 'ipc:1' }]]);
  });
});
