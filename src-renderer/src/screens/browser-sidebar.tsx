// The browser's sidebar, as Anki's: saved searches (the collection's `savedFilters`), Today, Card
// State, Flags, Decks, Note Types and Tags. A click sets the search (ctrl adds it with AND, shift
// with OR); the current search can be saved under a name.
import { type FormEvent, type MouseEvent, useState } from 'react';
import { useApi, useApiMutation, useApiQuery } from '../api/hooks';
import { useToast } from '../components/toast';
import type { ClickMods } from './browser-logic';

const TODAY: [string, string][] = [
  ['Due Today', 'prop:due=0'],
  ['Added Today', 'added:1'],
  ['Edited Today', 'edited:1'],
  ['Studied Today', 'rated:1'],
  ['First Review', 'introduced:1'],
  ['Rescheduled', 'resched:1'],
  ['Again Today', 'rated:1:1'],
  ['Overdue', 'is:due -prop:due=0'],
];
const CARD_STATE: [string, string][] = [
  ['New', 'is:new'],
  ['Learning', 'is:learn'],
  ['Review', 'is:review'],
  ['Suspended', 'is:suspended'],
  ['Buried', 'is:buried'],
];
export const FLAG_NAMES = ['Red', 'Orange', 'Green', 'Blue', 'Pink', 'Turquoise', 'Purple'];
const FLAGS: [string, string][] = [['No Flag', 'flag:0'], ...FLAG_NAMES.map((n, i): [string, string] => [n, `flag:${i + 1}`])];

const mods = (e: MouseEvent): ClickMods => ({ ctrl: e.ctrlKey || e.metaKey, shift: e.shiftKey });

export function BrowserSidebar(props: { current: string; savedSearches: Record<string, string>; onSearch(term: string, mods: ClickMods): void; onSaveSearches(s: Record<string, string>): void }) {
  const api = useApi();
  const toast = useToast();
  const decks = useApiQuery('decks.list', {});
  const notetypes = useApiQuery('notetypes.list', {});
  const tags = useApiQuery('tags.list', {});
  const [naming, setNaming] = useState<string | null>(null);
  const term = (kind: 'deck' | 'tag' | 'notetype', name: string, e: MouseEvent) => {
    const m = mods(e);
    api.call('search.termText', { kind, name }).then(
      (r) => props.onSearch(r.text, m),
      (err) => toast.error(err),
    );
  };
  const simple = (list: [string, string][], cls?: (i: number) => string) =>
    list.map(([label, search], i) => (
      <li key={label}>
        <button type="button" className={`link${cls ? ` ${cls(i)}` : ''}`} title={search} onClick={(e) => props.onSearch(search, mods(e))}>
          {label}
        </button>
      </li>
    ));
  const save = (e: FormEvent) => {
    e.preventDefault();
    const name = naming?.trim();
    if (!name) return;
    props.onSaveSearches({ ...props.savedSearches, [name]: props.current });
    setNaming(null);
  };
  const saved = Object.entries(props.savedSearches).sort(([a], [b]) => a.localeCompare(b));
  return (
    <nav className="browser-sidebar" aria-label="Saved searches, decks, note types and tags">
      <Section title="Saved Searches">
        {saved.map(([name, search]) => (
          <li key={name} className="saved-search">
            <button type="button" className="link" title={search} onClick={(e) => props.onSearch(search, mods(e))}>
              {name}
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={`Delete saved search ${name}`}
              onClick={() => {
                const next = { ...props.savedSearches };
                delete next[name];
                props.onSaveSearches(next);
              }}
            >
              ×
            </button>
          </li>
        ))}
        <li>
          {naming === null ? (
            <button type="button" className="link muted" onClick={() => setNaming('')}>
              + Save Current Search
            </button>
          ) : (
            <form onSubmit={save} className="save-search">
              <input aria-label="Name of the saved search" autoFocus value={naming} onChange={(e) => setNaming(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setNaming(null)} />
              <button type="submit">Save</button>
            </form>
          )}
        </li>
      </Section>
      <Section title="Today">{simple(TODAY)}</Section>
      <Section title="Card State">{simple(CARD_STATE)}</Section>
      <Section title="Flags" search={['-flag:0', props.onSearch]}>
        {simple(FLAGS, (i) => (i ? `flag-label flag-${i}` : ''))}
      </Section>
      <Section title="Decks">
        {decks.data?.map((d) => (
          <li key={d.id} style={{ paddingInlineStart: `${(d.name.split('::').length - 1) * 0.8}rem` }}>
            <button type="button" className="link" aria-label={d.name} title={d.name} onClick={(e) => term('deck', d.name, e)}>
              {d.name.split('::').at(-1)}
            </button>
          </li>
        ))}
      </Section>
      <Section title="Note Types">
        {notetypes.data?.map((n) => (
          <li key={n.id}>
            <button type="button" className="link" onClick={(e) => term('notetype', n.name, e)}>
              {n.name}
            </button>
          </li>
        ))}
      </Section>
      <Section title="Tags">
        {tags.data?.map((t) => (
          <li key={t} style={{ paddingInlineStart: `${(t.split('::').length - 1) * 0.8}rem` }}>
            <button type="button" className="link" aria-label={t} title={t} onClick={(e) => term('tag', t, e)}>
              {t.split('::').at(-1)}
            </button>
          </li>
        ))}
      </Section>
    </nav>
  );
}

function Section(props: { title: string; children: React.ReactNode; search?: [string, (s: string, m: ClickMods) => void] }) {
  return (
    <details open className="sidebar-section">
      <summary>
        <h2>
          {props.search ? (
            <button type="button" className="link" onClick={(e) => props.search![1](props.search![0], mods(e))}>
              {props.title}
            </button>
          ) : (
            props.title
          )}
        </h2>
      </summary>
      <ul>{props.children}</ul>
    </details>
  );
}

/** Saves the saved-search list (the collection's `savedFilters`). */
export function useSaveSearches() {
  const toast = useToast();
  const set = useApiMutation('browser.setState', { invalidates: ['browser.state'] });
  return (savedSearches: Record<string, string>) => set.mutate({ savedSearches }, { onError: (e) => toast.error(e) });
}
