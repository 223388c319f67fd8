// Deck options: which preset a deck uses, and the common options of that preset.
import { type FormEvent, useEffect, useState } from 'react';
import type { DeckOptions } from '../../../src-main/ipc/contract';
import { useApiMutation, useApiQuery } from '../api/hooks';
import { Dialog } from '../components/dialog';
import { useToast } from '../components/toast';

type NumberKey = { [K in keyof DeckOptions]: DeckOptions[K] extends number ? K : never }[keyof DeckOptions];
type BoolKey = { [K in keyof DeckOptions]: DeckOptions[K] extends boolean ? K : never }[keyof DeckOptions];

const NUMBERS: { key: NumberKey; label: string; step?: number }[] = [
  { key: 'newPerDay', label: 'New cards/day' },
  { key: 'reviewsPerDay', label: 'Maximum reviews/day' },
  { key: 'graduatingIntervalGood', label: 'Graduating interval (days)' },
  { key: 'graduatingIntervalEasy', label: 'Easy interval (days)' },
  { key: 'maximumReviewInterval', label: 'Maximum interval (days)' },
  { key: 'initialEase', label: 'Starting ease', step: 0.01 },
  { key: 'easyMultiplier', label: 'Easy bonus', step: 0.01 },
  { key: 'intervalMultiplier', label: 'Interval modifier', step: 0.01 },
  { key: 'leechThreshold', label: 'Leech threshold' },
  { key: 'desiredRetention', label: 'Desired retention (FSRS)', step: 0.01 },
];
const BOOLS: { key: BoolKey; label: string }[] = [
  { key: 'buryNew', label: 'Bury new siblings' },
  { key: 'buryReviews', label: 'Bury review siblings' },
  { key: 'buryInterdayLearning', label: 'Bury interday learning siblings' },
  { key: 'showTimer', label: 'Show answer timer' },
  { key: 'disableAutoplay', label: "Don't play audio automatically" },
];

const stepsText = (s: number[]) => s.map((m) => (m >= 1440 && m % 1440 === 0 ? `${m / 1440}d` : m >= 60 && m % 60 === 0 ? `${m / 60}h` : `${m}m`)).join(' ');
function parseSteps(text: string): number[] | null {
  const out: number[] = [];
  for (const part of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(part);
    if (!m) return null;
    const n = Number(m[1]);
    out.push(m[2] === 's' ? n / 60 : m[2] === 'h' ? n * 60 : m[2] === 'd' ? n * 1440 : n);
  }
  return out;
}

export function DeckOptionsDialog({ deckId, deckName, onClose }: { deckId: number; deckName: string; onClose: () => void }) {
  const toast = useToast();
  const preset = useApiQuery('deckPresets.forDeck', { deckId });
  const presets = useApiQuery('deckPresets.list', {});
  const update = useApiMutation('deckPresets.update');
  const assign = useApiMutation('deckPresets.assign');
  const add = useApiMutation('deckPresets.add');
  const [draft, setDraft] = useState<DeckOptions | null>(null);
  const [learn, setLearn] = useState('');
  const [relearn, setRelearn] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!preset.data) return;
    setDraft(preset.data.options);
    setLearn(stepsText(preset.data.options.learnSteps));
    setRelearn(stepsText(preset.data.options.relearnSteps));
  }, [preset.data]);

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!draft || !preset.data) return;
    const learnSteps = parseSteps(learn);
    const relearnSteps = parseSteps(relearn);
    if (!learnSteps || !relearnSteps) return setError('Steps are numbers with an optional unit, separated by spaces: 1m 10m 1h 1d');
    setError(null);
    update.mutate({ id: preset.data.id, options: { ...draft, learnSteps, relearnSteps } }, { onSuccess: () => (toast.info('Options saved'), onClose()), onError: (err) => setError(err.message) });
  };

  return (
    <Dialog title={`Options for “${deckName}”`} open onClose={onClose} wide>
      {preset.isError && <p role="alert" className="error">{preset.error.message}</p>}
      {preset.data && draft && (
        <form onSubmit={save} className="stack options-form">
          <div className="row">
            <label>
              Preset
              <select
                value={preset.data.id}
                onChange={(e) => assign.mutate({ presetId: Number(e.target.value), deckIds: [deckId] }, { onError: (err) => toast.error(err) })}
              >
                {presets.data?.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} ({p.useCount} {p.useCount === 1 ? 'deck' : 'decks'})
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              onClick={() => {
                const name = `${preset.data!.name} copy`;
                add.mutate(
                  { name, cloneFromId: preset.data!.id },
                  { onSuccess: (r) => assign.mutate({ presetId: r.id, deckIds: [deckId] }), onError: (err) => toast.error(err) },
                );
              }}
            >
              Clone preset
            </button>
          </div>
          <p className="hint">Changes apply to every deck using “{preset.data.name}”.</p>
          <div className="grid-2">
            <label>
              Learning steps
              <input value={learn} onChange={(e) => setLearn(e.target.value)} />
            </label>
            <label>
              Relearning steps
              <input value={relearn} onChange={(e) => setRelearn(e.target.value)} />
            </label>
            {NUMBERS.map(({ key, label, step }) => (
              <label key={key}>
                {label}
                <input type="number" step={step ?? 1} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: Number(e.target.value) })} />
              </label>
            ))}
            <label>
              Leech action
              <select value={draft.leechAction} onChange={(e) => setDraft({ ...draft, leechAction: Number(e.target.value) })}>
                <option value={0}>Suspend card</option>
                <option value={1}>Tag only</option>
              </select>
            </label>
          </div>
          <fieldset className="checks">
            {BOOLS.map(({ key, label }) => (
              <label key={key}>
                <input type="checkbox" checked={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.checked })} /> {label}
              </label>
            ))}
          </fieldset>
          {error && <p role="alert" className="error">{error}</p>}
          <div className="buttons">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={update.isPending}>
              Save
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
