// A small table-driven protobuf (proto3) message codec on top of the wire layer of
// @bufbuild/protobuf (`BinaryReader` / `BinaryWriter`).
//
// Why not generated code / reflection: the blobs Anki stores are written by Rust `prost`, and we
// want decode → encode of every blob to give back the very same bytes, so that rows we merely
// read-modify-write stay bit-for-bit what Anki would have written. That needs exact control over
//   * presence: proto3 implicit fields are omitted when equal to their zero value, proto3
//     `optional` fields and singular sub-messages are written whenever set (even if 0 / empty);
//   * field order: prost's derive sorts a message's fields by tag number and writes them in that
//     order (not in .proto declaration order: e.g. DeckConfig.Config declares field 4
//     `easy_days_percentages` near the end, but Anki's blobs carry it right after field 2);
//   * packed encoding of repeated numerics (accepting unpacked on read);
//   * unknown fields: prost drops them, so Anki never writes a field unknown to the Anki version
//     that wrote the blob — but a *newer* Anki may write fields *we* do not know. We keep them
//     (raw) and re-emit them merged by tag number among the known fields, which is exactly where
//     prost (writing in tag order) put them.
// The tables (see codecs.ts) are written by hand from the field lists in
// shared/spec/anki-collection.md §1.3, checked against Anki's .proto files.

import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { UnknownField } from './messages';

export type ScalarKind = 'bool' | 'uint32' | 'int32' | 'enum' | 'int64' | 'float' | 'string' | 'bytes';

/**
 * implicit: proto3 singular scalar, omitted when zero. optional: proto3 `optional`, written when
 * not undefined. repeated: packed when numeric.
 */
export type ScalarLabel = 'implicit' | 'optional' | 'repeated';

interface FieldBase<K extends string> {
  no: number;
  key: K;
  /** members of the same oneof clear each other on decode */
  oneof?: string;
}

export interface ScalarFieldSpec<K extends string = string> extends FieldBase<K> {
  kind: ScalarKind;
  label: ScalarLabel;
}

export interface MessageFieldSpec<K extends string = string> extends FieldBase<K> {
  kind: 'message';
  label: 'singular' | 'repeated';
  message: MessageSpec<object>;
}

export type FieldSpec<K extends string = string> = ScalarFieldSpec<K> | MessageFieldSpec<K>;

export interface MessageSpec<T extends object> {
  readonly name: string;
  /** sorted by field number = prost's write order */
  readonly fields: readonly FieldSpec[];
  readonly byNo: ReadonlyMap<number, FieldSpec>;
  /** the proto3 zero value of the message (what decoding an empty buffer yields) */
  readonly zero: () => T;
}

type Keys<T> = Extract<Exclude<keyof T, 'unknown'>, string>;

export function defineMessage<T extends object>(
  name: string,
  zero: () => T,
  fields: FieldSpec<Keys<T>>[],
): MessageSpec<T> {
  const sorted = [...fields].sort((a, b) => a.no - b.no);
  const byNo = new Map<number, FieldSpec>();
  for (const f of sorted) {
    if (byNo.has(f.no)) throw new Error(`${name}: duplicate field number ${f.no}`);
    byNo.set(f.no, f);
  }
  return { name, fields: sorted, byNo, zero };
}

// ---------------------------------------------------------------------------------------------
// encoding

type Rec = Record<string, unknown>;

function scalarWireType(kind: ScalarKind): WireType {
  switch (kind) {
    case 'float':
      return WireType.Bit32;
    case 'string':
    case 'bytes':
      return WireType.LengthDelimited;
    default:
      return WireType.Varint;
  }
}

function isPackable(kind: ScalarKind): boolean {
  return kind !== 'string' && kind !== 'bytes';
}

function isZero(kind: ScalarKind, v: unknown): boolean {
  switch (kind) {
    case 'bool':
      return v === false;
    case 'int64':
      return v === 0n || v === 0;
    case 'string':
      return v === '';
    case 'bytes':
      return (v as Uint8Array).length === 0;
    default:
      // -0 === 0, as prost's `!= 0.0` test; NaN is not zero and is written
      return v === 0;
  }
}

function writeScalarValue(w: BinaryWriter, kind: ScalarKind, v: unknown): void {
  switch (kind) {
    case 'bool':
      w.bool(v as boolean);
      break;
    case 'uint32':
      w.uint32(v as number);
      break;
    case 'int32':
    case 'enum':
      w.int32(v as number);
      break;
    case 'int64':
      w.int64(v as bigint);
      break;
    case 'float':
      w.float(v as number);
      break;
    case 'string':
      w.string(v as string);
      break;
    case 'bytes':
      w.bytes(v as Uint8Array);
      break;
  }
}

