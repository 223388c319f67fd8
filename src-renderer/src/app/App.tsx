// The app shell: navigation, undo, theme, and the screen for the current route.
import { useEffect, useState } from 'react';
import { useApi, useApiMutation, useApiQuery, useServes } from '../api/hooks';
import { ImportDialog } from '../components/ImportDialog';
import { ProgressBar } from '../components/ProgressBar';
import { SyncIndicator } from '../components/SyncIndicator';
import { useToast } from '../components/toast';
import '../features.css';
import { BrowserScreen } from '../screens/Browser';
import { DecksScreen } from '../screens/Decks';
import { EditorScreen } from '../screens/Editor';
import { OverviewScreen } from '../screens/Overview';
import { ReviewScreen } from '../screens/Review';
import { NotetypesScreen } from '../screens/Notetypes';
import { SettingsScreen } from '../screens/Settings';
import { StatsScreen } from '../screens/Stats';
import { ToolsScreen } from '../screens/Tools';
import { type AddDraft, bumpBrowseGeneration, listenForGuiCommands, setPendingDraft, type ShellHandlers, useBrowseGeneration } from './gui';
import { isTyping, keyName } from './keys';
import { navigate, type Route, routeHash, useRoute } from './router';
import { type ThemeSetting, useAppliedTheme } from './theme';

const NAV: { label: string; route: Route; match: Route['name'][] }[] = [
  { label: 'Decks', route: { name: 'decks' }, match: ['decks', 'overview', 'review'] },
  { label: 'Add', route: { name: 'add' }, match: ['add'] },
  { label: 'Browse', route: { name: 'browse', query: null }, match: ['browse', 'edit'] },
  { label: 'Note Types', route: { name: 'notetypes' }, match: ['notetypes'] },
  { label: 'Stats', route: { name: 'stats' }, match: ['stats'] },
  { label: 'Tools', route: { name: 'tools' }, match: ['tools'] },
  { label: 'Settings', route: { name: 'settings' }, match: ['settings'] },
];
const NEXT_THEME: Record<ThemeSetting, ThemeSetting> = { system: 'light', light: 'dark', dark: 'system' };

export function useUndo() {
  const toast = useToast();
  const undo = useApiMutation('collection.undo', { onSuccess: (r) => toast.info(`Undone: ${r.op}`), invalidates: ['collection.undoStatus'] });
  return () => undo.mutate({}, { onError: (e) => toast.error(e) });
}

export function App() {
  const route = useRoute();
  const toast = useToast();
  const servesSettings = useServes('settings.get');
  const settings = useApiQuery('settings.get', {}, { enabled: !!servesSettings });
  const themeSetting: ThemeSetting = settings.data?.ui.theme ?? 'system';
  const theme = useAppliedTheme(themeSetting);
  const saveSettings = useApiMutation('settings.update', { invalidates: ['settings.get'] });
  const status = useApiQuery('collection.undoStatus', {});
  const undo = useUndo();
  const api = useApi();
  const [importing, setImporting] = useState<{ path: string | null } | null>(null);

  // AnkiConnect's GUI actions: what the shell does (screens add their own while shown)
  useEffect(() => {
    const shell: ShellHandlers = {
      browse: (query: string | null) => {
        bumpBrowseGeneration();
        navigate({ name: 'browse', query });
        return null;
      },
      openAddCards: (draft: AddDraft | null) => {
        setPendingDraft(draft);
        navigate({ name: 'add' });
        return 0;
      },
      editNote: (noteId: number) => navigate({ name: 'edit', noteId }),
      showDeckOverview: (deckId: number) => navigate({ name: 'overview', deckId }),
      startReview: (deckId: number) => navigate({ name: 'review', deckId }),
      showDeckBrowser: () => navigate({ name: 'decks' }),
      importFile: (path: string | null) => setImporting({ path }),
    };
    return listenForGuiCommands(api, () => shell);
  }, [api]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (route.name === 'review' || isTyping(e.target) || e.defaultPrevented) return;
      if (keyName(e) === 'ctrl+z') {
        e.preventDefault();
        undo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const cycleTheme = () =>
    saveSettings.mutate({ ui: { theme: NEXT_THEME[themeSetting] } }, { onError: (e) => toast.error(e) });

  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/decks">
          Deckhand
        </a>
        <nav aria-label="Main">
          {NAV.map((n) => (
            <a key={n.label} href={routeHash(n.route)} className={n.match.includes(route.name) ? 'active' : undefined} aria-current={n.match.includes(route.name) ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        <div className="topbar-actions">
          <SyncIndicator />
          <button type="button" onClick={undo} disabled={!status.data?.undo} title="Undo (Ctrl+Z)">
            {status.data?.undo ? `Undo ${status.data.undo}` : 'Undo'}
          </button>
          {servesSettings && (
            <button type="button" onClick={cycleTheme} title="Theme: system, light or dark" aria-label={`Theme: ${themeSetting}`}>
              {themeSetting === 'system' ? `Auto (${theme})` : themeSetting === 'light' ? 'Light' : 'Dark'}
            </button>
          )}
        </div>
      </header>
      <ProgressBar />
      <main className="screen">
        <Screen route={route} theme={theme} />
      </main>
      <ImportDialog open={!!importing} path={importing?.path ?? null} onClose={() => setImporting(null)} />
    </div>
  );
}

function Screen({ route, theme }: { route: Route; theme: 'light' | 'dark' }) {
  const browseGeneration = useBrowseGeneration();
  switch (route.name) {
    case 'decks':
      return <DecksScreen />;
    case 'overview':
      return <OverviewScreen deckId={route.deckId} />;
    case 'review':
      return <ReviewScreen deckId={route.deckId} nightMode={theme === 'dark'} />;
    case 'add':
      return <EditorScreen key="add" noteId={null} />;
    case 'edit':
      return <EditorScreen key={`edit-${route.noteId}`} noteId={route.noteId} />;
    case 'browse':
      // keyed: AnkiConnect's guiBrowse starts a fresh search even when the browser is open
      return <BrowserScreen key={browseGeneration} initialQuery={route.query} />;
    case 'settings':
      return <SettingsScreen />;
    case 'stats':
      return <StatsScreen />;
    case 'notetypes':
      return <NotetypesScreen />;
    case 'tools':
      return <ToolsScreen />;
  }
}
