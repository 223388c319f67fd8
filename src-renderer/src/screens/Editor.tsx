// Add and edit notes: one rich-text editor per field (bold, italic, underline, sub/superscript,
// colour, lists, clear formatting; Anki's shortcuts), an HTML source view per field, cloze
// insertion (Ctrl+Shift+C next number, Ctrl+Alt+Shift+C same number), images and audio pasted or
// dropped into the media folder, sticky fields, tags with completion, Anki's duplicate warning,
// the note type and deck choosers (remembered as Anki does, by the core) and a card preview in the
// reviewer's sandboxed card frame.
//
// Field HTML is untrusted: the editing surface only ever gets sanitised HTML (no scripts or event
// handlers; the app's CSP forbids inline script anyway), and what is saved is sanitised again.
import {
  type ClipboardEvent,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
  type MutableRefObject,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { ChannelOutput, NotetypeView } from '../../../src-main/ipc/contract';
import { useApi, useApiMutation, useApiQuery } from '../api/hooks';
import { type AddDraft, clearPendingDraft, peekPendingDraft, useGuiHandler } from '../app/gui';
import { routeHash } from '../app/router';
import { CardFrame } from '../components/CardFrame';
import { useToast } from '../components/toast';
import { clozeNumber, insertCloze, wrapCloze } from '../editor/cloze';
import { duplicatesSearch, fromEditorHtml, mediaReference, pastedFileName, sanitizeFieldHtml, toEditorHtml } from '../editor/html';
import { type EditorCommand, editorCommand } from '../editor/shortcuts';
import { completeTag, splitTags, tagAt, tagSuggestions } from '../editor/tags';

const STATE_TEXT: Record<ChannelOutput<'notes.check'>['state'], string | null> = {
  normal: null,
  empty: 'The first field is empty.',
  duplicate: 'This note is a duplicate: another note of this type has the same first field.',
  missingCloze: 'This note type needs a cloze deletion, e.g. {{c1::text}}.',
  notetypeNotCloze: 'Cloze deletions only work with a Cloze note type.',
  fieldNotCloze: 'Cloze deletions only work in fields the template uses with cloze:.',
};

const bytesToBase64 = (bytes: Uint8Array) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

interface FormState {
  fields: string[];
  tags: string[];
}

/** The values a form starts with (fields by position in the note type). */
interface Initial {
  notetypeId: number;
  fields: string[];
  tags: string[];
}

export function EditorScreen({ noteId }: { noteId: number | null }) {
  const api = useApi();
  const adding = noteId === null;
  const info = useApiQuery('app.info', {});
  const note = useApiQuery('notes.get', { id: noteId ?? 0 }, { enabled: !adding });
  // a note AnkiConnect's guiAddCards left for this screen
  const [startDraft] = useState<AddDraft | null>(() => (adding ? peekPendingDraft() : null));
  useEffect(() => clearPendingDraft(startDraft), [startDraft]);
  const defaults = useApiQuery('notes.addDefaults', {}, { enabled: adding && !startDraft });
  const [choice, setChoice] = useState<{ notetypeId: number; deckId: number } | null>(startDraft);
  const [initial, setInitial] = useState<Initial | null>(startDraft);
  const [generation, setGeneration] = useState(0);
  const formState = useRef<FormState>({ fields: [], tags: [] });

  useEffect(() => {
    if (adding && !choice && defaults.data) setChoice(defaults.data);
  }, [adding, choice, defaults.data]);

  const notetypeId = adding ? (choice?.notetypeId ?? null) : (note.data?.notetypeId ?? null);
  const nt = useApiQuery('notetypes.get', { id: notetypeId ?? 0 }, { enabled: notetypeId !== null });
  const setCurrentNt = useApiMutation('notetypes.setCurrent');

  /** Another note type: Anki keeps the field contents (by position) and picks the deck that goes with it. */
  const changing = useRef(0);
  const changeNotetype = async (id: number) => {
    if (id === notetypeId) return;
    const ticket = ++changing.current;
    const carried = { notetypeId: id, fields: formState.current.fields, tags: formState.current.tags };
    setCurrentNt.mutate({ id });
    setInitial(carried);
    setChoice((c) => ({ notetypeId: id, deckId: c?.deckId ?? 1 }));
    const d = await api.call('notes.addDefaults', { notetypeId: id }).catch(() => null);
    // only if nothing was chosen since
    if (d && ticket === changing.current) setChoice((c) => (c && c.notetypeId === id ? { ...c, deckId: d.deckId } : c));
  };
  const chooseDeck = (deckId: number) => {
    changing.current++;
    setChoice((c) => (c ? { ...c, deckId } : c));
  };

  /** A note from AnkiConnect (guiAddCards / guiAddNoteSetData): shown as a fresh form. */
  const showDraft = (d: AddDraft) => {
    setChoice({ notetypeId: d.notetypeId, deckId: d.deckId });
    setInitial(d);
    setGeneration((g) => g + 1);
  };

  if (note.isError) return <p role="alert" className="error">{note.error.message}</p>;
  if (!nt.data || !info.data || (!adding && !note.data)) return <p className="muted">Loading…</p>;
  const start: Initial | null = adding ? (initial && initial.notetypeId === nt.data.id ? initial : null) : { notetypeId: nt.data.id, fields: note.data!.fields, tags: note.data!.tags };
  return (
    <>
      {adding && <AddScreenGui notetype={nt.data} formState={formState} deckId={choice?.deckId ?? 1} onDraft={showDraft} />}
      <NoteForm
        key={`${nt.data.id}:${note.data?.id ?? 'new'}:${generation}`}
        mode={adding ? 'add' : 'edit'}
        notetype={nt.data}
        note={note.data ?? null}
        start={start}
        deckId={choice?.deckId ?? null}
        mediaBase={info.data.mediaBase}
        formState={formState}
        onNotetype={(id) => void changeNotetype(id)}
        onDeck={chooseDeck}
      />
    </>
  );
}

/** AnkiConnect's Add-window actions while the Add screen is shown. */
function AddScreenGui(props: { notetype: NotetypeView; formState: MutableRefObject<FormState>; deckId: number; onDraft: (d: AddDraft) => void }) {
  const api = useApi();
  useGuiHandler('openAddCards', (draft: AddDraft | null) => {
    if (draft) props.onDraft(draft);
    return 0;
  });
  useGuiHandler(
    'setAddCardsData',
    async (patch: { deckId?: number; notetypeId?: number; fields?: Record<string, string>; tags?: string[]; append: boolean; mediaHtml: { field: string; html: string }[] }) => {
      const nt = patch.notetypeId && patch.notetypeId !== props.notetype.id ? await api.call('notetypes.get', { id: patch.notetypeId }) : props.notetype;
      const current = props.formState.current;
      const fields = nt.fields.map((_, i) => current.fields[i] ?? '');
      const index = (name: string) => nt.fields.findIndex((f) => f.name === name);
      for (const [name, value] of Object.entries(patch.fields ?? {})) {
        const i = index(name);
        if (i < 0) return { missingField: name };
        fields[i] = patch.append ? fields[i] + value : value;
      }
      for (const m of patch.mediaHtml) {
        const i = index(m.field);
        if (i < 0) return { missingField: m.field };
        fields[i] += m.html;
      }
      const tags = patch.tags === undefined ? current.tags : patch.append ? splitTags([...current.tags, ...patch.tags].join(' ')) : patch.tags;
      props.onDraft({ notetypeId: nt.id, deckId: patch.deckId ?? props.deckId, fields, tags });
      return true;
    },
  );
  return null;
}

function NoteForm(props: {
  mode: 'add' | 'edit';
  notetype: NotetypeView;
  note: ChannelOutput<'notes.get'> | null;
  start: Initial | null;
  deckId: number | null;
  mediaBase: string;
  formState: MutableRefObject<FormState>;
  onNotetype: (id: number) => void;
  onDeck: (id: number) => void;
}) {
  const { mode, notetype, note, deckId, mediaBase } = props;
  const api = useApi();
  const toast = useToast();
  const notetypes = useApiQuery('notetypes.list', {});
  const decks = useApiQuery('decks.list', { includeFiltered: false });
  const allTags = useApiQuery('tags.list', {});
  const updateField = useApiMutation('notetypes.fields.update');
  const original = useMemo(() => notetype.fields.map((_, i) => props.start?.fields[i] ?? ''), [notetype, props.start]);
  const [fields, setFields] = useState<string[]>(original);
  const [dirty, setDirty] = useState<boolean[]>(() => notetype.fields.map(() => false));
  const [htmlMode, setHtmlMode] = useState<boolean[]>(() => notetype.fields.map(() => false));
  const [tags, setTags] = useState(() => (props.start?.tags ?? []).join(' '));
  const [check, setCheck] = useState<ChannelOutput<'notes.check'>['state'] | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [previewOpen, setPreviewOpen] = useState(false);
  const [focused, setFocused] = useState(0);
  const [color, setColor] = useState('#0000ff');
  const inputs = useRef<(HTMLElement | null)[]>([]);
  const tagsInput = useRef<HTMLInputElement>(null);
  const lastRange = useRef<{ field: number; range: Range } | null>(null);
  props.formState.current = { fields, tags: splitTags(tags) };

  /** What would be saved: edited fields sanitised, untouched ones exactly as they were. */
  const toSave = () => fields.map((f, i) => (dirty[i] ? sanitizeFieldHtml(f) : f));

  const setField = (i: number, value: string) => {
    setFields((all) => all.map((v, j) => (j === i ? value : v)));
    setDirty((d) => (d[i] ? d : d.map((x, j) => x || j === i)));
    setSaved(null);
  };

  const add = useApiMutation('notes.add', {
    onSuccess: (r) => {
      setSaved(`Added: ${r.cardIds.length} card${r.cardIds.length === 1 ? '' : 's'}`);
      // sticky fields (and the tags) stay for the next note, as in Anki
      setFields((f) => f.map((v, i) => (notetype.fields[i]?.sticky ? v : '')));
      setDirty(notetype.fields.map(() => false));
      inputs.current[0]?.focus();
    },
  });
  const update = useApiMutation('notes.update', { onSuccess: () => setSaved('Saved') });

  // Anki's checks while typing (empty first field, duplicate, cloze).
  useEffect(() => {
    if (mode !== 'add' || !fields.some((f) => f.trim())) return setCheck(null);
    const t = setTimeout(() => {
      api
        .call('notes.check', { notetypeId: notetype.id, fields: toSave() })
        .then((r) => setCheck(r.state))
        .catch(() => setCheck(null));
    }, 200);
    return () => clearTimeout(t);
  }, [api, mode, notetype.id, fields]);

  // Where the caret was in a field, for toolbar buttons reached with the keyboard or the mouse.
  useEffect(() => {
    const onSelection = () => {
      const sel = window.getSelection();
      if (!sel || !sel.rangeCount) return;
      const i = inputs.current.findIndex((el) => el?.isContentEditable && el.contains(sel.anchorNode));
      if (i >= 0) lastRange.current = { field: i, range: sel.getRangeAt(0).cloneRange() };
    };
    document.addEventListener('selectionchange', onSelection);
    return () => document.removeEventListener('selectionchange', onSelection);
  }, []);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const tagList = splitTags(tags);
    const values = toSave();
    setSaved(null);
    if (mode === 'add') {
      if (deckId === null) return;
      add.mutate({ notetypeId: notetype.id, deckId, fields: values, tags: tagList }, { onError: (err) => toast.error(err) });
    } else if (note) {
      update.mutate({ id: note.id, fields: values, tags: tagList }, { onError: (err) => toast.error(err) });
    }
  };

  /** Puts the caret back where it was in field `i` (after a toolbar button took the focus). */
  const focusField = (i: number) => {
    const el = inputs.current[i];
    if (!el || document.activeElement === el) return; // the live selection is the right one
    el.focus();
    if (el.isContentEditable && lastRange.current?.field === i) {
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(lastRange.current.range);
    }
  };

  const insertInField = (i: number, storedHtml: string) => {
    if (htmlMode[i]) {
      const area = inputs.current[i] as HTMLTextAreaElement | null;
      const v = fields[i];
      const start = area?.selectionStart ?? v.length;
      const end = area?.selectionEnd ?? v.length;
      setField(i, v.slice(0, start) + storedHtml + v.slice(end));
      return;
    }
    focusField(i);
    document.execCommand('insertHTML', false, toEditorHtml(storedHtml, mediaBase));
  };

  const addFiles = async (i: number, files: File[]) => {
    for (const file of files) {
      try {
        const name = pastedFileName(file.name, file.type);
        const data = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
        const { filename } = await api.call('media.add', { filename: name, dataBase64: data });
        insertInField(i, mediaReference(filename, file.type));
      } catch (err) {
        toast.error(err);
      }
    }
  };

  const cloze = (i: number, same: boolean) => {
    const n = clozeNumber(fields, same);
    if (htmlMode[i]) {
      const area = inputs.current[i] as HTMLTextAreaElement;
      const r = insertCloze(fields[i], area.selectionStart, area.selectionEnd, n);
      setField(i, r.text);
      requestAnimationFrame(() => area.setSelectionRange(r.caret, r.caret));
      return;
    }
    focusField(i);
    const sel = window.getSelection();
    const range = sel && sel.rangeCount ? sel.getRangeAt(0) : null;
    if (!range || range.collapsed) {
      document.execCommand('insertText', false, wrapCloze('', n));
      sel?.modify('move', 'backward', 'character');
      sel?.modify('move', 'backward', 'character');
    } else {
      const holder = document.createElement('div');
      holder.appendChild(range.cloneContents());
      document.execCommand('insertHTML', false, wrapCloze(holder.innerHTML, n));
    }
  };

  const toggleHtml = (i: number) => {
    if (htmlMode[i]) setField(i, sanitizeFieldHtml(fields[i]));
    setHtmlMode((m) => m.map((x, j) => (j === i ? !x : x)));
    requestAnimationFrame(() => inputs.current[i]?.focus());
  };

  const run = (i: number, command: EditorCommand, arg?: string) => {
    const exec = (name: string, value?: string) => {
      if (htmlMode[i]) return;
      focusField(i);
      document.execCommand(name, false, value);
    };
    switch (command) {
      case 'bold':
      case 'italic':
      case 'underline':
      case 'subscript':
      case 'superscript':
        return exec(command);
      case 'clearFormatting':
        return exec('removeFormat');
      case 'textColor':
        return exec('foreColor', arg ?? color);
      case 'cloze':
      case 'clozeSame':
        return cloze(i, command === 'clozeSame');
      case 'toggleHtml':
        return toggleHtml(i);
      case 'save':
        return submit();
      case 'focusTags':
        return tagsInput.current?.focus();
    }
  };
  const onFieldKey = (i: number) => (e: KeyboardEvent<HTMLElement>) => {
    const command = editorCommand(e);
    if (command) {
      e.preventDefault();
      run(i, command);
      return;
    }
    // Enter makes a line break (<br>), as Anki's editor does, not a new <div>
    if (e.key === 'Enter' && !e.shiftKey && !htmlMode[i]) {
      e.preventDefault();
      document.execCommand('insertLineBreak');
    }
  };

  const onPaste = (i: number) => (e: ClipboardEvent<HTMLElement>) => {
    const files = Array.from(e.clipboardData.files);
    if (files.length) {
      e.preventDefault();
      void addFiles(i, files);
      return;
    }
    if (htmlMode[i]) return;
    const html = e.clipboardData.getData('text/html');
    if (html) {
      e.preventDefault();
      document.execCommand('insertHTML', false, sanitizeFieldHtml(html));
    }
  };
  const onDrop = (i: number) => (e: DragEvent<HTMLElement>) => {
    const files = Array.from(e.dataTransfer.files);
    if (!files.length) return;
    e.preventDefault();
    if (!htmlMode[i]) {
      const range = document.caretRangeFromPoint?.(e.clientX, e.clientY);
      inputs.current[i]?.focus();
      if (range) {
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
      }
    }
    void addFiles(i, files);
  };

  const toggleSticky = (i: number) => {
    const f = notetype.fields[i];
    updateField.mutate({ id: notetype.id, field: f.ord, patch: { sticky: !f.sticky } }, { onError: (e) => toast.error(e) });
  };

  const pending = add.isPending || update.isPending;
  const fileInput = useRef<HTMLInputElement>(null);
  const message = check ? STATE_TEXT[check] : null;
  const isDupe = check === 'duplicate';
  const hasClozeField = notetype.kind === 'cloze';
  return (
    <div className={previewOpen ? 'editor-layout with-preview' : 'editor-layout'}>
      <form className="editor stack" onSubmit={submit} aria-label={mode === 'add' ? 'Add note' : 'Edit note'}>
        <div className="screen-header">
          <h1>{mode === 'add' ? 'Add' : 'Edit Note'}</h1>
          <div className="buttons">
            <button type="button" aria-expanded={previewOpen} onClick={() => setPreviewOpen((o) => !o)}>
              {previewOpen ? 'Hide Preview' : 'Preview'}
            </button>
            {mode === 'edit' && (
              <button type="button" onClick={() => window.history.back()}>
                Close
              </button>
            )}
          </div>
        </div>
        <div className="row">
          <label>
            Type
            <select value={notetype.id} disabled={mode === 'edit'} onChange={(e) => props.onNotetype(Number(e.target.value))}>
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
        <div className="editor-toolbar" role="toolbar" aria-label="Formatting">
          {(
            [
              ['bold', 'B', 'Bold (Ctrl+B)'],
              ['italic', 'I', 'Italic (Ctrl+I)'],
              ['underline', 'U', 'Underline (Ctrl+U)'],
              ['superscript', 'x²', 'Superscript (Ctrl+Shift+=)'],
              ['subscript', 'x₂', 'Subscript (Ctrl+=)'],
            ] as const
          ).map(([cmd, label, title]) => (
            <button key={cmd} type="button" className={`tool tool-${cmd}`} title={title} aria-label={title.replace(/ \(.*/, '')} onMouseDown={(e) => e.preventDefault()} onClick={() => run(focused, cmd)}>
              {label}
            </button>
          ))}
          <label className="tool tool-color" title="Text colour (F7)">
            <span className="visually-hidden">Text colour</span>
            <input type="color" value={color} onChange={(e) => setColor(e.target.value)} />
          </label>
          <button type="button" className="tool" title="Apply the text colour (F7)" aria-label="Apply text colour" onMouseDown={(e) => e.preventDefault()} onClick={() => run(focused, 'textColor', color)}>
            <span style={{ color, fontWeight: 700 }}>A</span>
          </button>
          <button type="button" className="tool" title="Bulleted list" aria-label="Bulleted list" onMouseDown={(e) => e.preventDefault()} onClick={() => (focusField(focused), document.execCommand('insertUnorderedList'))}>
            •≡
          </button>
          <button type="button" className="tool" title="Numbered list" aria-label="Numbered list" onMouseDown={(e) => e.preventDefault()} onClick={() => (focusField(focused), document.execCommand('insertOrderedList'))}>
            1≡
          </button>
          <button type="button" className="tool" title="Remove formatting (Ctrl+R)" aria-label="Remove formatting" onMouseDown={(e) => e.preventDefault()} onClick={() => run(focused, 'clearFormatting')}>
            T̸
          </button>
          <button type="button" className="tool" title="Cloze deletion (Ctrl+Shift+C; same number: Ctrl+Alt+Shift+C)" aria-label="Cloze deletion" onMouseDown={(e) => e.preventDefault()} onClick={() => run(focused, 'cloze')}>
            [...]
          </button>
          <button type="button" className="tool" title="Attach pictures or audio" aria-label="Attach pictures or audio" onClick={() => fileInput.current?.click()}>
            📎
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            accept="image/*,audio/*,video/*"
            hidden
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              e.target.value = '';
              void addFiles(focused, files);
            }}
          />
        </div>
        {notetype.fields.map((f, i) => (
          <div key={f.ord} className={`field${isDupe && i === 0 ? ' dupe' : ''}`}>
            <div className="field-head">
              <span className="field-name" id={`field-label-${i}`}>
                {f.name}
              </span>
              {mode === 'add' && (
                <button type="button" className={`pin${f.sticky ? ' on' : ''}`} aria-pressed={f.sticky} aria-label={`Sticky ${f.name}`} title="Sticky: keep this field's text for the next note" onClick={() => toggleSticky(i)}>
                  📌
                </button>
              )}
              <button type="button" className="html-toggle" aria-pressed={htmlMode[i]} aria-label={`HTML editor for ${f.name}`} title="HTML editor (Ctrl+Shift+X)" onClick={() => toggleHtml(i)}>
                &lt;/&gt;
              </button>
            </div>
            {htmlMode[i] ? (
              <textarea
                ref={(el) => {
                  inputs.current[i] = el;
                }}
                className="field-input field-html"
                aria-label={`${f.name} (HTML)`}
                dir={f.rtl ? 'rtl' : undefined}
                rows={4}
                spellCheck={false}
                value={fields[i] ?? ''}
                onFocus={() => setFocused(i)}
                onChange={(e) => setField(i, e.target.value)}
                onKeyDown={onFieldKey(i)}
                onPaste={onPaste(i)}
                onDrop={onDrop(i)}
              />
            ) : (
              <RichField
                inputRef={(el) => {
                  inputs.current[i] = el;
                }}
                labelledBy={`field-label-${i}`}
                rtl={f.rtl}
                fontName={f.fontName}
                fontSize={f.fontSize}
                placeholder={f.description}
                autoFocus={i === 0}
                value={fields[i] ?? ''}
                mediaBase={mediaBase}
                onChange={(v) => setField(i, v)}
                onFocus={() => setFocused(i)}
                onKeyDown={onFieldKey(i)}
                onPaste={onPaste(i)}
                onDrop={onDrop(i)}
              />
            )}
            {isDupe && i === 0 && (
              <p className="dupe-note" role="status">
                <a href={routeHash({ name: 'browse', query: duplicatesSearch(notetype.id, toSave()[0]) })}>Show Duplicates</a>
              </p>
            )}
          </div>
        ))}
        {hasClozeField && <p className="hint">Select text and press Ctrl+Shift+C for a new cloze number, Ctrl+Alt+Shift+C to reuse the last one.</p>}
        <TagsInput inputRef={tagsInput} value={tags} onChange={setTags} allTags={allTags.data ?? []} onSave={() => submit()} />
        {message && (
          <p className="warning" role="status">
            {message}
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
      {previewOpen && <NotePreview notetypeId={notetype.id} fields={fields} tags={splitTags(tags)} deckId={deckId} mediaBase={mediaBase} />}
    </div>
  );
}

/** One field's editing surface: contentEditable, fed with sanitised HTML, media shown from the media folder. */
function RichField(props: {
  inputRef: (el: HTMLDivElement | null) => void;
  labelledBy: string;
  rtl: boolean;
  fontName: string;
  fontSize: number;
  placeholder: string;
  autoFocus: boolean;
  value: string;
  mediaBase: string;
  onChange: (stored: string) => void;
  onFocus: () => void;
  onKeyDown: (e: KeyboardEvent<HTMLElement>) => void;
  onPaste: (e: ClipboardEvent<HTMLElement>) => void;
  onDrop: (e: DragEvent<HTMLElement>) => void;
}) {
  const ref = useRef<HTMLDivElement | null>(null);
  /** The value this surface last produced: a new value from outside (cleared after Add, a draft) replaces the content. */
  const emitted = useRef<string | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || props.value === emitted.current) return;
    el.innerHTML = toEditorHtml(props.value, props.mediaBase);
    emitted.current = props.value;
  }, [props.value, props.mediaBase]);
  useEffect(() => {
    if (props.autoFocus) ref.current?.focus();
  }, []);
  return (
    <div
      ref={(el) => {
        ref.current = el;
        props.inputRef(el);
      }}
      className="field-input rich"
      contentEditable
      suppressContentEditableWarning
      role="textbox"
      aria-multiline="true"
      aria-labelledby={props.labelledBy}
      data-placeholder={props.placeholder || undefined}
      dir={props.rtl ? 'rtl' : undefined}
      spellCheck
      style={{ fontFamily: props.fontName || undefined, fontSize: props.fontSize ? `${props.fontSize}px` : undefined }}
      onInput={(e) => {
        const v = fromEditorHtml((e.currentTarget as HTMLDivElement).innerHTML, props.mediaBase);
        emitted.current = v;
        props.onChange(v);
      }}
      onFocus={props.onFocus}
      onKeyDown={props.onKeyDown}
      onPaste={props.onPaste}
      onDrop={props.onDrop}
    />
  );
}

