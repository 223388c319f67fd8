/** Deckhand's AnkiConnect (API v6) server: protocol layer and action registry. */
export { startAnkiConnectServer, DEFAULT_HOSTS, DEFAULT_PORT, type AnkiConnectServer, type AnkiConnectServerOptions } from './server';
export {
  createDispatcher,
  apiKeyMatches,
  API_VERSION,
  type Dispatcher,
  type DispatcherOptions,
  type AnkiConnectLogger,
} from './dispatcher';
export { OriginPolicy, decideOrigin, DEFAULT_TRUSTED_ORIGINS, type OriginDecision, type OriginLists } from './cors';
export { createHostCheck, isLoopbackHost } from './host-check';
export { DEFAULT_BODY_LIMIT } from './body';
export * from './actions';
