import { DeckhandHost } from '../host/host';
import { attachBrowserUi } from '../ipc/serve-ui';
import { type ParsedArgs, intOpt, opt } from './args';

/**
 * `deckhand serve`: the core and the AnkiConnect listener with no Electron (plus the UI in a
 * browser once the browser transport is attached). Shuts down cleanly on SIGINT/SIGTERM.
 */
export async function runServe(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const host = await DeckhandHost.start({
    dataDir: opt(args, 'data-dir') ?? process.env.DECKHAND_DATA_DIR,
    profile: opt(args, 'profile'),
    ankiConnect: { host: opt(args, 'host'), port: intOpt(args, 'port'), apiKey: opt(args, 'key') ?? null },
  });
  const ui = await attachBrowserUi(host, { host: opt(args, 'ui-host'), port: intOpt(args, 'ui-port') ?? 0 });
  out(`Deckhand is serving profile “${host.session.name}” (${host.session.info.collectionPath})`);
  out(`AnkiConnect listening on ${host.ankiConnectUrl}`);
  if (ui.hasUi) out(`Open the app in a browser: ${ui.openUrl}`);
  else out(`The browser UI is not built yet (npm run build); its API is at ${ui.url}`);
  out('Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      out(`\n${signal}: closing the collection…`);
      host
        .stop()
        .then(() => out('stopped; nothing lost.'))
        .finally(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
