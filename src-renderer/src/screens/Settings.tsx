// Profile settings: theme; the review keymap (record keys, conflicts shown, saved in the profile);
// AnkiConnect (on/off, port, bind address, trusted origins, the API key — kept in the profile's
// secrets file, never in profile.json); sync (log in/out, automatic syncing, interval, media);
// the collection's packages and backups (replace from a .colpkg, export one, restore a backup).
import { type FormEvent, type KeyboardEvent, useEffect, useState } from 'react';
import { THEMES, type Settings } from '../../../src-main/ipc/contract';
import { useApiMutation, useApiQuery, useServes } from '../api/hooks';
import { CollectionPanel } from '../components/CollectionPanel';
import { ACTION_LABELS, DEFAULT_REVIEW_KEYS, displayKey, isModifierOnly, keymapConflicts, keymapOverrides, keyName } from '../app/keys';
import { useToast } from '../components/toast';

export function SettingsScreen() {
  const serves = useServes('settings.get');
  const settings = useApiQuery('settings.get', {}, { enabled: !!serves });
  const info = useApiQuery('app.info', {});
  if (serves === false) return <p className="muted">Settings are not available in this version.</p>;
  if (settings.isError) return <p role="alert" className="error">{settings.error.message}</p>;
  if (!settings.data) return <p className="muted">Loading…</p>;
  return (
    <section className="settings stack" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <p className="muted">
        Profile “{info.data?.profile}” · {info.data?.collectionPath}
      </p>
      <AppearanceSettings settings={settings.data} />
      <KeymapSettings settings={settings.data} />
      <AnkiConnectSettings settings={settings.data} />
      <SyncSettings settings={settings.data} />
      <CollectionPanel />
    </section>
  );
}

function useSave(message = 'Settings saved') {
  const toast = useToast();
  return useApiMutation('settings.update', { invalidates: ['settings.get'], onSuccess: () => toast.info(message) });
}

