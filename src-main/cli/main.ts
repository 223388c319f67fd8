import { DeckhandError } from '../collection/errors';
import { parseArgs, UsageError } from './args';
import { ActionError, connect } from './client';
import { type CommandContext, COMMANDS } from './commands';
import { runServe } from './serve';
import { runSyncServer, SYNC_SERVER_OPTIONS, SYNC_SERVER_USAGE } from './sync-server';

const COMMON_OPTIONS = ['data-dir', 'profile'];
const SERVE_OPTIONS = [...COMMON_OPTIONS, 'port', 'host', 'key', 'ui-port', 'ui-host'];

function help(): string {
  const lines = [
    'usage: deckhand <command> [options]',
    '',
    '  serve        run the AnkiConnect listener (and the UI in a browser) with no window',
    '               deckhand serve [--data-dir DIR] [--profile NAME] [--port N] [--host ADDR] [--key KEY]',
    '  sync-server  run a self-hosted sync server for Anki and Deckhand (users from SYNC_USER1=user:pass, …)',
    `               ${SYNC_SERVER_USAGE}`,
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}\n               ${c.usage}`),
    '',
    'Every command takes --data-dir DIR (or DECKHAND_DATA_DIR) and --profile NAME. When the desktop',
    'app or `deckhand serve` has the profile open, commands go through its listener.',
  ];
  return lines.join('\n');
}

/** Entry of the `deckhand` command line; returns the process exit code. */
export async function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    out(help());
    return name ? 0 : 2;
  }
  try {
    if (name === 'serve') return await runServe(parseArgs(rest, { options: SERVE_OPTIONS }), out);
    if (name === 'sync-server') return await runSyncServer(parseArgs(rest, { options: SYNC_SERVER_OPTIONS }), out);
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command “${name}” (deckhand help lists them)`);
    const args = parseArgs(rest, { flags: ['json', ...(command.flags ?? [])], options: [...COMMON_OPTIONS, ...(command.options ?? [])] });
    const dataDir = args.options.get('data-dir')?.at(-1) ?? process.env.DECKHAND_DATA_DIR;
    const profile = args.options.get('profile')?.at(-1);
    const ctx: CommandContext = { args, json: args.flags.has('json'), dataDir, profile, client: () => connect(dataDir, profile), out };
    const code = await command.run(ctx);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`deckhand: ${e.message}`);
      return 2;
    }
    if (e instanceof ActionError || e instanceof DeckhandError) {
      err(`deckhand: ${e.message}`);
      return 1;
    }
    err(`deckhand: ${(e as Error).message ?? e}`);
    return 1;
  }
}
