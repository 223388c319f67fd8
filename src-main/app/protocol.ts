// `app://deckhand/…`: the renderer build and the profile's media folder, served to our window
// with the same headers (CSP per page) as the browser transport. A privileged standard scheme
// (not file://) so the CSP is a real header and the IPC sender check has one exact origin.
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { mediaHeaders, resolveMediaFile, resolveStaticFile, staticHeaders } from '../ipc/web-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'deckhand';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const MEDIA_BASE = `${APP_ORIGIN}/media/`;

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } }]);
}

export function handleAppScheme(dirs: { rendererDir: string; mediaDir: string }): void {
  protocol.handle(APP_SCHEME, async (req) => {
    const notFound = () => new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return notFound();
    }
    if (url.host !== APP_HOST || (req.method !== 'GET' && req.method !== 'HEAD')) return notFound();
    const path = url.pathname;
    if (path.startsWith('/media/')) {
      const file = resolveMediaFile(dirs.mediaDir, path.slice('/media/'.length));
      return file ? new Response(await readFile(file), { headers: mediaHeaders(file) }) : notFound();
    }
    const page = path === '/' ? '/index.html' : path;
    const file = resolveStaticFile(dirs.rendererDir, page);
    return file ? new Response(await readFile(file), { headers: staticHeaders(page, file) }) : notFound();
  });
}
