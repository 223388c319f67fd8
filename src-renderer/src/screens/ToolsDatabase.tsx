// Tools › Check Database and Tools › Empty Cards, with readable reports (Anki's wording).
import { useEffect, useState } from 'react';
import type { ChannelOutput, EventPayload } from '../../../src-main/ipc/contract';
import { useApi } from '../api/hooks';
import { navigate } from '../app/router';
import { useToast } from '../components/toast';
import { useRun } from './browser-actions';
import './browser.css';

export function CheckDatabasePanel() {
  const api = useApi();
  const run = useRun();
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<EventPayload<'progress'> | null>(null);
  const [result, setResult] = useState<ChannelOutput<'tools.checkDatabase'> | null>(null);
  useEffect(() => api.on('progress', (p) => p.task === 'checkDatabase' && setProgress(p)), [api]);
  const check = async () => {
    setBusy(true);
    setResult(null);
    setProgress(null);
    const r = await run('tools.checkDatabase', {});
    setBusy(false);
    setResult(r);
  };
  return (
    <fieldset>
      <legend>Check Database</legend>
      <p className="hint">Finds and fixes problems in the collection: card properties, missing or extra cards, field counts, tags, decks, review history. The undo history is cleared.</p>
      <div className="buttons">
        <button type="button" disabled={busy} onClick={() => void check()}>
          {busy ? 'Checking…' : 'Check Database'}
        </button>
      </div>
      {busy && progress && (
        <p className="muted" role="status">
          {progress.message}
          {progress.total ? ` ${progress.done}/${progress.total}` : ''}
        </p>
      )}
      {result && (
        <div role="status" aria-label="Check Database report">
          <p className={result.ok ? 'saved' : 'warning'}>{result.ok ? 'No problems found.' : `Fixed ${result.problems.length === 1 ? 'one kind of problem' : `${result.problems.length} kinds of problems`}:`}</p>
          <pre className="report">{result.report}</pre>
        </div>
      )}
    </fieldset>
  );
}

export function EmptyCardsPanel() {
  const api = useApi();
  const toast = useToast();
  const run = useRun();
  const [report, setReport] = useState<ChannelOutput<'tools.emptyCards'> | null>(null);
  const [keepNotes, setKeepNotes] = useState(true);
  const [busy, setBusy] = useState(false);
  const find = async () => {
    setBusy(true);
    try {
      setReport(await api.call('tools.emptyCards', {}));
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!report) return;
    setBusy(true);
    const r = await run('tools.deleteEmptyCards', { cardIds: report.cardIds, keepNotes }, (o) => `Deleted ${o.count} card${o.count === 1 ? '' : 's'}.`);
    setBusy(false);
    if (r) setReport(null);
  };
  return (
    <fieldset>
      <legend>Empty Cards</legend>
      <p className="hint">Lists cards whose template no longer shows anything for their note (or whose cloze number is gone), and deletes them.</p>
      <div className="buttons">
        <button type="button" disabled={busy} onClick={() => void find()}>
          Find Empty Cards
        </button>
      </div>
      {report && report.notetypes.length === 0 && <p role="status">No empty cards.</p>}
      {report && report.notetypes.length > 0 && (
        <div className="empty-cards-report" role="region" aria-label="Empty cards">
          {report.notetypes.map((nt) => (
            <div key={nt.notetypeId}>
              <p>
                <b>Empty cards for {nt.name}:</b>
              </p>
              <ol>
                {nt.notes.map((n) => (
                  <li key={n.noteId} className={n.willDeleteNote ? 'allempty' : undefined}>
                    <button type="button" className="link" onClick={() => navigate({ name: 'browse', query: `nid:${n.noteId}` })}>
                      {n.noteId}
                    </button>
                    : {n.cardIds.length} of {n.existingCount} cards empty ({n.templateNames}).
                  </li>
                ))}
              </ol>
            </div>
          ))}
          <label className="inline">
            <input type="checkbox" checked={keepNotes} onChange={(e) => setKeepNotes(e.target.checked)} /> Keep notes with no valid cards
          </label>
          <div className="buttons">
            <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
              Delete {report.cardIds.length} Empty Card{report.cardIds.length === 1 ? '' : 's'}
            </button>
          </div>
        </div>
      )}
    </fieldset>
  );
}
