import { describe, expect, it } from 'vitest';
import { LONG_CHANNELS, pendingCalls, progressView, trackCall } from './pending';

describe('the progress bar', () => {
  it('tracks long calls only, while they run', async () => {
    let done!: () => void;
    const p = trackCall('import.file', new Promise<void>((r) => (done = r)));
    trackCall('decks.tree', Promise.resolve());
    expect(pendingCalls().map((c) => c.channel)).toEqual(['import.file']);
    done();
    await p;
    await Promise.resolve();
    expect(pendingCalls()).toEqual([]);
    expect(LONG_CHANNELS.test('sync.now') && LONG_CHANNELS.test('tools.checkMedia') && !LONG_CHANNELS.test('review.answer')).toBe(true);
  });

  it('appears after a second, determinate when the core says how far', () => {
    const calls = [{ id: 1, channel: 'import.file', startedAt: 0 }];
    expect(progressView(calls, 500, null, null)).toBe(null);
    expect(progressView(calls, 1500, null, null)).toEqual({ label: 'Importing', fraction: null });
    expect(progressView(calls, 1500, { task: 'import', done: 25, total: 100, message: 'notes' }, null)).toEqual({ label: 'Importing: notes', fraction: 0.25 });
    // a sync running on its own (automatic) shows too
    const sync = { syncing: true, since: 0, message: 'downloading the collection', done: 1, total: 4 };
    expect(progressView([], 1200, null, sync)).toEqual({ label: 'downloading the collection', fraction: 0.25 });
    expect(progressView([], 1200, null, { ...sync, syncing: false })).toBe(null);
  });
});
