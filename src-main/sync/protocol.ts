// The JSON messages of sync protocol v11 (spec §2–3): their types, their exact wire shapes
// (positional arrays, camelCase vs snake_case keys, key order as Anki's serde structs write them)
// and validating readers that accept what Anki's serde accepts. Shared by client and server.
//
// One module per group of messages: protocol-meta (login, meta), protocol-changes (start, graves,
// unchunked changes), protocol-chunks, protocol-sanity (sanity check, empty requests),
// protocol-media; the primitive readers are in protocol-primitives.

export { isObject, ProtocolError } from './protocol-primitives';
export * from './protocol-meta';
export * from './protocol-changes';
export * from './protocol-chunks';
export * from './protocol-sanity';
export * from './protocol-media';
