/**
 * DNS-rebinding protection (AnkiConnect has none): a page on `http://evil.example:8765` whose
 * DNS name is re-pointed at 127.0.0.1 is same-origin with itself, so CORS does not stop it —
 * but its requests carry `Host: evil.example:8765`. Only hosts that name this machine's
 * listener are answered.
 */
import { isIP } from 'node:net';
import { hostname as osHostname } from 'node:os';

/** Lower-cased host name without port, brackets or trailing dot; IPv6 in canonical form. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    h = end > 0 ? h.slice(1, end) : h.slice(1);
  } else if ((h.match(/:/g) ?? []).length === 1) {
    h = h.slice(0, h.indexOf(':'));
  }
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (isIP(h) === 6) {
    try {
      h = new URL(`http://[${h}]/`).hostname.slice(1, -1);
    } catch {
      /* keep as is */
    }
  }
  return h;
}

export function isLoopbackHost(host: string): boolean {
  const h = normalizeHost(host);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:(127\.|7f[0-9a-f]{2}:)/.test(h);
  return false;
}

export function isWildcardAddress(address: string): boolean {
  const h = normalizeHost(address);
  return h === '0.0.0.0' || h === '::' || h === '';
}

export interface HostCheckOptions {
  /** Addresses the server is bound to. */
  bindAddresses: readonly string[];
  /** Extra host names the user allows (e.g. a LAN name when bound to 0.0.0.0). */
  allowedHosts?: readonly string[];
}

/** Builds the predicate for the `Host` header. A missing header (HTTP/1.0) is allowed. */
export function createHostCheck(options: HostCheckOptions): (hostHeader: string | undefined) => boolean {
  const explicit = new Set<string>();
  for (const a of options.bindAddresses) if (!isWildcardAddress(a)) explicit.add(normalizeHost(a));
  for (const a of options.allowedHosts ?? []) explicit.add(normalizeHost(a));
  const wildcard = options.bindAddresses.some(isWildcardAddress);
  const machine = normalizeHost(osHostname());
  return (hostHeader) => {
    if (hostHeader === undefined) return true;
    const h = normalizeHost(hostHeader);
    if (isLoopbackHost(h) || explicit.has(h)) return true;
    if (wildcard) {
      // IP literals cannot be rebound; the machine's own names are what LAN clients use.
      if (isIP(h) !== 0) return true;
      if (h === machine || h === `${machine}.local`) return true;
    }
    return false;
  };
}

export function hostRejectedMessage(hostHeader: string): string {
  return (
    `request refused: the Host header '${hostHeader}' does not name this AnkiConnect server ` +
    `(DNS-rebinding protection); use http://127.0.0.1 or http://localhost, ` +
    `or add the host name to the allowed hosts in Deckhand's AnkiConnect settings`
  );
}
