// Profile settings: theme, AnkiConnect (port, bind address, trusted origins), review keys.
import { type FormEvent, useEffect, useState } from 'react';
import { THEMES, type Settings } from '../../../src-main/ipc/contract';
import { useApiMutation, useApiQuery, useServes } from '../api/hooks';
import { DEFAULT_REVIEW_KEYS } from '../app/keys';
import { useToast } from '../components/toast';

const showKey = (k: string) => (k === ' ' ? 'Space' : k);
const parseKeys = (s: string) =>
  s
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => (k.toLowerCase() === 'space' ? ' ' : k));

export function SettingsScreen() {
  const serves = useServes('settings.get');
  const settings = useApiQuery('settings.get', {}, { enabled: !!serves });
  const info = useApiQuery('app.info', {});
  const toast = useToast();
  const save = useApiMutation('settings.update', { invalidates: ['settings.get'], onSuccess: () => toast.info('Settings saved') });
  const [draft, setDraft] = useState<Settings | null>(null);
  const [origins, setOrigins] = useState('');
  const [keys, setKeys] = useState<Record<string, string>>({});

  useEffect(() => {
    if (!settings.data) return;
    setDraft(settings.data);
    setOrigins(settings.data.ankiConnect.corsOrigins.join('\n'));
    const merged = { ...DEFAULT_REVIEW_KEYS, ...settings.data.ui.keymap };
    setKeys(Object.fromEntries(Object.entries(merged).map(([a, ks]) => [a, ks.map(showKey).join(', ')])));
  }, [settings.data]);

  if (serves === false) return <p className="muted">Settings are not available in this version.</p>;
  if (settings.isError) return <p role="alert" className="error">{settings.error.message}</p>;
  if (!draft) return <p className="muted">Loading…</p>;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const keymap: Record<string, string[]> = {};
    for (const [action, text] of Object.entries(keys)) {
      const list = parseKeys(text);
      if (list.join('\u0000') !== (DEFAULT_REVIEW_KEYS[action] ?? []).join('\u0000')) keymap[action] = list;
    }
    save.mutate(
      {
        ui: { theme: draft.ui.theme, keymap },
        ankiConnect: { ...draft.ankiConnect, corsOrigins: origins.split('\n').map((o) => o.trim()).filter(Boolean) },
      },
      { onError: (err) => toast.error(err) },
    );
  };

  return (
    <form className="settings stack" onSubmit={submit} aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <p className="muted">
        Profile “{info.data?.profile}” · {info.data?.collectionPath}
      </p>
      <fieldset>
        <legend>Appearance</legend>
        <label>
          Theme
          <select value={draft.ui.theme} onChange={(e) => setDraft({ ...draft, ui: { ...draft.ui, theme: e.target.value as Settings['ui']['theme'] } })}>
            {THEMES.map((t) => (
              <option key={t} value={t}>
                {t === 'system' ? 'Follow the system' : t === 'light' ? 'Light' : 'Dark'}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <fieldset>
        <legend>AnkiConnect</legend>
        <label>
          <input type="checkbox" checked={draft.ankiConnect.enabled} onChange={(e) => setDraft({ ...draft, ankiConnect: { ...draft.ankiConnect, enabled: e.target.checked } })} /> Serve the
          AnkiConnect API
        </label>
        <div className="grid-2">
          <label>
            Port
            <input type="number" min={1} max={65535} value={draft.ankiConnect.port} onChange={(e) => setDraft({ ...draft, ankiConnect: { ...draft.ankiConnect, port: Number(e.target.value) } })} />
          </label>
          <label>
            Bind address
            <input value={draft.ankiConnect.bindAddress} onChange={(e) => setDraft({ ...draft, ankiConnect: { ...draft.ankiConnect, bindAddress: e.target.value } })} />
          </label>
        </div>
        <label>
          Trusted origins (one per line)
          <textarea rows={3} value={origins} onChange={(e) => setOrigins(e.target.value)} />
        </label>
        <p className="hint">Changes to the port and address apply the next time Deckhand starts. The API key is kept in the profile’s secrets file, not here.</p>
      </fieldset>
      <fieldset>
        <legend>Review keys</legend>
        <div className="grid-2">
          {Object.entries(keys).map(([action, text]) => (
            <label key={action}>
              {action}
              <input value={text} onChange={(e) => setKeys({ ...keys, [action]: e.target.value })} />
            </label>
          ))}
        </div>
        <p className="hint">Comma separated, e.g. “3, Space, Enter” or “ctrl+z”.</p>
      </fieldset>
      <div className="buttons">
        <button type="submit" className="primary" disabled={save.isPending}>
          Save
        </button>
      </div>
    </form>
  );
}
