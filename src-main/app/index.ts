// The Electron shell: the only module allowed to import electron. It opens the profile (through
// the same DeckhandHost as `deckhand serve`: collection + AnkiConnect listener), serves the
// contract over IPC to one hardened window, and keeps running in the tray when the window closes.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, nativeTheme, screen } from 'electron';
import { DeckhandHost } from '../host/host';
import { forwardEventsToWindows, registerElectronIpc } from '../ipc/electron-ipc';
import { createHandlers } from '../ipc/handlers';
import { createInvoker, EventHub, type Invoker } from '../ipc/invoker';
import { forwardSyncStatus, syncStatusLine, toSyncView } from '../ipc/sync-view';
import type { SyncStatusView } from '../ipc/contract';
import { GuiBridge } from '../ipc/gui-bridge';
import { HIDDEN_ARG, linuxOpenAtLogin, setLinuxOpenAtLogin } from './login-item';
import { APP_ORIGIN, handleAppScheme, MEDIA_BASE, registerAppScheme } from './protocol';
import { hardenWebContents } from './security';
import { createTray, destroyTray, type TrayState } from './tray';
import { DEFAULT_SIZE, loadWindowState, saveWindowState } from './window-state';

const argValue = (name: string): string | undefined => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
};
const startHidden = process.argv.includes(HIDDEN_ARG);
/** electron-vite dev serves the renderer from a dev server; everything else loads app://deckhand. */
const devRendererUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const appOrigin = devRendererUrl ? new URL(devRendererUrl).origin : APP_ORIGIN;
const here = import.meta.dirname;
const resourcesDir = join(app.getAppPath(), 'resources');
const windowStatePath = () => join(app.getPath('userData'), 'window-state.json');

let win: BrowserWindow | null = null;
let host: DeckhandHost | null = null;
let invoker: Invoker | null = null;
let updateTray: ((s: Partial<TrayState>) => void) | null = null;
let quitting = false;
let cleanedUp = false;
const disposers: (() => void)[] = [];

registerAppScheme();
hardenWebContents(appOrigin);

if (!app.requestSingleInstanceLock()) {
  // Another Deckhand holds the profile: it shows its window (second-instance) and we leave.
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.whenReady().then(start).catch(fatal);
}

async function start(): Promise<void> {
  let ankiConnectError: string | null = null;
  const opts = { dataDir: argValue('data-dir') ?? process.env.DECKHAND_DATA_DIR, profile: argValue('profile') };
  try {
    host = await DeckhandHost.start(opts);
  } catch (e) {
    // The port may be taken (Anki itself with AnkiConnect): run without the listener rather than not at all.
    ankiConnectError = e instanceof Error ? e.message : String(e);
    host = await DeckhandHost.start({ ...opts, ankiConnect: false });
  }
  const session = host.session;
  const events = new EventHub();
  // the session follows a collection reopened by a full sync download
  disposers.push(events.forwardChanges(session));
  disposers.push(forwardSyncStatus(events, host.sync));
  // AnkiConnect's GUI actions (guiBrowse, guiAddCards, the reviewer…) drive the window
  const gui = new GuiBridge({
    events,
    session,
    isWindowOpen: () => !!win && !win.isDestroyed(),
    reveal: () => showWindow(),
    exitApp: () => app.quit(),
  });
  disposers.push(host.addGui(gui.hooks), () => gui.dispose());
  invoker = createInvoker(createHandlers({ session, mediaBase: MEDIA_BASE, version: app.getVersion(), events, sync: host.sync, gui }), {
    onError: (channel, e) => console.error(`deckhand: ${channel}:`, e),
  });
  handleAppScheme({ rendererDir: join(here, '../renderer'), mediaDir: session.info.mediaDir });
  disposers.push(
    registerElectronIpc({
      ipcMain,
      invoker,
      appOrigin,
      isOurWindow: (wc) => !!win && !win.isDestroyed() && wc.id === win.webContents.id,
      onRefused: (reason, channel) => console.warn(`deckhand: refused IPC ${channel}: ${reason}`),
    }),
  );
  disposers.push(forwardEventsToWindows(events, () => (win && !win.isDestroyed() ? [win.webContents] : [])));

  const syncAvailable = invoker.channels.includes('sync.now');
  updateTray = createTray(
    join(resourcesDir, process.platform === 'darwin' ? 'tray.png' : 'tray@2x.png'),
    {
      open: () => showWindow(),
      syncNow: () => void invoker?.invoke('sync.now', {}),
      setOpenAtLogin: (enabled) => setOpenAtLogin(enabled),
      quit: () => app.quit(),
    },
    {
      syncAvailable,
      syncStatus: syncStatusLine(toSyncView(host.sync.status)),
      ankiConnect: host.ankiConnectUrl ? `AnkiConnect: ${host.ankiConnectUrl}` : `AnkiConnect: off${ankiConnectError ? ` (${ankiConnectError})` : ''}`,
      openAtLogin: openAtLogin(),
    },
  );
  disposers.push(
    events.subscribe((event, payload) => {
      if (event !== 'sync-status') return;
      const status = payload as SyncStatusView;
      updateTray?.({ syncStatus: syncStatusLine(status), syncBusy: status.state === 'syncing' });
    }),
  );
  if (!startHidden) showWindow();
}

