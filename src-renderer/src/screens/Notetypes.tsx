// Note types: add (from the stock types), clone, rename, delete; fields (add, rename, move,
// delete, sort field); card templates (front, back) and styling. Templates are edited as text.
import { type FormEvent, useEffect, useState } from 'react';
import { STOCK_NOTETYPES, type NotetypeView } from '../../../src-main/ipc/contract';
import { useApiMutation, useApiQuery } from '../api/hooks';
import { useToast } from '../components/toast';

const STOCK_LABEL: Record<(typeof STOCK_NOTETYPES)[number], string> = {
  basic: 'Basic',
  basicAndReversed: 'Basic (and reversed card)',
  basicOptionalReversed: 'Basic (optional reversed card)',
  basicTyping: 'Basic (type in the answer)',
  cloze: 'Cloze',
};

export function NotetypesScreen() {
  const list = useApiQuery('notetypes.list', {});
  const [selected, setSelected] = useState<number | null>(null);
  const [stock, setStock] = useState<(typeof STOCK_NOTETYPES)[number]>('basic');
  const toast = useToast();
  const add = useApiMutation('notetypes.addStock', { onSuccess: (r) => setSelected(r.id) });
  const id = selected ?? list.data?.[0]?.id ?? null;
  return (
    <section className="notetypes" aria-labelledby="nt-title">
      <div className="nt-list">
        <h1 id="nt-title">Note Types</h1>
        <ul className="plain">
          {list.data?.map((n) => (
            <li key={n.id}>
              <button type="button" className={`link${n.id === id ? ' active' : ''}`} aria-current={n.id === id} onClick={() => setSelected(n.id)}>
                {n.name} <span className="muted">({n.useCount})</span>
              </button>
            </li>
          ))}
        </ul>
        <div className="row">
          <select aria-label="Stock note type" value={stock} onChange={(e) => setStock(e.target.value as typeof stock)}>
            {STOCK_NOTETYPES.map((k) => (
              <option key={k} value={k}>
                {STOCK_LABEL[k]}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => add.mutate({ kind: stock }, { onError: (e) => toast.error(e) })}>
            Add
          </button>
        </div>
      </div>
      {id !== null && <NotetypeEditor key={id} id={id} onGone={() => setSelected(null)} onSelect={setSelected} />}
    </section>
  );
}

function NotetypeEditor({ id, onGone, onSelect }: { id: number; onGone: () => void; onSelect: (id: number) => void }) {
  const nt = useApiQuery('notetypes.get', { id });
  const toast = useToast();
  const fail = { onError: (e: Error) => toast.error(e) };
  const rename = useApiMutation('notetypes.rename');
  const clone = useApiMutation('notetypes.clone', { onSuccess: (r) => onSelect(r.id) });
  const remove = useApiMutation('notetypes.remove', { onSuccess: onGone });
  const [tab, setTab] = useState<'fields' | 'cards' | 'styling'>('fields');
  if (nt.isError) return <p role="alert" className="error">{nt.error.message}</p>;
  if (!nt.data) return <p className="muted">Loading…</p>;
  const n = nt.data;
  return (
    <div className="nt-editor stack">
      <NameRow
        name={n.name}
        onRename={(name) => rename.mutate({ id, name }, fail)}
        extra={
          <>
            <button type="button" onClick={() => clone.mutate({ id }, fail)}>
              Clone
            </button>
            <button type="button" className="danger" onClick={() => window.confirm(`Delete “${n.name}” and all its notes?`) && remove.mutate({ id }, fail)}>
              Delete
            </button>
          </>
        }
      />
      <div role="tablist" className="tabs">
        {(['fields', 'cards', 'styling'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'active' : undefined} onClick={() => setTab(t)}>
            {t === 'fields' ? 'Fields' : t === 'cards' ? 'Cards' : 'Styling'}
          </button>
        ))}
      </div>
      {tab === 'fields' && <FieldsTab nt={n} />}
      {tab === 'cards' && <TemplatesTab nt={n} />}
      {tab === 'styling' && <StylingTab nt={n} />}
    </div>
  );
}

function NameRow({ name, onRename, extra }: { name: string; onRename: (name: string) => void; extra?: React.ReactNode }) {
  const [value, setValue] = useState(name);
  useEffect(() => setValue(name), [name]);
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim() && value !== name) onRename(value.trim());
      }}
    >
      <label className="grow">
        Name
        <input value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <button type="submit" disabled={!value.trim() || value === name}>
        Rename
      </button>
      {extra}
    </form>
  );
}

