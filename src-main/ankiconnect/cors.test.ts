import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_TRUSTED_ORIGINS, OriginPolicy, decideOrigin } from './cors';

describe("decideOrigin (AnkiConnect's rules)", () => {
  const d = (origin: string | undefined, list: readonly string[] = DEFAULT_TRUSTED_ORIGINS) => decideOrigin(origin, list);

  it('allows requests without an Origin header', () => {
    expect(d(undefined)).toEqual({ allowed: true, corsOrigin: 'http://localhost' });
  });

  it('allows the implied origins when http://localhost is trusted', () => {
    for (const o of ['http://localhost', 'http://127.0.0.1', 'https://127.0.0.1', 'http://127.0.0.1:8080', 'chrome-extension://id', 'moz-extension://id', 'safari-web-extension://id']) {
      expect(d(o), o).toEqual({ allowed: true, corsOrigin: o });
    }
  });

  it('refuses everything else', () => {
    for (const o of ['http://localhost:3000', 'https://127.0.0.1:8443', 'app://obsidian.md', 'null', '', 'https://ankiweb.net']) {
      expect(d(o), o).toEqual({ allowed: false, corsOrigin: 'http://localhost' });
    }
    expect(d('chrome-extension://id', ['app://obsidian.md'])).toEqual({ allowed: false, corsOrigin: 'http://localhost' });
  });

  it('trusts everyone with "*"', () => {
    expect(d('https://x.example', ['*'])).toEqual({ allowed: true, corsOrigin: '*' });
    expect(d(undefined, ['*'])).toEqual({ allowed: true, corsOrigin: '*' });
  });
});

describe('OriginPolicy', () => {
  it('edits the lists and reports every change', () => {
    const onChange = vi.fn();
    const p = new OriginPolicy({ onChange });
    expect(p.trusted).toEqual(['http://localhost']);
    p.trust('app://obsidian.md');
    p.trust('app://obsidian.md');
    p.ignore('https://spam.example');
    expect(p.decide('app://obsidian.md').allowed).toBe(true);
    expect(p.isIgnored('https://spam.example')).toBe(true);
    expect(onChange).toHaveBeenCalledTimes(2);
    p.set({ trusted: [] });
    expect(p.decide('chrome-extension://x').allowed).toBe(false);
    expect(onChange).toHaveBeenLastCalledWith({ trusted: [], ignored: ['https://spam.example'] });
  });
});
