// The Electron shell: the only module allowed to import electron.
import { app } from 'electron';

app.whenReady().then(() => {
  /* window, tray and listener are wired here */
});
