// The deck list: the tree with new / learn / due counts, collapse, create, rename, delete,
// drag and drop to reparent, and the options of a deck's preset.
import { type DragEvent, type FormEvent, useState } from 'react';
import type { DeckNode } from '../../../src-main/ipc/contract';
import { useApiMutation, useApiQuery } from '../api/hooks';
import { Dialog } from '../components/dialog';
import { useToast } from '../components/toast';
import { DeckOptionsDialog } from './DeckOptions';

const DRAG_TYPE = 'application/x-deckhand-deck';

type DeckAction = { kind: 'rename' | 'delete' | 'options'; deck: DeckNode } | { kind: 'create' } | null;

export function DecksScreen() {
  const tree = useApiQuery('decks.tree', {});
  const [action, setAction] = useState<DeckAction>(null);
  const [dropTarget, setDropTarget] = useState<number | 'top' | null>(null);
  const toast = useToast();
  const reparent = useApiMutation('decks.reparent');
  const close = () => setAction(null);

  const onDrop = (e: DragEvent, parentId: number | null) => {
    e.preventDefault();
    setDropTarget(null);
    const id = Number(e.dataTransfer.getData(DRAG_TYPE));
    if (!id || id === parentId) return;
    reparent.mutate({ deckIds: [id], parentId }, { onError: (err) => toast.error(err) });
  };

  return (
    <section className="decks" aria-labelledby="decks-title">
      <div className="screen-header">
        <h1 id="decks-title">Decks</h1>
        <button type="button" className="primary" onClick={() => setAction({ kind: 'create' })}>
          Create Deck
        </button>
      </div>
      {tree.isError && <p role="alert" className="error">{tree.error.message}</p>}
      {tree.data && (
        <table className="deck-table">
          <thead>
            <tr>
              <th scope="col">Deck</th>
              <th scope="col" className="num">New</th>
              <th scope="col" className="num">Learn</th>
              <th scope="col" className="num">Due</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tree.data.children.map((d) => (
              <DeckRows key={d.id} node={d} onAction={setAction} dropTarget={dropTarget} setDropTarget={setDropTarget} onDrop={onDrop} />
            ))}
          </tbody>
        </table>
      )}
      <div
        className={`drop-top${dropTarget === 'top' ? ' drop-over' : ''}`}
        onDragOver={(e) => {
          if (e.dataTransfer.types.includes(DRAG_TYPE)) {
            e.preventDefault();
            setDropTarget('top');
          }
        }}
        onDragLeave={() => setDropTarget(null)}
        onDrop={(e) => onDrop(e, null)}
      >
        Drop a deck here to move it to the top level
      </div>
      <CreateDeckDialog open={action?.kind === 'create'} onClose={close} />
      {action?.kind === 'rename' && <RenameDeckDialog deck={action.deck} onClose={close} />}
      {action?.kind === 'delete' && <DeleteDeckDialog deck={action.deck} onClose={close} />}
      {action?.kind === 'options' && <DeckOptionsDialog deckId={action.deck.id} deckName={action.deck.fullName} onClose={close} />}
    </section>
  );
}