function FieldsTab({ nt }: { nt: NotetypeView }) {
  const toast = useToast();
  const fail = { onError: (e: Error) => toast.error(e) };
  const add = useApiMutation('notetypes.fields.add');
  const rename = useApiMutation('notetypes.fields.rename');
  const remove = useApiMutation('notetypes.fields.remove');
  const move = useApiMutation('notetypes.fields.reposition');
  const sortBy = useApiMutation('notetypes.setSortField');
  const [newName, setNewName] = useState('');
  // window.prompt does not exist in Electron: rename in place
  const [renaming, setRenaming] = useState<number | null>(null);
  const [renameTo, setRenameTo] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({ id: nt.id, name: newName.trim() }, { ...fail, onSuccess: () => setNewName('') });
  };
  return (
    <div className="stack">
      <table className="nt-fields">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Sort by</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {nt.fields.map((f, i) => (
            <tr key={`${f.ord}:${f.name}`}>
              <td>
                {renaming === i ? (
                  <form
                    onSubmit={(e) => {
                      e.preventDefault();
                      setRenaming(null);
                      if (renameTo.trim() && renameTo !== f.name) rename.mutate({ id: nt.id, field: i, name: renameTo.trim() }, fail);
                    }}
                  >
                    <input autoFocus aria-label={`New name for ${f.name}`} value={renameTo} onChange={(e) => setRenameTo(e.target.value)} onBlur={() => setRenaming(null)} />
                  </form>
                ) : (
                  f.name
                )}
              </td>
              <td>
                <input type="radio" name="sort-field" aria-label={`Sort by ${f.name}`} checked={nt.sortFieldIdx === i} onChange={() => sortBy.mutate({ id: nt.id, field: i }, fail)} />
              </td>
              <td className="buttons">
                <button type="button" aria-label={`Move ${f.name} up`} disabled={i === 0} onClick={() => move.mutate({ id: nt.id, field: i, index: i - 1 }, fail)}>
                  ↑
                </button>
                <button type="button" aria-label={`Move ${f.name} down`} disabled={i === nt.fields.length - 1} onClick={() => move.mutate({ id: nt.id, field: i, index: i + 1 }, fail)}>
                  ↓
                </button>
                <button
                  type="button"
                  onClick={() => {
                    setRenameTo(f.name);
                    setRenaming(i);
                  }}
                >
                  Rename
                </button>
                <button type="button" onClick={() => window.confirm(`Delete the field “${f.name}” from every note of this type?`) && remove.mutate({ id: nt.id, field: i }, fail)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="row" onSubmit={submit}>
        <label className="grow">
          New field
          <input value={newName} onChange={(e) => setNewName(e.target.value)} />
        </label>
        <button type="submit" disabled={!newName.trim() || add.isPending}>
          Add Field
        </button>
      </form>
    </div>
  );
}

function TemplatesTab({ nt }: { nt: NotetypeView }) {
  const toast = useToast();
  const [index, setIndex] = useState(0);
  const t = nt.templates[Math.min(index, nt.templates.length - 1)];
  const [front, setFront] = useState(t.qFormat);
  const [back, setBack] = useState(t.aFormat);
  useEffect(() => {
    setFront(t.qFormat);
    setBack(t.aFormat);
  }, [t.qFormat, t.aFormat]);
  const save = useApiMutation('notetypes.templates.update', { onSuccess: () => toast.info('Card type saved') });
  const add = useApiMutation('notetypes.templates.add', { onSuccess: () => setIndex(nt.templates.length) });
  const remove = useApiMutation('notetypes.templates.remove', { onSuccess: () => setIndex(0) });
  const fail = { onError: (e: Error) => toast.error(e) };
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: nt.id, template: index, patch: { qFormat: front, aFormat: back } }, fail);
      }}
    >
      <div className="row">
        <label>
          Card type
          <select value={index} onChange={(e) => setIndex(Number(e.target.value))}>
            {nt.templates.map((x, i) => (
              <option key={`${x.ord}:${x.name}`} value={i}>
                {i + 1}: {x.name}
              </option>
            ))}
          </select>
        </label>
        {nt.kind === 'normal' && (
          <>
            <button type="button" onClick={() => add.mutate({ id: nt.id, name: `Card ${nt.templates.length + 1}`, qFormat: t.qFormat, aFormat: t.aFormat }, fail)}>
              Add Card Type
            </button>
            <button type="button" disabled={nt.templates.length < 2} onClick={() => window.confirm(`Delete the card type “${t.name}” and its cards?`) && remove.mutate({ id: nt.id, template: index }, fail)}>
              Delete Card Type
            </button>
          </>
        )}
      </div>
      <label className="field">
        Front template
        <textarea rows={6} value={front} onChange={(e) => setFront(e.target.value)} />
      </label>
      <label className="field">
        Back template
        <textarea rows={6} value={back} onChange={(e) => setBack(e.target.value)} />
      </label>
      <div className="buttons">
        <button type="submit" className="primary" disabled={save.isPending || (front === t.qFormat && back === t.aFormat)}>
          Save
        </button>
      </div>
    </form>
  );
}

function StylingTab({ nt }: { nt: NotetypeView }) {
  const toast = useToast();
  const [css, setCss] = useState(nt.css);
  useEffect(() => setCss(nt.css), [nt.css]);
  const save = useApiMutation('notetypes.setCss', { onSuccess: () => toast.info('Styling saved') });
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: nt.id, css }, { onError: (err) => toast.error(err) });
      }}
    >
      <label className="field">
        Styling (shared by all card types)
        <textarea rows={12} value={css} onChange={(e) => setCss(e.target.value)} />
      </label>
      <div className="buttons">
        <button type="submit" className="primary" disabled={save.isPending || css === nt.css}>
          Save
        </button>
      </div>
    </form>
  );
}
