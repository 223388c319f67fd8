// The sync indicator in the top bar: the loop's live status; a click syncs, or leads to where the
// person has to act (log in, choose upload or download).
import { useEffect, useState } from 'react';
import type { EventPayload } from '../../../src-main/ipc/contract';
import { useApi, useApiMutation, useApiQuery, useServes } from '../api/hooks';
import { navigate } from '../app/router';
import { syncBadge } from '../app/sync-badge';
import { useToast } from './toast';

export function SyncIndicator() {
  const api = useApi();
  const serves = useServes('sync.status');
  const status = useApiQuery('sync.status', {}, { enabled: !!serves });
  const [live, setLive] = useState<EventPayload<'sync-status'> | null>(null);
  const now = useApiMutation('sync.now', { invalidates: ['sync.status'] });
  const toast = useToast();
  useEffect(() => api.on('sync-status', setLive), [api]);
  useEffect(() => setLive(null), [status.data]);
  const s = live ?? status.data;
  if (!serves || !s) return null;
  const b = syncBadge(s);
  const click = () => {
    if (b.action === 'sync') now.mutate({}, { onError: (e) => toast.error(e) });
    else if (b.action === 'settings') navigate({ name: 'settings' });
    else if (b.action === 'tools') navigate({ name: 'tools' });
  };
  return (
    <button type="button" className={`sync-indicator sync-${b.tone}`} title={b.title} aria-label={`Sync status — ${b.label}`} disabled={b.action === null} onClick={click}>
      {b.label}
    </button>
  );
}