function DeckRows(props: {
  node: DeckNode;
  onAction: (a: DeckAction) => void;
  dropTarget: number | 'top' | null;
  setDropTarget: (t: number | 'top' | null) => void;
  onDrop: (e: DragEvent, parentId: number | null) => void;
}) {
  const { node, onAction, dropTarget, setDropTarget, onDrop } = props;
  const toast = useToast();
  const collapse = useApiMutation('decks.setCollapsed');
  const [menu, setMenu] = useState(false);
  const hasChildren = node.children.length > 0;
  const counts = node.counts;
  return (
    <>
      <tr
        className={`deck-row${dropTarget === node.id ? ' drop-over' : ''}`}
        data-deck-id={node.id}
        draggable
        onDragStart={(e) => {
          e.dataTransfer.setData(DRAG_TYPE, String(node.id));
          e.dataTransfer.effectAllowed = 'move';
        }}
        onDragOver={(e) => {
          if (!node.filtered && e.dataTransfer.types.includes(DRAG_TYPE)) {
            e.preventDefault();
            setDropTarget(node.id);
          }
        }}
        onDragLeave={() => setDropTarget(null)}
        onDrop={(e) => onDrop(e, node.id)}
      >
        <td className="deck-name" style={{ paddingInlineStart: `${(node.level - 1) * 1.25 + 0.5}rem` }}>
          {hasChildren ? (
            <button
              type="button"
              className="twisty"
              aria-expanded={!node.collapsed}
              aria-label={`${node.collapsed ? 'Expand' : 'Collapse'} ${node.fullName}`}
              onClick={() => collapse.mutate({ id: node.id, collapsed: !node.collapsed }, { onError: (e) => toast.error(e) })}
            >
              {node.collapsed ? '▸' : '▾'}
            </button>
          ) : (
            <span className="twisty" aria-hidden="true" />
          )}
          <a href={`#/deck/${node.id}`} className={node.filtered ? 'filtered' : undefined}>
            {node.name}
          </a>
        </td>
        <Count value={counts?.new} kind="new" />
        <Count value={counts?.learn} kind="learn" />
        <Count value={counts?.review} kind="review" />
        <td className="deck-menu">
          <button type="button" className="icon-button" aria-haspopup="menu" aria-expanded={menu} aria-label={`Actions for ${node.fullName}`} onClick={() => setMenu((m) => !m)}>
            ⚙
          </button>
          {menu && (
            <div className="menu" role="menu" onMouseLeave={() => setMenu(false)}>
              {(['rename', 'options', 'delete'] as const)
                .filter((k) => k !== 'options' || !node.filtered)
                .map((k) => (
                  <button
                    key={k}
                    type="button"
                    role="menuitem"
                    onClick={() => {
                      setMenu(false);
                      onAction({ kind: k, deck: node });
                    }}
                  >
                    {k === 'rename' ? 'Rename' : k === 'options' ? 'Options' : 'Delete'}
                  </button>
                ))}
            </div>
          )}
        </td>
      </tr>
      {!node.collapsed &&
        node.children.map((c) => <DeckRows key={c.id} node={c} onAction={onAction} dropTarget={dropTarget} setDropTarget={setDropTarget} onDrop={onDrop} />)}
    </>
  );
}

function Count({ value, kind }: { value: number | undefined; kind: 'new' | 'learn' | 'review' }) {
  return <td className={`num count-${kind}${value ? '' : ' zero'}`}>{value ?? '–'}</td>;
}

function NameForm({ initial, submitLabel, pending, onSubmit }: { initial: string; submitLabel: string; pending: boolean; onSubmit: (name: string) => void }) {
  const [name, setName] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) onSubmit(name.trim());
  };
  return (
    <form onSubmit={submit} className="stack">
      <label>
        Name
        <input autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder="Languages::Spanish" />
      </label>
      <p className="hint">Use “::” to make a subdeck, e.g. Languages::Spanish.</p>
      <div className="buttons">
        <button type="submit" className="primary" disabled={pending || !name.trim()}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

function CreateDeckDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const toast = useToast();
  const add = useApiMutation('decks.add', { onSuccess: (r) => (toast.info(`Created “${r.name}”`), onClose()) });
  return (
    <Dialog title="Create Deck" open={open} onClose={onClose}>
      <NameForm initial="" submitLabel="Create" pending={add.isPending} onSubmit={(name) => add.mutate({ name }, { onError: (e) => toast.error(e) })} />
    </Dialog>
  );
}

function RenameDeckDialog({ deck, onClose }: { deck: DeckNode; onClose: () => void }) {
  const toast = useToast();
  const rename = useApiMutation('decks.rename', { onSuccess: onClose });
  return (
    <Dialog title={`Rename “${deck.fullName}”`} open onClose={onClose}>
      <NameForm initial={deck.fullName} submitLabel="Rename" pending={rename.isPending} onSubmit={(name) => rename.mutate({ id: deck.id, name }, { onError: (e) => toast.error(e) })} />
    </Dialog>
  );
}

function DeleteDeckDialog({ deck, onClose }: { deck: DeckNode; onClose: () => void }) {
  const toast = useToast();
  const remove = useApiMutation('decks.remove', {
    onSuccess: (r) => {
      toast.info(`Deleted “${deck.fullName}”${r.cardsDeleted ? ` and its ${r.cardsDeleted} card${r.cardsDeleted === 1 ? '' : 's'}` : ''}. Undo brings it back.`);
      onClose();
    },
  });
  return (
    <Dialog title="Delete Deck" open onClose={onClose}>
      <p>
        Delete “{deck.fullName}”{deck.children.length ? ' and its subdecks' : ''} with all their cards?
      </p>
      <div className="buttons">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate({ deckIds: [deck.id] }, { onError: (e) => toast.error(e) })}>
          Delete
        </button>
      </div>
    </Dialog>
  );
}
