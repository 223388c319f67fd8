import type { Collection } from '../collection/collection';
import type { ProfileInfo, ProfileManager } from '../profiles/profiles-service';
import type { ProfileSettings, ProfileSettingsPatch } from '../profiles/profile-settings';

/**
 * A profile whose collection this process holds open: what the AnkiConnect actions, IPC handlers,
 * the CLI and the sync loop work on. One per running Deckhand.
 */
export interface OpenProfile {
  readonly name: string;
  readonly info: ProfileInfo;
  readonly col: Collection;
  readonly manager: ProfileManager;
  settings(): ProfileSettings;
  updateSettings(patch: ProfileSettingsPatch): ProfileSettings;
  close(): void;
}

/** Opens (creating when new) a profile by name. */
export function openProfile(manager: ProfileManager, name: string): OpenProfile {
  let info: ProfileInfo;
  try {
    info = manager.get(name);
  } catch {
    info = manager.create(name);
  }
  const col = manager.open(info.name);
  return {
    name: info.name,
    info,
    col,
    manager,
    settings: () => manager.readSettings(info.name),
    updateSettings: (patch) => manager.updateSettings(info.name, patch),
    close: () => col.close(),
  };
}
