// Light/dark themes: the profile's setting (system / light / dark), applied as data-theme on <html>.
import { useEffect, useSyncExternalStore } from 'react';
import type { Settings } from '../../../src-main/ipc/contract';

export type ThemeSetting = Settings['ui']['theme'];
const media = () => window.matchMedia('(prefers-color-scheme: dark)');

function useSystemDark(): boolean {
  return useSyncExternalStore(
    (cb) => {
      const m = media();
      m.addEventListener('change', cb);
      return () => m.removeEventListener('change', cb);
    },
    () => media().matches,
  );
}

/** The theme in effect; also sets it on the document. */
export function useAppliedTheme(setting: ThemeSetting): 'light' | 'dark' {
  const systemDark = useSystemDark();
  const theme = setting === 'system' ? (systemDark ? 'dark' : 'light') : setting;
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
  return theme;
}
