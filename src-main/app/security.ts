// Electron's security checklist, applied to every web contents the app creates: no navigation
// away from our pages, no new windows (web links go to the system browser), no <webview>, no
// permissions. Card content lives in a sandboxed subframe; its navigations are held to our origin.
import { app, session, shell, type WebContents } from 'electron';
import { safeExternalUrl } from './external-url';

function openOutside(url: string): void {
  const safe = safeExternalUrl(url);
  if (safe) void shell.openExternal(safe);
}

export function hardenWebContents(appOrigin: string): void {
  const ours = (url: string) => {
    try {
      const u = new URL(url);
      return `${u.protocol}//${u.host}` === appOrigin;
    } catch {
      return false;
    }
  };
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openOutside(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (e) => {
      if (!ours(e.url)) {
        e.preventDefault();
        openOutside(e.url);
      }
    });
    contents.on('will-frame-navigate', (e) => {
      if (!ours(e.url) && e.url !== 'about:blank' && e.url !== 'about:srcdoc') {
        e.preventDefault();
        openOutside(e.url);
      }
    });
    contents.on('will-redirect', (e) => {
      if (!ours(e.url)) e.preventDefault();
    });
  });
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
  });
}
