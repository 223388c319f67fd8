// What the browser does to its selection, with Anki's semantics: change deck, add/remove tags,
// toggle suspend / mark (by the current row's state), flag (the current flag again clears it),
// reposition and forget new/reviewed cards, delete notes, and Find and Replace. In notes mode a
// card action applies to every card of the selected notes; in cards mode a note action applies to
// the selected cards' notes.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type MutableRefObject, type ReactNode, useEffect, useState } from 'react';
import type { BrowserRow, Channel, ChannelInput, ChannelOutput } from '../../../src-main/ipc/contract';
import type { OpChanges } from '../../../src-main/collection/op-changes';
import { invalidateFromChanges, useApi, useApiQuery } from '../api/hooks';
import { Dialog } from '../components/dialog';
import { useToast } from '../components/toast';
import type { Mode } from './browser-logic';
import { FLAG_NAMES } from './browser-sidebar';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Calls a mutation channel and refreshes what its changes touched. */
export function useRun() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  return async <C extends Channel>(channel: C, input: ChannelInput<C>, message?: (out: ChannelOutput<C>) => string): Promise<ChannelOutput<C> | null> => {
    try {
      const out = await api.call(channel, input);
      const changes = (out as { changes?: OpChanges }).changes;
      if (changes) await invalidateFromChanges(qc, changes);
      if (message) toast.info(message(out));
      return out;
    } catch (e) {
      toast.error(e);
      return null;
    }
  };
}

type DialogKind = 'deck' | 'addTags' | 'removeTags' | 'reposition' | 'forget' | 'findReplace' | null;

/** The toggles and one-step actions, for keyboard shortcuts. */
export interface BrowserActionFns {
  toggleSuspend(): Promise<void>;
  toggleMark(): Promise<void>;
  setFlag(flag: number): Promise<void>;
  remove(): Promise<void>;
}

export function BrowserActions(props: {
  mode: Mode;
  selected: number[];
  current: BrowserRow | undefined;
  dialog: DialogKind;
  onDialog(d: DialogKind): void;
  actions?: MutableRefObject<BrowserActionFns | null>;
}) {
  const { mode, selected, current, dialog } = props;
  const api = useApi();
  const run = useRun();
  const none = selected.length === 0;
  const selection = () => api.call('browser.selection', { mode, ids: selected });
  const cards = async () => (await selection()).cardIds;
  const notes = async () => (await selection()).noteIds;

  const toggleSuspend = async () => {
    const ids = await cards();
    if (current?.suspended) await run('cards.unsuspend', { cardIds: ids }, (r) => `${plural(r.count, 'card', 'cards')} unsuspended`);
    else await run('cards.suspend', { cardIds: ids }, (r) => `${plural(r.count, 'card', 'cards')} suspended`);
  };
  const toggleMark = async () => {
    const ids = await notes();
    if (current?.marked) await run('notes.removeTags', { noteIds: ids, tags: 'marked' }, (r) => `${plural(r.count, 'note', 'notes')} unmarked`);
    else await run('notes.addTags', { noteIds: ids, tags: 'marked' }, (r) => `${plural(r.count, 'note', 'notes')} marked`);
  };
  const setFlag = async (flag: number) => {
    // as Anki: choosing the flag the current card already has clears it
    const f = mode === 'cards' && current?.flag === flag ? 0 : flag;
    await run('cards.setFlag', { cardIds: await cards(), flag: f }, (r) => `${plural(r.count, 'card', 'cards')} ${f ? `flagged ${FLAG_NAMES[f - 1]}` : 'unflagged'}`);
  };
  const remove = async () => {
    await run('notes.remove', { ids: await notes() }, (r) => `${plural(r.removed, 'note', 'notes')} deleted.`);
  };

  if (props.actions) props.actions.current = { toggleSuspend, toggleMark, setFlag, remove };

  return (
    <>
      <div className="bulk-bar" role="toolbar" aria-label={mode === 'notes' ? 'Selected notes' : 'Selected cards'}>
        <button type="button" disabled={none} onClick={() => props.onDialog('deck')} title="Change Deck (Ctrl+D)">
          Change Deck…
        </button>
        <button type="button" disabled={none} onClick={() => props.onDialog('addTags')} title="Add Tags (Ctrl+Shift+A)">
          Add Tags…
        </button>
        <button type="button" disabled={none} onClick={() => props.onDialog('removeTags')} title="Remove Tags (Ctrl+Alt+Shift+A)">
          Remove Tags…
        </button>
        <button type="button" disabled={none} onClick={() => void toggleSuspend()} title="Toggle Suspend (Ctrl+J)">
          {current?.suspended ? 'Unsuspend' : 'Suspend'}
        </button>
        <button type="button" disabled={none} onClick={() => void toggleMark()} title="Toggle Mark (Ctrl+K)">
          {current?.marked ? 'Unmark' : 'Mark'}
        </button>
        <select aria-label="Flag" disabled={none} value="" onChange={(e) => void setFlag(Number(e.target.value))}>
          <option value="" disabled>
            Flag…
          </option>
          {['No Flag', ...FLAG_NAMES].map((n, i) => (
            <option key={n} value={i}>
              {n}
              {i ? ` (Ctrl+${i})` : ''}
            </option>
          ))}
        </select>
        <button type="button" disabled={none} onClick={() => props.onDialog('reposition')} title="Reposition (Ctrl+Shift+S)">
          Reposition…
        </button>
        <button type="button" disabled={none} onClick={() => props.onDialog('forget')} title="Reset (Ctrl+Alt+N)">
          Forget…
        </button>
        <button type="button" disabled={none} onClick={() => void remove()} title="Delete (Ctrl+Delete)">
          Delete
        </button>
        <button type="button" onClick={() => props.onDialog('findReplace')} title="Find and Replace (Ctrl+Alt+F)">
          Find and Replace…
        </button>
      </div>
      {dialog === 'deck' && <ChangeDeckDialog cards={cards} onClose={() => props.onDialog(null)} />}
      {(dialog === 'addTags' || dialog === 'removeTags') && <TagsDialog remove={dialog === 'removeTags'} notes={notes} onClose={() => props.onDialog(null)} />}
      {dialog === 'reposition' && <RepositionDialog cards={cards} onClose={() => props.onDialog(null)} />}
      {dialog === 'forget' && <ForgetDialog cards={cards} onClose={() => props.onDialog(null)} />}
      {dialog === 'findReplace' && <FindReplaceDialog notes={none ? null : notes} onClose={() => props.onDialog(null)} />}
    </>
  );
}

