// What both transports serve besides the API: the built renderer (`out/renderer`) and the
// profile's media folder, with the security headers that go with each. Plain Node: the HTTP
// transport and the Electron shell's `app://` protocol handler share it.

import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';

/** The app shell: only its own scripts; card HTML never runs here (it lives in the card frame). */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "worker-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The card frame (`card-frame.html`, loaded in `<iframe sandbox="allow-scripts">`, so it has an
 * opaque origin): card templates' inline scripts and styles run, media loads from our origin, but
 * nothing can be fetched, posted, framed or submitted — card JS cannot reach the API.
 */
export const CARD_FRAME_CSP = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'none'",
  "frame-src 'none'",
  "object-src 'none'",
  "form-action 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** Media files are data: opened as a document (an SVG, an HTML file) they get no origin and no scripts. */
export const MEDIA_CSP = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'";

export const CARD_FRAME_PATH = '/card-frame.html';

export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.bmp': 'image/bmp',
  '.ico': 'image/x-icon',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.spx': 'audio/ogg',
  '.wav': 'audio/wav',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.flac': 'audio/flac',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.webm': 'video/webm',
  '.ogv': 'video/ogg',
  '.mov': 'video/quicktime',
};

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** `file` is `root` or below it (both already resolved). */
function isInside(root: string, file: string): boolean {
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Decodes one URL path; null when it is malformed or carries a NUL. */
function decodePath(urlPath: string): string | null {
  try {
    const p = decodeURIComponent(urlPath);
    return p.includes('\0') ? null : p;
  } catch {
    return null;
  }
}

/**
 * The file a URL path names under `root`, or null: traversal (`..`, encoded or not), backslashes,
 * NULs, symlinks leading out of `root` and directories are all refused.
 */
export function resolveStaticFile(root: string, urlPath: string): string | null {
  const decoded = decodePath(urlPath);
  if (decoded === null || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter((s) => s !== '');
  if (parts.some((s) => s === '..' || s === '.')) return null;
  const rootReal = realOrNull(root);
  if (!rootReal) return null;
  const file = resolve(rootReal, ...(parts.length ? parts : ['index.html']));
  return checkedFile(rootReal, file);
}

/**
 * The media file with this name (one path segment, as Anki's media folder is flat), or null.
 * `encodedName` is the raw (percent-encoded) URL segment.
 */
export function resolveMediaFile(mediaDir: string, encodedName: string): string | null {
  const name = decodePath(encodedName);
  if (name === null || name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) return null;
  const rootReal = realOrNull(mediaDir);
  if (!rootReal) return null;
  return checkedFile(rootReal, join(rootReal, name));
}

function realOrNull(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

function checkedFile(rootReal: string, file: string): string | null {
  if (!isInside(rootReal, file) || !existsSync(file)) return null;
  const real = realOrNull(file);
  if (!real || !isInside(rootReal, real)) return null;
  try {
    return statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

/** The headers a static file of the renderer build is served with. */
export function staticHeaders(urlPath: string, file: string): Record<string, string> {
  const h: Record<string, string> = { ...COMMON_HEADERS, 'content-type': contentType(file) };
  if (urlPath === CARD_FRAME_PATH) h['content-security-policy'] = CARD_FRAME_CSP;
  else if (file.endsWith('.html')) h['content-security-policy'] = APP_CSP;
  // hashed build assets never change; pages are revalidated
  h['cache-control'] = urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  return h;
}

export function mediaHeaders(file: string): Record<string, string> {
  return { ...COMMON_HEADERS, 'content-type': contentType(file), 'content-security-policy': MEDIA_CSP, 'cache-control': 'no-cache' };
}

/**
 * The built renderer (`out/renderer` of the project this file belongs to), or null when it has not
 * been built (`npm run build`). Found by walking up to the package root, so it works from the
 * sources (tsx) and from the bundled main process alike.
 */
export function defaultRendererDir(from: string = import.meta.dirname ?? '.'): string | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src-renderer'))) {
      const out = join(dir, 'out', 'renderer');
      return existsSync(join(out, 'index.html')) ? out : null;
    }
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'out', 'renderer', 'index.html'))) return join(dir, 'out', 'renderer');
    if (dirname(dir) === dir) return null;
  }
}
