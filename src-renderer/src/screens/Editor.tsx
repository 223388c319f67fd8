// Add and edit notes. Fields are edited as HTML source in plain text areas, so nothing in a field
// ever runs in the app (card content is untrusted); pasted or dropped images go to the media folder.
import { type ClipboardEvent, type DragEvent, type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { ChannelOutput, NotetypeView } from '../../../src-main/ipc/contract';
import { useApi, useApiMutation, useApiQuery } from '../api/hooks';
import { useToast } from '../components/toast';

const STATE_TEXT: Record<ChannelOutput<'notes.check'>['state'], string | null> = {
  normal: null,
  empty: 'The first field is empty.',
  duplicate: 'Duplicate: a note of this type already has this first field.',
  missingCloze: 'This note type needs a cloze deletion, e.g. {{c1::text}}.',
  notetypeNotCloze: 'Cloze deletions only work with a Cloze note type.',
  fieldNotCloze: 'Cloze deletions only work in fields the template uses with cloze:.',
};

const bytesToBase64 = (bytes: Uint8Array) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function EditorScreen({ noteId }: { noteId: number | null }) {
  const note = useApiQuery('notes.get', { id: noteId ?? 0 }, { enabled: noteId !== null });
  const currentNt = useApiQuery('notetypes.current', {}, { enabled: noteId === null });
  const currentDeck = useApiQuery('decks.current', {}, { enabled: noteId === null });
  const [notetypeId, setNotetypeId] = useState<number | null>(null);
  const [deckId, setDeckId] = useState<number | null>(null);

  useEffect(() => {
    if (noteId !== null && note.data) setNotetypeId(note.data.notetypeId);
    if (noteId === null && currentNt.data && notetypeId === null) setNotetypeId(currentNt.data.id);
    if (noteId === null && currentDeck.data && deckId === null) setDeckId(currentDeck.data.id);
  }, [noteId, note.data, currentNt.data, currentDeck.data, notetypeId, deckId]);

  const nt = useApiQuery('notetypes.get', { id: notetypeId ?? 0 }, { enabled: notetypeId !== null });
  if (note.isError) return <p role="alert" className="error">{note.error.message}</p>;
  if (!nt.data || (noteId !== null && !note.data)) return <p className="muted">Loading…</p>;
  return (
    <NoteForm
      key={`${nt.data.id}:${note.data?.id ?? 'new'}`}
      mode={noteId === null ? 'add' : 'edit'}
      notetype={nt.data}
      note={note.data ?? null}
      deckId={deckId}
      onNotetype={setNotetypeId}
      onDeck={setDeckId}
    />
  );
}

function NoteForm(props: {
  mode: 'add' | 'edit';
  notetype: NotetypeView;
  note: ChannelOutput<'notes.get'> | null;
  deckId: number | null;
  onNotetype: (id: number) => void;
  onDeck: (id: number) => void;
}) {
  const { mode, notetype, note, deckId } = props;
  const api = useApi();
  const toast = useToast();
  const notetypes = useApiQuery('notetypes.list', {});
  const decks = useApiQuery('decks.list', { includeFiltered: false });
  const setCurrentNt = useApiMutation('notetypes.setCurrent');
  const [fields, setFields] = useState<string[]>(() => note?.fields ?? notetype.fields.map(() => ''));
  const [tags, setTags] = useState(() => (note ? note.tags.join(' ') : ''));
  const [check, setCheck] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const areas = useRef<(HTMLTextAreaElement | null)[]>([]);

  const add = useApiMutation('notes.add', {
    onSuccess: (r) => {
      setSaved(`Added: ${r.cardIds.length} card${r.cardIds.length === 1 ? '' : 's'}`);
      setFields((f) => f.map((v, i) => (notetype.fields[i]?.sticky ? v : '')));
      areas.current[0]?.focus();
    },
  });
  const update = useApiMutation('notes.update', { onSuccess: () => setSaved('Saved') });

  // Anki's checks while typing (empty first field, duplicate, cloze).
  useEffect(() => {
    if (mode !== 'add' || !fields.some((f) => f.trim())) return setCheck(null);
    const t = setTimeout(() => {
      api
        .call('notes.check', { notetypeId: notetype.id, fields })
        .then((r) => setCheck(STATE_TEXT[r.state]))
        .catch(() => setCheck(null));
    }, 250);
    return () => clearTimeout(t);
  }, [api, mode, notetype.id, fields]);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const tagList = tags.split(/\s+/).filter(Boolean);
    setSaved(null);
    if (mode === 'add') {
      if (deckId === null) return;
      add.mutate({ notetypeId: notetype.id, deckId, fields, tags: tagList }, { onError: (err) => toast.error(err) });
    } else if (note) {
      update.mutate({ id: note.id, fields, tags: tagList }, { onError: (err) => toast.error(err) });
    }
  };

  const insertAt = (i: number, text: string) => {
    const area = areas.current[i];
    setFields((f) => {
      const v = f[i] ?? '';
      const start = area?.selectionStart ?? v.length;
      const end = area?.selectionEnd ?? v.length;
      return f.map((x, j) => (j === i ? v.slice(0, start) + text + v.slice(end) : x));
    });
  };

  const addFiles = async (i: number, files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      try {
        const data = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
        const { filename } = await api.call('media.add', { filename: file.name || 'pasted.png', dataBase64: data });
        const tag = file.type.startsWith('audio/') || file.type.startsWith('video/') ? `[sound:${filename}]` : `<img src="${escapeAttr(filename)}">`;
        insertAt(i, tag);
      } catch (err) {
        toast.error(err);
      }
    }
  };

  const onPaste = (i: number) => (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = Array.from(e.clipboardData.files);
    if (files.length) {
      e.preventDefault();
      void addFiles(i, files);
    }
  };
  const onDrop = (i: number) => (e: DragEvent<HTMLTextAreaElement>) => {
    if (e.dataTransfer.files.length) {
      e.preventDefault();
      void addFiles(i, e.dataTransfer.files);
    }
  };

  // Ctrl+Enter adds/saves; Ctrl+Shift+C wraps the selection in the next cloze number.
  const onKeyDown = (i: number) => (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      submit();
    } else if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === 'c' && notetype.kind === 'cloze') {
      e.preventDefault();
      const used = fields.join(' ').match(/\{\{c(\d+)::/g)?.map((m) => Number(m.slice(3, -2))) ?? [];
      const n = used.length ? Math.max(...used) + (e.altKey ? 0 : 1) : 1;
      const area = e.currentTarget;
      const v = fields[i];
      const sel = v.slice(area.selectionStart, area.selectionEnd);
      insertAt(i, `{{c${n}::${sel}}}`);
    }
  };

  const pending = add.isPending || update.isPending;
  return (
    <form className="editor stack" onSubmit={submit} aria-label={mode === 'add' ? 'Add note' : 'Edit note'}>
      <div className="screen-header">
        <h1>{mode === 'add' ? 'Add' : 'Edit Note'}</h1>
        {mode === 'edit' && (
          <button type="button" onClick={() => window.history.back()}>
            Close
          </button>
        )}
      </div>
      <div className="row">
        <label>
          Type
          <select
            value={notetype.id}
            disabled={mode === 'edit'}
            onChange={(e) => {
              const id = Number(e.target.value);
              props.onNotetype(id);
              setCurrentNt.mutate({ id });
            }}
          >
            {notetypes.data?.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name}
              </option>
            ))}
          </select>
        </label>
        {mode === 'add' && (
          <label>
            Deck
            <select value={deckId ?? ''} onChange={(e) => props.onDeck(Number(e.target.value))}>
              {decks.data?.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {notetype.fields.map((f, i) => (
        <label key={f.ord} className="field">
          <span className="field-name">
            {f.name}
            {f.sticky && <span className="muted"> (sticky)</span>}
          </span>
          <textarea
            ref={(el) => {
              areas.current[i] = el;
            }}
            autoFocus={i === 0}
            dir={f.rtl ? 'rtl' : undefined}
            rows={3}
            value={fields[i] ?? ''}
            placeholder={f.description || undefined}
            onChange={(e) => setFields((all) => all.map((v, j) => (j === i ? e.target.value : v)))}
            onPaste={onPaste(i)}
            onDrop={onDrop(i)}
            onKeyDown={onKeyDown(i)}
          />
        </label>
      ))}
      {notetype.kind === 'cloze' && <p className="hint">Select text and press Ctrl+Shift+C to make a cloze deletion.</p>}
      <label>
        Tags
        <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="space separated" />
      </label>
      {check && (
        <p className="warning" role="status">
          {check}
        </p>
      )}
      <div className="buttons">
        {saved && (
          <span className="saved" role="status">
            {saved}
          </span>
        )}
        <button type="submit" className="primary" disabled={pending || (mode === 'add' && deckId === null)} title="Ctrl+Enter">
          {mode === 'add' ? 'Add' : 'Save'}
        </button>
      </div>
    </form>
  );
}
