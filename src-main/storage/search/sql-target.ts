// What the term writers append to: the SQL written so far with its bound parameters, and the
// search context and collection catalog the terms are resolved against.

import type { SearchContext } from '../../search/context';
import { compileRustRegex, type RustRegex, RustRegexError } from '../../search/rust-regex';
import { SearchError } from '../../search/search-error';
import type { SearchCatalog } from './catalog';

export type SqlParam = string | number | bigint;

export interface SqlTarget {
  sql: string;
  readonly ctx: SearchContext;
  readonly catalog: SearchCatalog;
  /** Bind a value; returns the placeholder. */
  bind(value: SqlParam): string;
  /** Validate a Rust-syntax regex (so errors are SearchErrors, not SQL errors), then bind it. */
  bindRegex(pattern: string): string;
}

export function checkRegex(pattern: string): void {
  compileChecked(pattern);
}

export function compileChecked(pattern: string): RustRegex {
  try {
    return compileRustRegex(pattern);
  } catch (e) {
    if (e instanceof RustRegexError) {
      throw new SearchError({ kind: 'InvalidRegex', provided: pattern, reason: e.message });
    }
    throw e;
  }
}