function writeUnknown(w: BinaryWriter, u: UnknownField): void {
  w.tag(u.no, u.wireType as WireType).raw(u.data);
}

function writeField(w: BinaryWriter, f: FieldSpec, v: unknown): void {
  if (v === undefined || v === null) return;
  if (f.kind === 'message') {
    const list = f.label === 'repeated' ? (v as object[]) : [v as object];
    for (const m of list) {
      w.tag(f.no, WireType.LengthDelimited).fork();
      writeMessageBody(w, f.message, m);
      w.join();
    }
    return;
  }
  if (f.label === 'repeated') {
    const list = v as unknown[];
    if (list.length === 0) return;
    if (isPackable(f.kind)) {
      w.tag(f.no, WireType.LengthDelimited).fork();
      for (const item of list) writeScalarValue(w, f.kind, item);
      w.join();
    } else {
      for (const item of list) {
        w.tag(f.no, scalarWireType(f.kind));
        writeScalarValue(w, f.kind, item);
      }
    }
    return;
  }
  if (f.label === 'implicit' && isZero(f.kind, v)) return;
  w.tag(f.no, scalarWireType(f.kind));
  writeScalarValue(w, f.kind, v);
}

function writeMessageBody(w: BinaryWriter, spec: MessageSpec<object>, msg: object): void {
  const rec = msg as Rec;
  const unknown = (rec.unknown as UnknownField[] | undefined) ?? [];
  let u = 0;
  for (const f of spec.fields) {
    while (u < unknown.length && unknown[u].no < f.no) writeUnknown(w, unknown[u++]);
    writeField(w, f, rec[f.key]);
  }
  while (u < unknown.length) writeUnknown(w, unknown[u++]);
}

export function encodeMessage<T extends object>(spec: MessageSpec<T>, msg: T): Uint8Array {
  const w = new BinaryWriter();
  writeMessageBody(w, spec as MessageSpec<object>, msg);
  return w.finish();
}

// ---------------------------------------------------------------------------------------------
// decoding

function readScalarValue(r: BinaryReader, kind: ScalarKind): unknown {
  switch (kind) {
    case 'bool':
      return r.bool();
    case 'uint32':
      return r.uint32();
    case 'int32':
    case 'enum':
      return r.int32();
    case 'int64':
      return BigInt(r.int64());
    case 'float':
      return r.float();
    case 'string':
      return r.string();
    case 'bytes':
      return r.bytes().slice();
  }
}

function clearOneofSiblings(spec: MessageSpec<object>, f: FieldSpec, rec: Rec): void {
  if (f.oneof === undefined) return;
  for (const other of spec.fields) {
    if (other !== f && other.oneof === f.oneof) delete rec[other.key];
  }
}

/** Reads one occurrence of a known field; false if its wire type does not fit (kept as unknown). */
function readField(r: BinaryReader, spec: MessageSpec<object>, f: FieldSpec, wt: WireType, rec: Rec): boolean {
  if (f.kind === 'message') {
    if (wt !== WireType.LengthDelimited) return false;
    const payload = r.bytes();
    if (f.label === 'repeated') {
      (rec[f.key] as object[]).push(decodeInto(f.message, payload));
    } else {
      // a repeated occurrence of a singular message field merges into the earlier one
      clearOneofSiblings(spec, f, rec);
      const existing = rec[f.key] as object | undefined;
      rec[f.key] = decodeInto(f.message, payload, existing);
    }
    return true;
  }
  const expected = scalarWireType(f.kind);
  if (f.label === 'repeated') {
    const list = rec[f.key] as unknown[];
    if (wt === WireType.LengthDelimited && isPackable(f.kind)) {
      const sub = new BinaryReader(r.bytes());
      while (sub.pos < sub.len) list.push(readScalarValue(sub, f.kind));
      return true;
    }
    if (wt !== expected) return false;
    list.push(readScalarValue(r, f.kind));
    return true;
  }
  if (wt !== expected) return false;
  clearOneofSiblings(spec, f, rec);
  rec[f.key] = readScalarValue(r, f.kind);
  return true;
}

function decodeInto<T extends object>(spec: MessageSpec<T>, bytes: Uint8Array, target?: T): T {
  const s = spec as unknown as MessageSpec<object>;
  const rec = (target ?? spec.zero()) as Rec;
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    const f = s.byNo.get(no);
    if (f !== undefined && readField(r, s, f, wt, rec)) continue;
    const data = r.skip(wt, no).slice();
    const unknown = (rec.unknown as UnknownField[] | undefined) ?? (rec.unknown = []);
    unknown.push({ no, wireType: wt, data });
  }
  return rec as T;
}

export function decodeMessage<T extends object>(spec: MessageSpec<T>, bytes: Uint8Array): T {
  return decodeInto(spec, bytes);
}
