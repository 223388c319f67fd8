// Which links may leave the app for the system browser: web pages only, parsed properly (never
// a prefix test), without credentials.

export function safeExternalUrl(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  if (u.username || u.password || !u.hostname) return null;
  return u.href;
}
