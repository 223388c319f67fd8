// Calls that take a while (imports, exports, backups, sync, media checks): which are running and
// since when, so the shell can show a progress bar for anything longer than a second.

export interface PendingCall {
  id: number;
  channel: string;
  startedAt: number;
}

/** Channels whose calls may take long enough to deserve a progress bar. */
export const LONG_CHANNELS = /^(import\.|export\.|backups\.(create|restore)|tools\.|sync\.(now|chooseFullSync|login))/;

let nextId = 1;
const running = new Map<number, PendingCall>();
const listeners = new Set<() => void>();
let snapshot: PendingCall[] = [];

function changed() {
  snapshot = [...running.values()];
  for (const l of listeners) l();
}

/** Tracks a call while it runs (only long channels are tracked). */
export function trackCall<T>(channel: string, promise: Promise<T>): Promise<T> {
  if (!LONG_CHANNELS.test(channel)) return promise;
  const call = { id: nextId++, channel, startedAt: Date.now() };
  running.set(call.id, call);
  changed();
  const done = () => {
    running.delete(call.id);
    changed();
  };
  promise.then(done, done);
  return promise;
}

export const pendingCalls = (): PendingCall[] => snapshot;

export function onPendingChange(cb: () => void): () => void {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

/** What the progress bar shows: the task, how far (0–1, or null when unknown). */
export interface ProgressView {
  label: string;
  fraction: number | null;
}

const LABELS: [RegExp, string][] = [
  [/^import\./, 'Importing'],
  [/^export\./, 'Exporting'],
  [/^backups\.restore/, 'Restoring the backup'],
  [/^backups\.create/, 'Backing up'],
  [/^tools\.checkMedia/, 'Checking media'],
  [/^tools\.checkDatabase/, 'Checking the database'],
  [/^tools\./, 'Working'],
  [/^sync\./, 'Syncing'],
];

/**
 * The bar for the oldest call running longer than `afterMs`, with the last progress event's
 * figures when there is one (a sync's own progress counts when no call is tracked).
 */
export function progressView(
  calls: readonly PendingCall[],
  now: number,
  last: { task: string; done: number; total: number | null; message: string | null } | null,
  sync: { syncing: boolean; since: number | null; message: string | null; done: number; total: number | null } | null,
  afterMs = 1000,
): ProgressView | null {
  const call = calls.filter((c) => now - c.startedAt >= afterMs).sort((a, b) => a.startedAt - b.startedAt)[0];
  if (call) {
    const label = LABELS.find(([re]) => re.test(call.channel))?.[1] ?? 'Working';
    if (call.channel.startsWith('sync.') && sync?.syncing) return { label: sync.message ?? label, fraction: sync.total ? Math.min(1, sync.done / sync.total) : null };
    const fraction = last && last.total ? Math.min(1, last.done / last.total) : null;
    return { label: last?.message ? `${label}: ${last.message}` : label, fraction };
  }
  if (sync?.syncing && sync.since !== null && now - sync.since >= afterMs) return { label: sync.message ?? 'Syncing', fraction: sync.total ? Math.min(1, sync.done / sync.total) : null };
  return null;
}