/** Tags, space separated, completed from the collection's tags. */
function TagsInput(props: { inputRef: MutableRefObject<HTMLInputElement | null>; value: string; onChange: (v: string) => void; allTags: readonly string[]; onSave: () => void }) {
  const [caret, setCaret] = useState(props.value.length);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const { prefix } = tagAt(props.value, caret);
  const suggestions = open ? tagSuggestions(props.allTags, prefix, splitTags(props.value)) : [];
  const accept = (tag: string) => {
    const r = completeTag(props.value, caret, tag);
    props.onChange(r.text);
    setCaret(r.caret);
    setActive(-1);
    requestAnimationFrame(() => props.inputRef.current?.setSelectionRange(r.caret, r.caret));
  };
  return (
    <div className="tags-input">
      <label htmlFor="note-tags">Tags</label>
      <input
        id="note-tags"
        ref={props.inputRef}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={suggestions.length > 0}
        aria-controls="tag-suggestions"
        aria-activedescendant={active >= 0 && suggestions[active] ? `tag-option-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        value={props.value}
        placeholder="space separated"
        onChange={(e) => {
          props.onChange(e.target.value);
          setCaret(e.target.selectionStart ?? e.target.value.length);
          setActive(-1);
          setOpen(true);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
            e.preventDefault();
            props.onSave();
          } else if (e.key === 'ArrowDown' && suggestions.length) {
            e.preventDefault();
            setActive((a) => (a + 1) % suggestions.length);
          } else if (e.key === 'ArrowUp' && suggestions.length) {
            e.preventDefault();
            setActive((a) => (a <= 0 ? suggestions.length - 1 : a - 1));
          } else if ((e.key === 'Enter' || e.key === 'Tab') && suggestions.length && (active >= 0 || e.key === 'Tab')) {
            e.preventDefault();
            accept(suggestions[Math.max(0, active)]);
          } else if (e.key === 'Enter') {
            // Enter finishes a tag; it does not add the note (Ctrl+Enter does)
            e.preventDefault();
            setOpen(false);
          } else if (e.key === 'Escape' && suggestions.length) {
            e.preventDefault();
            setOpen(false);
          }
        }}
      />
      {suggestions.length > 0 && (
        <ul id="tag-suggestions" className="tag-suggestions" role="listbox" aria-label="Tag suggestions">
          {suggestions.map((t, i) => (
            <li
              key={t}
              id={`tag-option-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(t);
              }}
            >
              {t}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The cards the note would have, in the reviewer's card frame (nothing is saved). */
function NotePreview(props: { notetypeId: number; fields: string[]; tags: string[]; deckId: number | null; mediaBase: string }) {
  const [input, setInput] = useState({ fields: props.fields.map((f) => sanitizeFieldHtml(f)), tags: props.tags });
  useEffect(() => {
    const t = setTimeout(() => setInput({ fields: props.fields.map((f) => sanitizeFieldHtml(f)), tags: props.tags }), 300);
    return () => clearTimeout(t);
  }, [props.fields, props.tags.join(' ')]);
  const preview = useApiQuery('notes.preview', { notetypeId: props.notetypeId, fields: input.fields, tags: input.tags, deckId: props.deckId ?? undefined }, { placeholderData: (prev) => prev });
  const [which, setWhich] = useState(0);
  const [side, setSide] = useState<'question' | 'answer'>('question');
  const nightMode = document.documentElement.dataset.theme === 'dark';
  const cards = preview.data?.cards ?? [];
  const card = cards[Math.min(which, cards.length - 1)];
  return (
    <aside className="note-preview stack" aria-label="Card preview">
      <div className="row">
        {cards.length > 1 && (
          <label>
            Card
            <select value={Math.min(which, cards.length - 1)} onChange={(e) => setWhich(Number(e.target.value))}>
              {cards.map((c, i) => (
                <option key={c.ord} value={i}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {cards.length === 1 && <span className="muted">{card?.name}</span>}
        <button type="button" onClick={() => setSide((s) => (s === 'question' ? 'answer' : 'question'))}>
          {side === 'question' ? 'Show Answer' : 'Show Question'}
        </button>
      </div>
      {preview.isError && <p role="alert" className="error">{preview.error.message}</p>}
      {card && <CardFrame card={card} side={side} nightMode={nightMode} mediaBase={props.mediaBase} className="card-frame preview-frame" title="Card preview" shownKey={`preview:${card.ord}:${side}`} />}
    </aside>
  );
}
