// A small hash router: #/decks, #/deck/12, #/review/12, #/add, #/edit/34, #/browse?q=…, #/settings.
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'decks' }
  | { name: 'overview'; deckId: number }
  | { name: 'review'; deckId: number }
  | { name: 'add' }
  | { name: 'edit'; noteId: number }
  | { name: 'browse'; query: string | null }
  | { name: 'stats' }
  | { name: 'notetypes' }
  | { name: 'tools' }
  | { name: 'settings' };

export function parseRoute(hash: string): Route {
  const [path, qs] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const id = Number(parts[1]);
  switch (parts[0]) {
    case 'deck':
      if (Number.isSafeInteger(id)) return { name: 'overview', deckId: id };
      break;
    case 'review':
      if (Number.isSafeInteger(id)) return { name: 'review', deckId: id };
      break;
    case 'add':
      return { name: 'add' };
    case 'edit':
      if (Number.isSafeInteger(id)) return { name: 'edit', noteId: id };
      break;
    case 'browse':
      return { name: 'browse', query: new URLSearchParams(qs ?? '').get('q') };
    case 'settings':
    case 'stats':
    case 'tools':
    case 'notetypes':
      return { name: parts[0] };
  }
  return { name: 'decks' };
}

export function routeHash(r: Route): string {
  switch (r.name) {
    case 'decks':
      return '#/decks';
    case 'overview':
      return `#/deck/${r.deckId}`;
    case 'review':
      return `#/review/${r.deckId}`;
    case 'add':
      return '#/add';
    case 'edit':
      return `#/edit/${r.noteId}`;
    case 'browse':
      return r.query ? `#/browse?${new URLSearchParams({ q: r.query })}` : '#/browse';
    case 'settings':
    case 'stats':
    case 'tools':
    case 'notetypes':
      return `#/${r.name}`;
  }
}

export function navigate(r: Route): void {
  window.location.hash = routeHash(r);
}

const subscribe = (cb: () => void) => {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
