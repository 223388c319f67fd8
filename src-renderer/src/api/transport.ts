// How the renderer reaches the core: the preload's `window.deckhand` inside Electron, or the
// browser transport (POST /api/<channel>, Server-Sent Events) when the UI runs in a browser.
import { type DeckhandBridge, EVENT_NAMES, type Reply } from '../../../src-main/ipc/contract';

export interface Transport {
  readonly kind: 'ipc' | 'http';
  invoke(channel: string, input: unknown): Promise<Reply>;
  on(event: string, cb: (payload: unknown) => void): () => void;
  /** Called when the event stream reconnects after a break (changes may have been missed). */
  onReconnect(cb: () => void): () => void;
}

declare global {
  interface Window {
    deckhand?: DeckhandBridge;
  }
}

export function ipcTransport(bridge: DeckhandBridge): Transport {
  return {
    kind: 'ipc',
    invoke: (channel, input) => bridge.invoke(channel, input),
    on: (event, cb) => bridge.on(event, cb),
    onReconnect: () => () => undefined,
  };
}

const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The browser transport. The server normally swaps `?token=` for an HttpOnly cookie and redirects;
 * if the page still carries a token (or one is given) it is kept in memory only and removed from the
 * address bar.
 */
export function httpTransport(opts: { base?: string; token?: string | null } = {}): Transport {
  const base = opts.base ?? '';
  const client = randomId();
  const token = opts.token ?? null;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const reconnects = new Set<() => void>();
  let source: EventSource | null = null;

  const connect = () => {
    if (source || typeof EventSource === 'undefined') return;
    const params = new URLSearchParams({ client });
    if (token) params.set('token', token);
    source = new EventSource(`${base}/api/events?${params}`);
    let opened = false;
    source.addEventListener('open', () => {
      if (opened) for (const cb of reconnects) cb();
      opened = true;
    });
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (e) => {
        let payload: unknown;
        try {
          payload = JSON.parse((e as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const cb of listeners.get(name) ?? []) cb(payload);
      });
    }
  };

  return {
    kind: 'http',
    async invoke(channel, input) {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-deckhand-client': client };
      if (token) headers['x-deckhand-token'] = token;
      let res: Response;
      try {
        res = await fetch(`${base}/api/${encodeURIComponent(channel)}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}), credentials: 'same-origin' });
      } catch (e) {
        return { ok: false, error: { code: 'offline', message: `Deckhand is not reachable (${(e as Error).message}). Is \`deckhand serve\` still running?` } };
      }
      try {
        return (await res.json()) as Reply;
      } catch {
        return { ok: false, error: { code: 'internal', message: `unexpected reply from the server (HTTP ${res.status})` } };
      }
    },
    on(event, cb) {
      connect();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      return () => set.delete(cb);
    },
    onReconnect(cb) {
      reconnects.add(cb);
      return () => reconnects.delete(cb);
    },
  };
}

/** `window.deckhand` when the preload provided it, else the browser transport. */
export function pickTransport(): Transport {
  if (window.deckhand && typeof window.deckhand.invoke === 'function') return ipcTransport(window.deckhand);
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token) {
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return httpTransport({ token });
}