/** Keyboard shortcuts of Anki's browser for these actions. */
export function actionForKey(key: string): { dialog?: DialogKind; action?: 'suspend' | 'mark' | 'delete'; flag?: number } | null {
  switch (key) {
    case 'ctrl+d':
      return { dialog: 'deck' };
    case 'ctrl+shift+a':
      return { dialog: 'addTags' };
    case 'ctrl+alt+shift+a':
      return { dialog: 'removeTags' };
    case 'ctrl+shift+s':
      return { dialog: 'reposition' };
    case 'ctrl+alt+n':
      return { dialog: 'forget' };
    case 'ctrl+alt+f':
      return { dialog: 'findReplace' };
    case 'ctrl+j':
      return { action: 'suspend' };
    case 'ctrl+k':
      return { action: 'mark' };
    case 'ctrl+Delete':
      return { action: 'delete' };
  }
  const m = /^ctrl\+([1-7])$/.exec(key);
  return m ? { flag: Number(m[1]) } : null;
}

function Form(props: { title: string; onClose(): void; onSubmit(): Promise<unknown>; submit: string; children: ReactNode; disabled?: boolean }) {
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    let r: unknown = null;
    try {
      r = await props.onSubmit();
    } finally {
      setBusy(false);
    }
    // a failure (shown as a toast) leaves the dialog open with what was typed
    if (r !== null && r !== false) props.onClose();
  };
  return (
    <Dialog title={props.title} open onClose={props.onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        {props.children}
        <div className="buttons">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || props.disabled}>
            {props.submit}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function ChangeDeckDialog(props: { cards(): Promise<number[]>; onClose(): void }) {
  const decks = useApiQuery('decks.list', { includeFiltered: false });
  const run = useRun();
  const [deckId, setDeckId] = useState<number | null>(null);
  useEffect(() => {
    if (deckId === null && decks.data?.length) setDeckId(decks.data[0].id);
  }, [deckId, decks.data]);
  return (
    <Form
      title="Change Deck"
      submit="Move Cards"
      onClose={props.onClose}
      disabled={deckId === null}
      onSubmit={async () => deckId !== null && run('cards.setDeck', { cardIds: await props.cards(), deckId }, (r) => `${plural(r.count, 'card', 'cards')} moved`)}
    >
      <label>
        Move cards to deck
        <select value={deckId ?? ''} onChange={(e) => setDeckId(Number(e.target.value))}>
          {decks.data?.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
    </Form>
  );
}

function TagsDialog(props: { remove: boolean; notes(): Promise<number[]>; onClose(): void }) {
  const run = useRun();
  const [tags, setTags] = useState('');
  return (
    <Form
      title={props.remove ? 'Remove Tags' : 'Add Tags'}
      submit={props.remove ? 'Remove' : 'Add'}
      onClose={props.onClose}
      disabled={!tags.trim()}
      onSubmit={async () =>
        props.remove
          ? run('notes.removeTags', { noteIds: await props.notes(), tags }, (r) => `${plural(r.count, 'note', 'notes')} updated`)
          : run('notes.addTags', { noteIds: await props.notes(), tags }, (r) => `${plural(r.count, 'note', 'notes')} updated`)
      }
    >
      <label>
        {props.remove ? 'Tags to remove' : 'Tags to add'} (space separated)
        <input autoFocus value={tags} onChange={(e) => setTags(e.target.value)} />
      </label>
    </Form>
  );
}

function RepositionDialog(props: { cards(): Promise<number[]>; onClose(): void }) {
  const run = useRun();
  const [start, setStart] = useState(0);
  const [step, setStep] = useState(1);
  const [randomize, setRandomize] = useState(false);
  const [shift, setShift] = useState(false);
  return (
    <Form
      title="Reposition New Cards"
      submit="Reposition"
      onClose={props.onClose}
      onSubmit={async () => run('cards.reposition', { cardIds: await props.cards(), start, step, randomize, shift }, (r) => `${plural(r.count, 'card', 'cards')} repositioned`)}
    >
      <p className="hint">Only new cards can be repositioned.</p>
      <label>
        Start position
        <input type="number" min={0} value={start} onChange={(e) => setStart(Math.max(0, Number(e.target.value) || 0))} />
      </label>
      <label>
        Step
        <input type="number" min={1} value={step} onChange={(e) => setStep(Math.max(1, Number(e.target.value) || 1))} />
      </label>
      <label className="inline">
        <input type="checkbox" checked={randomize} onChange={(e) => setRandomize(e.target.checked)} /> Randomize order
      </label>
      <label className="inline">
        <input type="checkbox" checked={shift} onChange={(e) => setShift(e.target.checked)} /> Shift position of existing cards
      </label>
    </Form>
  );
}

function ForgetDialog(props: { cards(): Promise<number[]>; onClose(): void }) {
  const run = useRun();
  const [restorePosition, setRestore] = useState(true);
  const [resetCounts, setResetCounts] = useState(false);
  return (
    <Form
      title="Reset"
      submit="Reset"
      onClose={props.onClose}
      onSubmit={async () => run('cards.forget', { cardIds: await props.cards(), restorePosition, resetCounts }, (r) => `${plural(r.count, 'card', 'cards')} reset`)}
    >
      <p>The selected cards become new cards.</p>
      <label className="inline">
        <input type="checkbox" checked={restorePosition} onChange={(e) => setRestore(e.target.checked)} /> Restore original position where possible
      </label>
      <label className="inline">
        <input type="checkbox" checked={resetCounts} onChange={(e) => setResetCounts(e.target.checked)} /> Reset repetition and lapse counts
      </label>
    </Form>
  );
}

/** Anki's Find and Replace dialog: in the selected notes (or all), a field / all fields / tags. */
function FindReplaceDialog(props: { notes: (() => Promise<number[]>) | null; onClose(): void }) {
  const api = useApi();
  const run = useRun();
  const [noteIds, setNoteIds] = useState<number[]>([]);
  const [fieldNames, setFieldNames] = useState<string[]>([]);
  const [find, setFind] = useState('');
  const [replace, setReplace] = useState('');
  const [where, setWhere] = useState('__all');
  const [selectedOnly, setSelectedOnly] = useState(props.notes !== null);
  const [regex, setRegex] = useState(false);
  const [ignoreCase, setIgnoreCase] = useState(true);
  useEffect(() => {
    let live = true;
    void (async () => {
      const ids = props.notes ? await props.notes() : [];
      if (!live) return;
      setNoteIds(ids);
      const names = ids.length ? (await api.call('notes.fieldNames', { noteIds: ids })).names : [];
      if (live) setFieldNames(names);
    })();
    return () => {
      live = false;
    };
    // the selection is fixed while the dialog is open
  }, []);
  const submit = async () => {
    const ids = selectedOnly ? noteIds : [];
    const total = ids.length;
    return run(
      'notes.findReplace',
      { noteIds: ids, search: find, replacement: replace, regex, matchCase: !ignoreCase, field: where === '__all' || where === '__tags' ? null : where, target: where === '__tags' ? 'tags' : 'fields' },
      (r) => (total ? `${r.count} of ${plural(total, 'note', 'notes')} updated` : `${plural(r.count, 'note', 'notes')} updated.`),
    );
  };
  return (
    <Form title="Find and Replace" submit="Replace" onClose={props.onClose} onSubmit={submit} disabled={!find}>
      <label>
        Find
        <input autoFocus value={find} onChange={(e) => setFind(e.target.value)} />
      </label>
      <label>
        Replace With
        <input value={replace} onChange={(e) => setReplace(e.target.value)} />
      </label>
      <label>
        In
        <select aria-label="In" value={where} onChange={(e) => setWhere(e.target.value)}>
          <option value="__all">All Fields</option>
          <option value="__tags">Tags</option>
          {fieldNames.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        <input type="checkbox" checked={selectedOnly} disabled={props.notes === null} onChange={(e) => setSelectedOnly(e.target.checked)} /> Selected notes only
      </label>
      <label className="inline">
        <input type="checkbox" checked={ignoreCase} onChange={(e) => setIgnoreCase(e.target.checked)} /> Ignore case
      </label>
      <label className="inline">
        <input type="checkbox" checked={regex} onChange={(e) => setRegex(e.target.checked)} /> Treat input as regular expression
      </label>
    </Form>
  );
}