function AppearanceSettings({ settings }: { settings: Settings }) {
  const save = useSave();
  const toast = useToast();
  return (
    <fieldset>
      <legend>Appearance</legend>
      <label>
        Theme
        <select value={settings.ui.theme} onChange={(e) => save.mutate({ ui: { theme: e.target.value as Settings['ui']['theme'] } }, { onError: (err) => toast.error(err) })}>
          {THEMES.map((t) => (
            <option key={t} value={t}>
              {t === 'system' ? 'Follow the system' : t === 'light' ? 'Light' : 'Dark'}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}

/** The review keys: each action's keys as chips; "Add key" records the next key pressed. */
function KeymapSettings({ settings }: { settings: Settings }) {
  const save = useSave('Keys saved');
  const toast = useToast();
  const [map, setMap] = useState<Record<string, string[]>>(() => ({ ...DEFAULT_REVIEW_KEYS, ...settings.ui.keymap }));
  const [recording, setRecording] = useState<string | null>(null);
  useEffect(() => setMap({ ...DEFAULT_REVIEW_KEYS, ...settings.ui.keymap }), [settings.ui.keymap]);
  const overrides = keymapOverrides(map);
  const conflicts = keymapConflicts(overrides);
  const changed = JSON.stringify(overrides) !== JSON.stringify(keymapOverrides({ ...DEFAULT_REVIEW_KEYS, ...settings.ui.keymap }));

  const record = (action: string) => (e: KeyboardEvent<HTMLButtonElement>) => {
    if (recording !== action) return;
    if (e.key === 'Tab') return setRecording(null);
    e.preventDefault();
    e.stopPropagation();
    if (e.key === 'Escape') return setRecording(null);
    if (isModifierOnly(e)) return;
    const k = keyName(e);
    setMap((m) => ({ ...m, [action]: m[action]?.includes(k) ? m[action] : [...(m[action] ?? []), k] }));
    setRecording(null);
  };

  return (
    <fieldset className="keymap">
      <legend>Review keys</legend>
      <table className="keymap-table">
        <tbody>
          {Object.keys(DEFAULT_REVIEW_KEYS).map((action) => (
            <tr key={action}>
              <th scope="row">{ACTION_LABELS[action] ?? action}</th>
              <td>
                <ul className="key-chips" aria-label={`Keys for ${ACTION_LABELS[action] ?? action}`}>
                  {(map[action] ?? []).map((k) => (
                    <li key={k} className={conflicts.some((c) => c.key === k && c.actions.includes(action)) ? 'key-chip conflict' : 'key-chip'}>
                      <kbd>{displayKey(k)}</kbd>
                      <button type="button" className="icon-button" aria-label={`Remove ${displayKey(k)} from ${ACTION_LABELS[action] ?? action}`} onClick={() => setMap((m) => ({ ...m, [action]: m[action].filter((x) => x !== k) }))}>
                        ×
                      </button>
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <button type="button" className={recording === action ? 'recording' : undefined} onClick={() => setRecording(recording === action ? null : action)} onKeyDown={record(action)} onBlur={() => setRecording((r) => (r === action ? null : r))}>
                  {recording === action ? 'Press a key…' : `Add key`}
                  <span className="visually-hidden"> for {ACTION_LABELS[action] ?? action}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {conflicts.length > 0 && (
        <p className="warning" role="alert">
          {conflicts.map((c) => `${displayKey(c.key)} is used by ${c.actions.map((a) => ACTION_LABELS[a] ?? a).join(' and ')}`).join('; ')}. Each key may do one thing on each side of the card.
        </p>
      )}
      <div className="buttons">
        <button type="button" onClick={() => setMap({ ...DEFAULT_REVIEW_KEYS })}>
          Restore Anki’s keys
        </button>
        <button type="button" className="primary" disabled={!changed || conflicts.length > 0 || save.isPending} onClick={() => save.mutate({ ui: { keymap: overrides } }, { onError: (err) => toast.error(err) })}>
          Save keys
        </button>
      </div>
    </fieldset>
  );
}

const randomKey = () => Array.from(crypto.getRandomValues(new Uint8Array(18)), (b) => b.toString(16).padStart(2, '0')).join('');

function AnkiConnectSettings({ settings }: { settings: Settings }) {
  const save = useSave();
  const toast = useToast();
  const servesKey = useServes('settings.ankiConnectKey');
  const key = useApiQuery('settings.ankiConnectKey', {}, { enabled: !!servesKey });
  const setKey = useApiMutation('settings.setAnkiConnectKey', { invalidates: ['settings.ankiConnectKey'], onSuccess: () => toast.info('API key saved. It applies the next time Deckhand starts.') });
  const [draft, setDraft] = useState(settings.ankiConnect);
  const [origins, setOrigins] = useState(settings.ankiConnect.corsOrigins.join('\n'));
  const [showKey, setShowKey] = useState(false);
  useEffect(() => {
    setDraft(settings.ankiConnect);
    setOrigins(settings.ankiConnect.corsOrigins.join('\n'));
  }, [settings.ankiConnect]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const list = origins
      .split('\n')
      .map((o) => o.trim())
      .filter(Boolean);
    if (list.includes('*')) return toast.error('“*” would let every website use your collection; list the origins instead.');
    save.mutate({ ankiConnect: { ...draft, corsOrigins: list } }, { onError: (err) => toast.error(err) });
  };
  return (
    <form onSubmit={submit} aria-label="AnkiConnect settings">
      <fieldset>
        <legend>AnkiConnect</legend>
        <label className="inline">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} /> Serve the AnkiConnect API
        </label>
        <div className="grid-2">
          <label>
            Port
            <input type="number" min={1} max={65535} value={draft.port} onChange={(e) => setDraft({ ...draft, port: Number(e.target.value) })} />
          </label>
          <label>
            Bind address
            <input value={draft.bindAddress} onChange={(e) => setDraft({ ...draft, bindAddress: e.target.value })} />
          </label>
        </div>
        <label>
          Trusted origins (one per line)
          <textarea rows={3} value={origins} onChange={(e) => setOrigins(e.target.value)} />
        </label>
        {servesKey && (
          <div className="api-key stack">
            <span>API key</span>
            <div className="row">
              <code className="grow" aria-label="API key">
                {key.data?.key ? (showKey ? key.data.key : '•'.repeat(12)) : 'none: any program on this computer may call the API'}
              </code>
              {key.data?.key && (
                <>
                  <button type="button" onClick={() => setShowKey((s) => !s)}>
                    {showKey ? 'Hide' : 'Show'}
                  </button>
                  <button type="button" onClick={() => void navigator.clipboard?.writeText(key.data!.key!).then(() => toast.info('API key copied'), (e) => toast.error(e))}>
                    Copy
                  </button>
                  <button type="button" onClick={() => setKey.mutate({ key: null }, { onError: (e) => toast.error(e) })}>
                    Remove
                  </button>
                </>
              )}
              <button type="button" onClick={() => setKey.mutate({ key: randomKey() }, { onError: (e) => toast.error(e) })}>
                {key.data?.key ? 'New key' : 'Create a key'}
              </button>
            </div>
          </div>
        )}
        <p className="hint">The port, address and key apply the next time Deckhand starts. The key is kept in the profile’s secrets file, not in its settings.</p>
        <div className="buttons">
          <button type="submit" className="primary" disabled={save.isPending}>
            Save
          </button>
        </div>
      </fieldset>
    </form>
  );
}

function SyncSettings({ settings }: { settings: Settings }) {
  const servesSync = useServes('sync.status');
  const status = useApiQuery('sync.status', {}, { enabled: !!servesSync });
  const toast = useToast();
  const save = useSave();
  const opts = { invalidates: ['sync.status' as const, 'settings.get' as const] };
  const login = useApiMutation('sync.login', opts);
  const logout = useApiMutation('sync.logout', opts);
  const [user, setUser] = useState(settings.sync.username ?? '');
  const [password, setPassword] = useState('');
  const [endpoint, setEndpoint] = useState(settings.sync.endpoint ?? '');
  const [interval, setIntervalMinutes] = useState(String(settings.sync.intervalMinutes));
  useEffect(() => setIntervalMinutes(String(settings.sync.intervalMinutes)), [settings.sync.intervalMinutes]);
  if (!servesSync) return null;
  const loggedIn = status.data && status.data.state !== 'logged-out';
  const minutes = Number(interval);
  return (
    <fieldset>
      <legend>Sync</legend>
      {loggedIn ? (
        <div className="row">
          <span className="grow">Logged in as {status.data?.username ?? settings.sync.username}.</span>
          <button type="button" onClick={() => logout.mutate({}, { onError: (e) => toast.error(e) })}>
            Log out
          </button>
        </div>
      ) : (
        <form
          className="grid-2"
          aria-label="Sync login"
          onSubmit={(e) => {
            e.preventDefault();
            login.mutate({ username: user, password, endpoint: endpoint.trim() || null }, { onSuccess: () => setPassword(''), onError: (err) => toast.error(err) });
          }}
        >
          <label>
            AnkiWeb email or user name
            <input autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
          </label>
          <label>
            Password
            <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          <label>
            Self-hosted server (empty for AnkiWeb)
            <input value={endpoint} onChange={(e) => setEndpoint(e.target.value)} placeholder="https://sync.example.com/" />
          </label>
          <div className="buttons">
            <button type="submit" className="primary" disabled={!user || !password || login.isPending}>
              Log in
            </button>
          </div>
        </form>
      )}
      <label className="inline">
        <input type="checkbox" checked={settings.sync.autoSync} onChange={(e) => save.mutate({ sync: { autoSync: e.target.checked } }, { onError: (err) => toast.error(err) })} /> Sync automatically (on
        open, on close, after changes and every few minutes)
      </label>
      <label className="inline">
        <input type="checkbox" checked={settings.sync.syncMedia} onChange={(e) => save.mutate({ sync: { syncMedia: e.target.checked } }, { onError: (err) => toast.error(err) })} /> Sync media
      </label>
      <form
        className="row"
        aria-label="Sync interval"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ sync: { intervalMinutes: minutes } }, { onError: (err) => toast.error(err) });
        }}
      >
        <label>
          Minutes between automatic syncs
          <input type="number" min={1} max={1440} value={interval} onChange={(e) => setIntervalMinutes(e.target.value)} />
        </label>
        <button type="submit" disabled={!(Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440) || minutes === settings.sync.intervalMinutes}>
          Set interval
        </button>
      </form>
    </fieldset>
  );
}
