// Tools: sync (login, sync now, status), import and export by path, Check Media.
import { type FormEvent, useEffect, useState } from 'react';
import type { ChannelOutput, EventPayload } from '../../../src-main/ipc/contract';
import { useApi, useApiMutation, useApiQuery, useServes } from '../api/hooks';
import { useToast } from '../components/toast';
import { CheckDatabasePanel, EmptyCardsPanel } from './ToolsDatabase';

export function ToolsScreen() {
  return (
    <section className="tools stack" aria-labelledby="tools-title">
      <h1 id="tools-title">Tools</h1>
      <SyncPanel />
      <ImportExportPanel />
      <CheckMediaPanel />
      <CheckDatabasePanel />
      <EmptyCardsPanel />
    </section>
  );
}

function useProgress(): EventPayload<'progress'> | null {
  const api = useApi();
  const [p, setP] = useState<EventPayload<'progress'> | null>(null);
  useEffect(() => api.on('progress', setP), [api]);
  return p;
}

function SyncPanel() {
  const api = useApi();
  const serves = useServes('sync.status');
  const status = useApiQuery('sync.status', {}, { enabled: !!serves });
  const [live, setLive] = useState<EventPayload<'sync-status'> | null>(null);
  const toast = useToast();
  const opts = { invalidates: ['sync.status' as const] };
  const login = useApiMutation('sync.login', opts);
  const logout = useApiMutation('sync.logout', opts);
  const now = useApiMutation('sync.now', opts);
  const choose = useApiMutation('sync.chooseFullSync', opts);
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [endpoint, setEndpoint] = useState('');
  useEffect(() => api.on('sync-status', setLive), [api]);
  useEffect(() => setLive(null), [status.data]);
  if (!serves) return null;
  const s = live ?? status.data;
  const busy = now.isPending || choose.isPending || s?.state === 'syncing';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ username: user, password, endpoint: endpoint.trim() || null }, { onSuccess: () => setPassword(''), onError: (err) => toast.error(err) });
  };
  return (
    <fieldset>
      <legend>Sync</legend>
      {s && (
        <p role="status" className={s.state === 'error' ? 'error' : undefined}>
          {s.state === 'logged-out'
            ? 'Not logged in.'
            : [s.username && `Logged in as ${s.username}.`, s.state === 'idle' ? s.lastSummary : s.state === 'full-sync-required' ? null : s.message].filter(Boolean).join(' ')}
          {s.lastSyncMs ? <span className="muted"> Last sync: {new Date(s.lastSyncMs).toLocaleString()}.</span> : null}
        </p>
      )}
      {s?.state === 'full-sync-required' && s.fullSync && (
        <div className="stack full-sync" role="group" aria-label="One-way sync">
          <p>{s.message}</p>
          {(['upload', 'download'] as const).map((d) => (
            <div key={d} className="row">
              <button type="button" disabled={busy || !(d === 'upload' ? s.fullSync!.uploadOk : s.fullSync!.downloadOk)} onClick={() => choose.mutate({ direction: d }, { onError: (err) => toast.error(err) })}>
                {d === 'upload' ? 'Upload to server' : 'Download from server'}
              </button>
              <span className="hint grow">{s.fullSync![d].replace(/^\w+\s+/, '')}</span>
            </div>
          ))}
        </div>
      )}
      {s?.state === 'logged-out' ? (
        <form className="grid-2" onSubmit={submit}>
          <label>
            AnkiWeb email or user name
            <input autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
          </label>
          <label>
            Password
            <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          <label>
            Self-hosted server (leave empty for AnkiWeb)
            <input value={endpoint} onChange={(e) => setEndpoint(e.target.value)} placeholder="https://sync.example.com/" />
          </label>
          <div className="buttons">
            <button type="submit" className="primary" disabled={!user || !password || login.isPending}>
              Log in
            </button>
          </div>
        </form>
      ) : (
        <div className="buttons">
          <button type="button" onClick={() => logout.mutate({}, { onError: (err) => toast.error(err) })}>
            Log out
          </button>
          <button type="button" className="primary" disabled={busy} onClick={() => now.mutate({}, { onError: (err) => toast.error(err) })}>
            {busy ? 'Syncing…' : 'Sync Now'}
          </button>
        </div>
      )}
    </fieldset>
  );
}

function ImportExportPanel() {
  const toast = useToast();
  const decks = useApiQuery('decks.list', { includeFiltered: false });
  const progress = useProgress();
  const [importPath, setImportPath] = useState('');
  const [withScheduling, setWithScheduling] = useState(false);
  const [result, setResult] = useState<ChannelOutput<'import.file'>['log'] | null>(null);
  const [exportPath, setExportPath] = useState('');
  const [exportDeck, setExportDeck] = useState<number | null>(null);
  const imp = useApiMutation('import.file', { onSuccess: (r) => setResult(r.log) });
  const exp = useApiMutation('export.package', { onSuccess: (r) => toast.info(`Exported ${r.notes} notes, ${r.cards} cards, ${r.media} media files`) });
  const busy = imp.isPending || exp.isPending;
  return (
    <fieldset>
      <legend>Import and export</legend>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setResult(null);
          imp.mutate({ path: importPath, withScheduling }, { onError: (err) => toast.error(err) });
        }}
      >
        <label className="grow">
          File to import (.apkg, .csv, .txt)
          <input value={importPath} onChange={(e) => setImportPath(e.target.value)} placeholder="/home/me/Downloads/deck.apkg" />
        </label>
        <label className="inline">
          <input type="checkbox" checked={withScheduling} onChange={(e) => setWithScheduling(e.target.checked)} /> Include scheduling
        </label>
        <button type="submit" disabled={!importPath || busy}>
          Import
        </button>
      </form>
      {result && (
        <p role="status">
          {result.found} notes found: {result.new} new, {result.updated} updated, {result.duplicate} duplicates, {result.conflicting} conflicting, {result.skipped} skipped.
        </p>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          exp.mutate({ path: exportPath, deckId: exportDeck }, { onError: (err) => toast.error(err) });
        }}
      >
        <label>
          Export
          <select value={exportDeck ?? ''} onChange={(e) => setExportDeck(e.target.value ? Number(e.target.value) : null)}>
            <option value="">All decks</option>
            {decks.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          To (.apkg)
          <input value={exportPath} onChange={(e) => setExportPath(e.target.value)} placeholder="/home/me/deck.apkg" />
        </label>
        <button type="submit" disabled={!exportPath || busy}>
          Export
        </button>
      </form>
      {busy && progress && (
        <p className="muted" role="status">
          {progress.task}: {progress.message} {progress.total ? `${progress.done}/${progress.total}` : progress.done || ''}
        </p>
      )}
    </fieldset>
  );
}

function CheckMediaPanel() {
  const toast = useToast();
  const check = useApiMutation('tools.checkMedia');
  return (
    <fieldset>
      <legend>Media</legend>
      <div className="buttons">
        <button type="button" disabled={check.isPending} onClick={() => check.mutate({}, { onError: (e) => toast.error(e) })}>
          Check Media
        </button>
      </div>
      {check.data && <pre className="report">{check.data.report}</pre>}
    </fieldset>
  );
}
