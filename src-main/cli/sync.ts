// `deckhand sync`: through the running Deckhand's listener (AnkiConnect `sync`) when one holds
// the profile, else in this process through `syncProfile` (login, full-sync choice, counts).

import { openProfile } from '../host/open-profile';
import { ProfileManager } from '../profiles/profiles-service';
import type { FullSyncRequired } from '../sync/sync-service';
import { describeFullSyncChoice, logout, type ProfileSyncResult, summarizeMedia, summarizeSync, syncProfile } from '../sync/sync-session';
import { opt, UsageError } from './args';
import { ActionError, connect, runningInstance } from './client';
import type { Command, CommandContext } from './commands';

/** Exit status when a one-way full sync must be chosen (nothing was changed). */
export const EXIT_FULL_SYNC_REQUIRED = 3;

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** `deckhand sync --full DIRECTION` with the --data-dir/--profile the person gave. */
function pickCommand(ctx: CommandContext, direction: 'upload' | 'download'): string {
  const parts = ['deckhand sync', `--full ${direction}`];
  const dir = opt(ctx.args, 'data-dir');
  if (dir) parts.push(`--data-dir ${quote(dir)}`);
  if (ctx.profile) parts.push(`--profile ${quote(ctx.profile)}`);
  return parts.join(' ');
}

function fullSyncLines(ctx: CommandContext, f: FullSyncRequired): string[] {
  const choice = describeFullSyncChoice(f);
  const header = f.remoteEmpty
    ? "The server has no collection for this account yet: the first sync is a one-way upload."
    : !f.uploadOk
      ? "This collection is empty: the first sync is a one-way download of the server's."
      : 'A one-way full sync is required: this collection and the server’s were changed in ways that cannot be merged (a note type was changed, a sync check failed, or the two were never synced).';
  const lines = [header, 'Nothing was changed.', `  ${choice.upload}`, `  ${choice.download}`];
  const picks = (['upload', 'download'] as const).filter((d) => (d === 'upload' ? f.uploadOk : f.downloadOk)).map((d) => pickCommand(ctx, d));
  lines.push(picks.length > 1 ? `Choose one:\n  ${picks.join('\n  ')}` : `To go ahead: ${picks[0]}`);
  return lines;
}

function resultLines(ctx: CommandContext, r: ProfileSyncResult): string[] {
  const lines: string[] = [];
  if (r.loggedIn) lines.push(`logged in as ${r.username} at ${r.endpoint} (the login is saved; the password is not)`);
  if (r.movedTo) lines.push(`the server moved this account to ${r.movedTo} (saved)`);
  if (r.serverMessage) lines.push(`message from the server: ${r.serverMessage}`);
  if (r.outcome === 'full-sync-required' && r.fullSync) return [...lines, ...fullSyncLines(ctx, r.fullSync)];
  lines.push(summarizeSync(r));
  const media = summarizeMedia(r);
  if (media) lines.push(media);
  if (r.backupPath) lines.push(`a copy of the collection from before is in ${r.backupPath}`);
  return lines;
}

