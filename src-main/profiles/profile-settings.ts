// `profile.json`: Deckhand's own per-profile settings (never passwords or keys — those belong in
// the OS keychain). Unknown keys are kept, so a newer Deckhand's settings survive an older one.

import { z } from 'zod';
import { DeckhandError } from '../collection/errors';

export const PROFILE_SETTINGS_VERSION = 1;
/** AnkiConnect's standard port. */
export const DEFAULT_ANKICONNECT_PORT = 8765;

const SyncSettings = z
  .looseObject({
    /** Sync server URL; null = AnkiWeb. */
    endpoint: z.url({ protocol: /^https?$/ }).nullable().default(null),
    /** The account name shown in the UI (the session key lives in the keychain). */
    username: z.string().nullable().default(null),
    autoSync: z.boolean().default(true),
    syncMedia: z.boolean().default(true),
  })
  .prefault({});

const AnkiConnectSettings = z
  .looseObject({
    enabled: z.boolean().default(true),
    port: z.number().int().min(1).max(65_535).default(DEFAULT_ANKICONNECT_PORT),
    bindAddress: z.string().min(1).default('127.0.0.1'),
    corsOrigins: z.array(z.string()).default(['http://localhost']),
  })
  .prefault({});

export const ProfileSettingsSchema = z.looseObject({
  version: z.number().int().default(PROFILE_SETTINGS_VERSION),
  /** Epoch ms. */
  createdAt: z.number().int().nonnegative().default(0),
  sync: SyncSettings,
  ankiConnect: AnkiConnectSettings,
  /** Set when the profile was copied from an Anki profile. */
  importedFrom: z
    .looseObject({
      ankiBase: z.string(),
      profile: z.string(),
      /** Epoch ms. */
      at: z.number(),
    })
    .optional(),
});

export type ProfileSettings = z.output<typeof ProfileSettingsSchema>;

/** What callers may pass when creating a profile or changing its settings. */
export interface ProfileSettingsPatch {
  sync?: Partial<ProfileSettings['sync']>;
  ankiConnect?: Partial<ProfileSettings['ankiConnect']>;
  [key: string]: unknown;
}

const SECRET_KEY = /pass(word|phrase)?$|^pw$|secret|token|hkey|host_?key|api_?key|credential|session_?key/i;

/** Refuses settings that look like they carry a password or key. */
export function assertNoSecrets(value: unknown, at = ''): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [k, v] of Object.entries(value)) {
    const where = at ? `${at}.${k}` : k;
    if (SECRET_KEY.test(k))
      throw new DeckhandError('invalid-input', `profile settings never store passwords or keys (found “${where}”); they are kept in the system keychain`);
    assertNoSecrets(v, where);
  }
}

/** Parses stored or patched settings, filling defaults; throws a readable `invalid-input` error. */
export function parseProfileSettings(raw: unknown): ProfileSettings {
  const r = ProfileSettingsSchema.safeParse(raw ?? {});
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new DeckhandError('invalid-input', `invalid profile settings: ${issues}`);
  }
  return r.data;
}

/** Settings with a patch applied (one level deep for `sync` and `ankiConnect`). */
export function mergeProfileSettings(current: ProfileSettings, patch: ProfileSettingsPatch): ProfileSettings {
  assertNoSecrets(patch);
  const { sync, ankiConnect, ...rest } = patch;
  return parseProfileSettings({
    ...current,
    ...rest,
    sync: { ...current.sync, ...(sync ?? {}) },
    ankiConnect: { ...current.ankiConnect, ...(ankiConnect ?? {}) },
  });
}
