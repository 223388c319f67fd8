// Starts the browser UI over a fresh (or given) profile, for the e2e specs — what
// `deckhand serve --data-dir DIR --port 0` does, without the AnkiConnect listener.
// Prints one JSON line {url, openUrl, dataDir} on stdout, then serves until SIGTERM/SIGINT.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProfile } from '../../src-main/host/open-profile';
import { startBrowserUi } from '../../src-main/ipc/serve-ui';
import { ProfileManager } from '../../src-main/profiles/profiles-service';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

const dataDir = arg('data-dir') ?? mkdtempSync(join(tmpdir(), 'deckhand-e2e-'));
const session = openProfile(new ProfileManager({ baseDir: dataDir }), arg('profile') ?? 'E2E');
const ui = await startBrowserUi(session, { port: Number(arg('port') ?? 0) });
if (!ui.hasUi) {
  console.error('the renderer is not built: run `npm run build` first');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify({ url: ui.url, openUrl: ui.openUrl, dataDir, collectionPath: session.col.path })}\n`);

const stop = async () => {
  await ui.close();
  session.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
