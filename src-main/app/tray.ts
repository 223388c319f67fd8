// The tray: reachable actions for a window-less Deckhand (open, sync now, status, start at login,
// quit). On some Linux desktops a click only opens the menu, so every action is in the menu.
import { Menu, nativeImage, Tray } from 'electron';

export interface TrayState {
  syncAvailable: boolean;
  /** A sync is running (Sync Now waits). */
  syncBusy?: boolean;
  syncStatus: string;
  ankiConnect: string;
  openAtLogin: boolean;
}

export interface TrayActions {
  open(): void;
  syncNow(): void;
  setOpenAtLogin(enabled: boolean): void;
  quit(): void;
}

let tray: Tray | null = null; // module-level: a collected Tray disappears

export function createTray(iconPath: string, actions: TrayActions, state: TrayState): (next: Partial<TrayState>) => void {
  tray = new Tray(nativeImage.createFromPath(iconPath));
  let current = state;
  const render = () => {
    if (!tray) return;
    tray.setToolTip(`Deckhand — ${current.syncStatus}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Open Deckhand', click: () => actions.open() },
        { type: 'separator' },
        { label: current.syncBusy ? 'Syncing…' : 'Sync Now', enabled: current.syncAvailable && !current.syncBusy, click: () => actions.syncNow() },
        { label: current.syncStatus, enabled: false },
        { label: current.ankiConnect, enabled: false },
        { type: 'separator' },
        { label: 'Start at Login', type: 'checkbox', checked: current.openAtLogin, click: (item) => actions.setOpenAtLogin(item.checked) },
        { type: 'separator' },
        { label: 'Quit Deckhand', click: () => actions.quit() },
      ]),
    );
  };
  tray.on('click', () => actions.open());
  render();
  return (next) => {
    current = { ...current, ...next };
    render();
  };
}

export function destroyTray(): void {
  tray?.destroy();
  tray = null;
}
