// The import dialog AnkiConnect's guiImportFile opens: a file path (on the machine running the
// core), then an .apkg/.csv import or, for a .colpkg, the whole collection replaced after asking.
import { useEffect, useState } from 'react';
import { useApiMutation } from '../api/hooks';
import { Dialog } from './dialog';
import { useToast } from './toast';

export function ImportDialog({ path, open, onClose }: { path: string | null; open: boolean; onClose: () => void }) {
  const toast = useToast();
  const [file, setFile] = useState(path ?? '');
  const [withScheduling, setWithScheduling] = useState(false);
  useEffect(() => setFile(path ?? ''), [path, open]);
  const isColpkg = /\.colpkg$/i.test(file.trim());
  const imp = useApiMutation('import.file', {
    onSuccess: (r) => {
      toast.info(`Imported: ${r.log.new} new, ${r.log.updated} updated, ${r.log.duplicate} duplicates.`);
      onClose();
    },
  });
  const replace = useApiMutation('import.collectionPackage', {
    onSuccess: () => {
      toast.info('Collection replaced.');
      onClose();
    },
  });
  const busy = imp.isPending || replace.isPending;
  return (
    <Dialog title="Import" open={open} onClose={onClose}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          const fail = { onError: (err: unknown) => toast.error(err) };
          if (isColpkg) replace.mutate({ path: file.trim() }, fail);
          else imp.mutate({ path: file.trim(), withScheduling }, fail);
        }}
      >
        <label>
          File (.apkg, .colpkg, .csv, .txt)
          <input value={file} autoFocus onChange={(e) => setFile(e.target.value)} />
        </label>
        {isColpkg ? (
          <p className="warning">A .colpkg replaces your whole collection. The current one is backed up first.</p>
        ) : (
          <label className="inline">
            <input type="checkbox" checked={withScheduling} onChange={(e) => setWithScheduling(e.target.checked)} /> Include scheduling
          </label>
        )}
        <div className="buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!file.trim() || busy}>
            {isColpkg ? 'Replace collection' : 'Import'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
