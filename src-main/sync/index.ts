// Sync with AnkiWeb or a self-hosted server (Anki's protocol v11), and the self-hosted server.
// See README.md in this folder.

export { syncCollection, isSyncing, type SyncCollectionOptions, type SyncResult, type SyncProgress, type FullSyncRequired, type CollectionCounts } from './sync-service';
export { login, offlineSyncStatus, onlineSyncStatus, SyncClient, type ClientSyncState, type SyncRequired } from './sync-client';
export { startSyncServer, startSyncServerFromEnv, usersFromEnv, deriveHostKey, type SyncServer, type SyncServerOptions, type SyncServerUser } from './sync-server';
export { syncMedia, type MediaSyncResult, type MediaSyncProgress } from './media-sync';
export { SyncError, type SyncErrorKind, DEFAULT_ENDPOINT, deckhandClientVersion, normalizeEndpoint, type ClientVersion } from './wire';
