// A progress bar under the top bar for anything that takes longer than a second: imports, exports,
// backups, Check Media, syncs. Determinate when the core reports how far it is (`progress` events,
// the sync status), else indeterminate.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { EventPayload } from '../../../src-main/ipc/contract';
import { onPendingChange, pendingCalls, progressView } from '../api/pending';
import { useApi } from '../api/hooks';

export function ProgressBar() {
  const api = useApi();
  const calls = useSyncExternalStore(onPendingChange, pendingCalls);
  const [last, setLast] = useState<EventPayload<'progress'> | null>(null);
  const [sync, setSync] = useState<{ syncing: boolean; since: number | null; message: string | null; done: number; total: number | null } | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => api.on('progress', setLast), [api]);
  useEffect(
    () =>
      api.on('sync-status', (s) =>
        setSync((prev) => ({
          syncing: s.state === 'syncing',
          since: s.state === 'syncing' ? (prev?.syncing ? prev.since : Date.now()) : null,
          message: s.progress?.message ?? (s.state === 'syncing' ? 'Syncing' : null),
          done: s.progress?.done ?? 0,
          total: s.progress?.total ?? null,
        })),
      ),
    [api],
  );
  useEffect(() => {
    if (!calls.length) setLast(null);
  }, [calls.length]);
  const active = calls.length > 0 || !!sync?.syncing;
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [active]);

  const view = active ? progressView(calls, now, last, sync) : null;
  if (!view) return null;
  return (
    <div className="progress-strip" role="status" aria-live="polite">
      <progress className="progress" aria-label={view.label} max={1} value={view.fraction ?? undefined} />
      <span className="progress-label">{view.label}</span>
    </div>
  );
}
