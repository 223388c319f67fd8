export * from './html';
export * from './checksum';
export * from './normalize';
export * from './guid';
export * from './media-refs';