function createWindow(): BrowserWindow {
  const state = loadWindowState(
    windowStatePath(),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const w = new BrowserWindow({
    ...(state.bounds ?? DEFAULT_SIZE),
    minWidth: 480,
    minHeight: 360,
    show: false,
    title: 'Deckhand',
    icon: join(resourcesDir, 'icon.png'),
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1f22' : '#f7f7f5',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  });
  if (state.maximized) w.maximize();
  w.once('ready-to-show', () => w.show());
  const remember = () => {
    if (w.isDestroyed()) return;
    saveWindowState(windowStatePath(), { bounds: w.getNormalBounds(), maximized: w.isMaximized() });
  };
  let timer: NodeJS.Timeout | undefined;
  const rememberSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(remember, 500);
  };
  w.on('resize', rememberSoon);
  w.on('move', rememberSoon);
  w.on('close', (e) => {
    remember();
    // Closing the window keeps Deckhand (AnkiConnect, sync) running in the tray.
    if (!quitting && updateTray) {
      e.preventDefault();
      w.hide();
    }
  });
  w.on('closed', () => {
    if (win === w) win = null;
  });
  void w.loadURL(devRendererUrl ?? `${APP_ORIGIN}/index.html`);
  return w;
}

function showWindow(): void {
  if (!app.isReady() || !host) return;
  if (!win || win.isDestroyed()) win = createWindow();
  else {
    if (win.isMinimized()) win.restore();
    win.show();
  }
  win.focus();
}

function openAtLogin(): boolean {
  return process.platform === 'linux' ? linuxOpenAtLogin() : app.getLoginItemSettings().openAtLogin;
}

function setOpenAtLogin(enabled: boolean): void {
  if (process.platform === 'linux') {
    const command = app.isPackaged ? [process.execPath] : [process.execPath, app.getAppPath()];
    setLinuxOpenAtLogin(enabled, command);
  } else {
    app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] });
  }
  updateTray?.({ openAtLogin: openAtLogin() });
}

app.on('window-all-closed', () => {
  // With a tray the app lives on; without one (tray creation failed) closing the window quits.
  if (!updateTray) app.quit();
});

app.on('before-quit', (e) => {
  quitting = true;
  if (cleanedUp) return;
  e.preventDefault();
  void shutdown().finally(() => {
    cleanedUp = true;
    app.quit();
  });
});

/** Listeners first, then the collection (check-pointed), so nothing written is lost. */
async function shutdown(): Promise<void> {
  for (const d of disposers.splice(0).reverse()) {
    try {
      d();
    } catch {
      /* keep shutting down */
    }
  }
  destroyTray();
  updateTray = null;
  await host?.stop();
  host = null;
}

function fatal(e: unknown): void {
  console.error('deckhand: cannot start:', e);
  // e.g. the collection is open in Anki, or the data folder cannot be written
  dialog.showErrorBox('Deckhand cannot start', e instanceof Error ? e.message : String(e));
  app.exit(1);
}
