/**
 * Errors a user or client can cause. Each carries a stable `code` so adapters (AnkiConnect, IPC,
 * CLI) can shape them, and a message written for a person.
 */
export type DeckhandErrorCode =
  | 'not-a-collection'
  | 'collection-locked'
  | 'schema-too-new'
  | 'schema-too-old'
  | 'corrupt'
  | 'not-found'
  | 'duplicate-name'
  | 'invalid-input'
  | 'field-count'
  | 'empty-note'
  | 'duplicate-note'
  | 'nothing-to-undo'
  | 'search'
  | 'busy'
  | 'sync'
  | 'io';

export class DeckhandError extends Error {
  constructor(
    readonly code: DeckhandErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeckhandError';
  }
}

export const notFound = (what: string) => new DeckhandError('not-found', `${what} not found`);
export const invalid = (message: string) => new DeckhandError('invalid-input', message);