async function viaListener(ctx: CommandContext, pid: number, url: string): Promise<number> {
  const who = `the running Deckhand (pid ${pid}, ${url})`;
  const creds = ctx.args.options.has('user') || ctx.args.options.has('password');
  if (creds)
    throw new ActionError(
      `${who} has this profile open, and its AnkiConnect listener never carries passwords, so --user/--password cannot be passed to it. Log in from that app's sync settings, or stop it and run deckhand sync --user … --password … here.`,
    );
  if (ctx.args.options.has('full'))
    throw new ActionError(`${who} has this profile open; choose the one-way sync direction in its window or tray, or stop it and run ${pickCommand(ctx, opt(ctx.args, 'full') as 'upload')} here.`);
  if (ctx.args.options.has('endpoint'))
    throw new ActionError(`${who} has this profile open and syncs with its saved server; --endpoint applies only when no Deckhand holds the profile.`);
  if (ctx.args.flags.has('logout')) throw new ActionError(`${who} has this profile open; log out from its sync settings, or stop it first.`);
  const client = await connect(ctx.dataDir, ctx.profile);
  try {
    await client.call('sync');
  } catch (e) {
    const msg = (e as Error).message;
    if (msg === 'sync: auth not configured')
      throw new ActionError(`not logged in: ${who} has no sync login. Log in from its sync settings, or stop it and run deckhand sync --user … --password … here.`);
    const m = /^Sync status (\d)/.exec(msg);
    if (m) {
      const dirs = m[1] === '3' ? 'download' : m[1] === '4' ? 'upload' : 'upload or download';
      const text = `A one-way full sync is required (${dirs}). Nothing was changed. Choose it in ${who}'s window or tray, or stop it and run ${pickCommand(ctx, dirs === 'download' ? 'download' : 'upload')} here.`;
      if (ctx.json) ctx.out(JSON.stringify({ via: 'listener', outcome: 'full-sync-required', message: text }, null, 2));
      else ctx.out(text);
      return EXIT_FULL_SYNC_REQUIRED;
    }
    throw e;
  } finally {
    await client.close();
  }
  if (ctx.json) ctx.out(JSON.stringify({ via: 'listener', outcome: 'synced' }, null, 2));
  else ctx.out(`synced through ${who}`);
  return 0;
}

async function inProcess(ctx: CommandContext): Promise<number> {
  const manager = new ProfileManager({ baseDir: ctx.dataDir });
  const name = ctx.profile ?? manager.lastProfile() ?? manager.list()[0]?.name ?? 'User 1';
  const session = openProfile(manager, name);
  try {
    if (ctx.args.flags.has('logout')) {
      logout(session);
      ctx.out(ctx.json ? JSON.stringify({ via: 'in-process', loggedOut: true }, null, 2) : `logged out of sync for profile “${session.name}” (the collection is untouched)`);
      return 0;
    }
    const user = opt(ctx.args, 'user');
    const password = opt(ctx.args, 'password') ?? (user !== undefined ? process.env.DECKHAND_SYNC_PASSWORD : undefined);
    const r = await syncProfile(session, {
      username: user,
      password,
      endpoint: opt(ctx.args, 'endpoint'),
      fullSync: opt(ctx.args, 'full') as 'upload' | 'download' | undefined,
      media: ctx.args.flags.has('no-media') ? false : undefined,
    });
    if (ctx.json) ctx.out(JSON.stringify({ via: 'in-process', profile: session.name, ...r }, null, 2));
    else ctx.out(resultLines(ctx, r).join('\n'));
    return r.outcome === 'full-sync-required' ? EXIT_FULL_SYNC_REQUIRED : 0;
  } finally {
    session.close();
  }
}

export const syncCommand: Command = {
  summary: 'sync the profile with AnkiWeb or a self-hosted server (log in once with --user/--password)',
  usage: 'deckhand sync [--endpoint URL] [--user U --password P] [--full upload|download] [--no-media] [--logout] [--json]',
  flags: ['logout', 'no-media'],
  options: ['endpoint', 'user', 'password', 'full'],
  async run(ctx) {
    const full = opt(ctx.args, 'full');
    if (full !== undefined && full !== 'upload' && full !== 'download') throw new UsageError(`--full takes upload or download, not “${full}”`);
    const user = opt(ctx.args, 'user');
    const hasPassword = opt(ctx.args, 'password') !== undefined || (user !== undefined && process.env.DECKHAND_SYNC_PASSWORD !== undefined);
    if (user !== undefined && !hasPassword) throw new UsageError('--user needs --password (or DECKHAND_SYNC_PASSWORD in the environment)');
    if (user === undefined && opt(ctx.args, 'password') !== undefined) throw new UsageError('--password needs --user');
    const running = runningInstance(ctx.dataDir, ctx.profile);
    if (running?.ankiConnectUrl) return viaListener(ctx, running.pid, running.ankiConnectUrl);
    if (running)
      throw new ActionError(
        `the running Deckhand (pid ${running.pid}) has this profile open without an AnkiConnect listener, so the command line cannot reach it; sync from its window or tray, or quit it first.`,
      );
    return inProcess(ctx);
  },
};
