/**
 * Which web origins may use the API — AnkiConnect's `webCorsOriginList` rules — and the
 * user-editable lists behind them (trusted origins, ignored origins).
 */

/** AnkiConnect's default `webCorsOriginList`. Covers browser extensions (Yomitan) and local pages. */
export const DEFAULT_TRUSTED_ORIGINS: readonly string[] = Object.freeze(['http://localhost']);

/** The value AnkiConnect puts in `Access-Control-Allow-Origin` when it has nothing better. */
export const FALLBACK_CORS_ORIGIN = 'http://localhost';

export interface OriginDecision {
  /** Whether requests from this origin may run actions (other than `requestPermission`). */
  allowed: boolean;
  /** The `Access-Control-Allow-Origin` value for the reply. */
  corsOrigin: string;
}

/**
 * AnkiConnect's origin check, rule for rule:
 * - `"*"` in the list → everything allowed, `Access-Control-Allow-Origin: *`;
 * - no `Origin` header (curl, Node, Python, native apps) → allowed, `http://localhost`;
 * - exact match with a list entry → allowed, origin echoed;
 * - with `http://localhost` in the list, also `http://127.0.0.1`, `https://127.0.0.1`,
 *   `http://127.0.0.1:<port>` and `chrome-extension://`, `moz-extension://`,
 *   `safari-web-extension://` origins → allowed, origin echoed;
 * - anything else (including `null`, `app://obsidian.md`, `http://localhost:3000`) → refused.
 */
export function decideOrigin(origin: string | undefined, trusted: readonly string[]): OriginDecision {
  if (trusted.includes('*')) return { allowed: true, corsOrigin: '*' };
  if (origin === undefined) return { allowed: true, corsOrigin: FALLBACK_CORS_ORIGIN };
  if (trusted.includes(origin)) return { allowed: true, corsOrigin: origin };
  if (
    trusted.includes('http://localhost') &&
    (origin === 'http://127.0.0.1' ||
      origin === 'https://127.0.0.1' ||
      origin.startsWith('http://127.0.0.1:') ||
      origin.startsWith('chrome-extension://') ||
      origin.startsWith('moz-extension://') ||
      origin.startsWith('safari-web-extension://'))
  ) {
    return { allowed: true, corsOrigin: origin };
  }
  return { allowed: false, corsOrigin: FALLBACK_CORS_ORIGIN };
}

export interface OriginLists {
  /** AnkiConnect's `webCorsOriginList`: origins allowed to use the API (`"*"` = all). */
  trusted: readonly string[];
  /** AnkiConnect's `ignoreOriginList`: origins whose permission requests are denied silently. */
  ignored: readonly string[];
}

export interface OriginPolicyOptions {
  trusted?: readonly string[];
  ignored?: readonly string[];
  /** Called after every change (permission granted, "ignore further requests", user edit), to persist. */
  onChange?: (lists: OriginLists) => void;
}

/** The live, editable origin lists the server consults on every request. */
export class OriginPolicy {
  private trustedList: string[];
  private ignoredList: string[];
  private readonly onChange?: (lists: OriginLists) => void;

  constructor(options: OriginPolicyOptions = {}) {
    this.trustedList = [...(options.trusted ?? DEFAULT_TRUSTED_ORIGINS)];
    this.ignoredList = [...(options.ignored ?? [])];
    this.onChange = options.onChange;
  }

  get trusted(): readonly string[] {
    return this.trustedList;
  }

  get ignored(): readonly string[] {
    return this.ignoredList;
  }

  decide(origin: string | undefined): OriginDecision {
    return decideOrigin(origin, this.trustedList);
  }

  isIgnored(origin: string): boolean {
    return this.ignoredList.includes(origin);
  }

  /** Adds an origin to the trusted list (what "Yes" in AnkiConnect's permission dialog does). */
  trust(origin: string): void {
    if (this.trustedList.includes(origin)) return;
    this.trustedList.push(origin);
    this.changed();
  }

  /** Adds an origin to the ignored list ("No" + "Ignore further requests"). */
  ignore(origin: string): void {
    if (this.ignoredList.includes(origin)) return;
    this.ignoredList.push(origin);
    this.changed();
  }

  /** Replaces the lists (settings UI). */
  set(lists: Partial<OriginLists>): void {
    if (lists.trusted) this.trustedList = [...lists.trusted];
    if (lists.ignored) this.ignoredList = [...lists.ignored];
    this.changed();
  }

  private changed(): void {
    this.onChange?.({ trusted: [...this.trustedList], ignored: [...this.ignoredList] });
  }
}
