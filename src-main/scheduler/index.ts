// Public API of the pure scheduling layer (no database access).

export * from './timing';
export * from './timespan';
export * from './card-data';
export * from './fuzz';
export { ChaCha12Rng, seedBytesFromU64 } from './rng';
export * from './fsrs/model';
export * from './fsrs/revlog';
export { LearningSteps } from './states/steps';
export type * from './states/types';
export * from './states/next-states';
export * from './prepare';
export * from './answer';
export * from './load-balancer';
