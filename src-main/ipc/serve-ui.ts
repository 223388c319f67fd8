// Serving the UI of an open profile in a browser: handlers + events + the browser transport, in
// one call, for `deckhand serve` (attachBrowserUi) and the e2e harness (startBrowserUi).

import type { DeckhandHost, HostSync } from '../host/host';
import type { OpenProfile } from '../host/open-profile';
import { GuiBridge } from './gui-bridge';
import { createHandlers } from './handlers';
import { type BrowserTransport, newToken, startBrowserTransport } from './http';
import { createInvoker, EventHub, type Invoker } from './invoker';
import { forwardSyncStatus } from './sync-view';
import { defaultRendererDir } from './web-files';

export interface BrowserUiOptions {
  host?: string;
  port?: number;
  /** Default: a fresh random token. */
  token?: string;
  /** Default: the project's `out/renderer`. */
  staticDir?: string | null;
  version?: string;
  onError?: (where: string, error: unknown) => void;
  /** The host's sync loop, for the sync channels and `sync-status` events. */
  sync?: HostSync;
}

export interface BrowserUi extends BrowserTransport {
  readonly invoker: Invoker;
  readonly events: EventHub;
  /** AnkiConnect's GUI actions drive the connected tabs through this (`host.addGui(ui.gui.hooks)`). */
  readonly gui: GuiBridge;
  /** Whether the renderer build was found (else only the API is served). */
  readonly hasUi: boolean;
}

export async function startBrowserUi(session: OpenProfile, opts: BrowserUiOptions = {}): Promise<BrowserUi> {
  const mediaToken = newToken();
  const events = new EventHub();
  // a tab of the app is "the window" while its event stream is connected
  const gui = new GuiBridge({ events, session, isWindowOpen: () => events.subscriberCount('gui') > 0, windows: () => events.subscriberCount('gui') });
  const invoker = createInvoker(createHandlers({ session, mediaBase: `/media/${mediaToken}/`, version: opts.version, events, sync: opts.sync, gui }), {
    onError: (channel, e) => (opts.onError ?? defaultOnError)(`channel ${channel}`, e),
  });
  const staticDir = opts.staticDir === undefined ? defaultRendererDir() : opts.staticDir;
  // the session follows a collection reopened by a full sync download
  const stopChanges = events.forwardChanges(session);
  const stopSync = opts.sync ? forwardSyncStatus(events, opts.sync) : () => undefined;
  const stopForwarding = () => {
    stopChanges();
    stopSync();
    gui.dispose();
  };
  let transport: BrowserTransport;
  try {
    transport = await startBrowserTransport({
      invoker,
      events,
      host: opts.host,
      port: opts.port,
      token: opts.token ?? newToken(),
      staticDir,
      mediaDir: session.info.mediaDir,
      mediaToken,
      onError: opts.onError ?? defaultOnError,
    });
  } catch (e) {
    stopForwarding();
    throw e;
  }
  return {
    url: transport.url,
    openUrl: transport.openUrl,
    port: transport.port,
    invoker,
    events,
    gui,
    hasUi: !!staticDir,
    close: async () => {
      stopForwarding();
      await transport.close();
    },
  };
}

/** Adds the browser UI to a running host (`deckhand serve`): stopped with it, URL in its running file. */
export async function attachBrowserUi(host: DeckhandHost, opts: BrowserUiOptions = {}): Promise<BrowserUi> {
  const ui = await startBrowserUi(host.session, { sync: host.sync, ...opts });
  host.uiUrl = ui.url;
  const removeGui = host.addGui(ui.gui.hooks);
  host.onStop(() => {
    removeGui();
    return ui.close();
  });
  host.writeRunningFile();
  return ui;
}

function defaultOnError(where: string, e: unknown): void {
  console.error(`deckhand ui: ${where}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
}
