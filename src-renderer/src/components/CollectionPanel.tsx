// Whole-collection packages and backups: replace the collection with a .colpkg, export one, back
// up now, restore a backup. Replacing asks first and backs up the current collection.
import { useState } from 'react';
import { useApiMutation, useApiQuery, useServes } from '../api/hooks';
import { Dialog } from './dialog';
import { useToast } from './toast';

const size = (n: number) => (n > 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} kB`);

export function CollectionPanel() {
  const serves = useServes('backups.list');
  const toast = useToast();
  const list = useApiQuery('backups.list', {}, { enabled: !!serves });
  const refresh = { invalidates: ['backups.list' as const, 'app.info' as const] };
  const replace = useApiMutation('import.collectionPackage', { ...refresh, onSuccess: (r) => toast.info(`Collection replaced.${r.backupPath ? ' The previous one was backed up.' : ''}`) });
  const restore = useApiMutation('backups.restore', { ...refresh, onSuccess: () => toast.info('Backup restored.') });
  const create = useApiMutation('backups.create', { ...refresh, onSuccess: (r) => toast.info(r.path ? 'Backed up.' : 'Nothing changed since the last backup.') });
  const exp = useApiMutation('export.collectionPackage', { onSuccess: (r) => toast.info(`Exported the collection with ${r.media} media files.`) });
  const [pkgPath, setPkgPath] = useState('');
  const [exportPath, setExportPath] = useState('');
  const [withMedia, setWithMedia] = useState(true);
  const [confirm, setConfirm] = useState<{ kind: 'replace' | 'restore'; path: string } | null>(null);
  if (!serves) return null;
  const busy = replace.isPending || restore.isPending || create.isPending || exp.isPending;
  const go = () => {
    if (!confirm) return;
    const fail = { onError: (e: unknown) => toast.error(e) };
    if (confirm.kind === 'replace') replace.mutate({ path: confirm.path }, fail);
    else restore.mutate({ path: confirm.path }, fail);
    setConfirm(null);
  };
  return (
    <fieldset className="collection-panel">
      <legend>Collection and backups</legend>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setConfirm({ kind: 'replace', path: pkgPath });
        }}
      >
        <label className="grow">
          Collection package to import (.colpkg)
          <input value={pkgPath} onChange={(e) => setPkgPath(e.target.value)} placeholder="/home/me/Downloads/collection.colpkg" />
        </label>
        <button type="submit" disabled={!pkgPath || busy}>
          Replace collection…
        </button>
      </form>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          exp.mutate({ path: exportPath, includeMedia: withMedia }, { onError: (err) => toast.error(err) });
        }}
      >
        <label className="grow">
          Export the whole collection to (.colpkg)
          <input value={exportPath} onChange={(e) => setExportPath(e.target.value)} placeholder="/home/me/collection.colpkg" />
        </label>
        <label className="inline">
          <input type="checkbox" checked={withMedia} onChange={(e) => setWithMedia(e.target.checked)} /> Include media
        </label>
        <button type="submit" disabled={!exportPath || busy}>
          Export collection
        </button>
      </form>
      <div className="row">
        <h3 className="grow">Backups</h3>
        <button type="button" disabled={busy} onClick={() => create.mutate({}, { onError: (e) => toast.error(e) })}>
          Back up now
        </button>
      </div>
      {list.data && list.data.length === 0 && <p className="muted">No backups yet. Deckhand backs up every few minutes while the collection changes, and when it closes.</p>}
      {list.data && list.data.length > 0 && (
        <table className="backups" aria-label="Backups">
          <tbody>
            {list.data.map((b) => (
              <tr key={b.path}>
                <td>{new Date(b.dateMs).toLocaleString()}</td>
                <td className="num muted">{size(b.sizeBytes)}</td>
                <td>
                  <button type="button" disabled={busy} onClick={() => setConfirm({ kind: 'restore', path: b.path })} aria-label={`Restore the backup of ${new Date(b.dateMs).toLocaleString()}`}>
                    Restore…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Dialog title={confirm?.kind === 'restore' ? 'Restore Backup' : 'Replace Collection'} open={!!confirm} onClose={() => setConfirm(null)}>
        <p>
          {confirm?.kind === 'restore'
            ? 'This replaces your collection with the backup. Changes made since the backup are lost.'
            : 'This replaces your whole collection with the package. Your current collection is backed up first.'}
        </p>
        <p className="muted">A one-way sync will be needed afterwards.</p>
        <div className="buttons">
          <button type="button" onClick={() => setConfirm(null)}>
            Cancel
          </button>
          <button type="button" className="danger" autoFocus onClick={go}>
            {confirm?.kind === 'restore' ? 'Restore' : 'Replace'}
          </button>
        </div>
      </Dialog>
    </fieldset>
  );
}
