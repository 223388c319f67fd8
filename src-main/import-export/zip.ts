// The ZIP container of .apkg/.colpkg files.
//
// Reading goes through the central directory with positioned reads, so one entry (a media file,
// the collection) can be taken out of a multi-gigabyte package without loading the rest, and
// ZIP64 archives (Anki's zip crate writes them past 4 GiB) are understood. Writing streams
// entries into the output file; sizes over 4 GiB and archives with more than 65 535 entries get
// ZIP64 records. Compression is fflate's raw DEFLATE (streaming `Deflate`/`Inflate`); Anki stores
// every entry except the legacy `collection.anki21`, which it deflates.

import { closeSync, createReadStream, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Deflate, Inflate, inflateSync } from 'fflate';
import { DeckhandError } from '../collection/errors';

export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_DATA_DESCRIPTOR = 0x08074b50;
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  /** Offset of the local header. */
  offset: number;
}

const corrupt = (path: string, why: string) =>
  new DeckhandError('corrupt', `${path} is not a valid package (${why}). The file may be damaged or only partly downloaded.`);

/** Random-access reader over a ZIP file on disk. */
export class ZipReader {
  private readonly byName = new Map<string, ZipEntry>();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    readonly fileSize: number,
  ) {}

  /** Opens a ZIP file and reads its central directory. Throws `corrupt` for anything else. */
  static open(path: string): ZipReader {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new DeckhandError('not-found', `no file at ${path}`);
      throw new DeckhandError('io', `cannot read ${path}: ${(e as Error).message}`);
    }
    const reader = new ZipReader(path, fd, fstatSync(fd).size);
    try {
      reader.readDirectory();
    } catch (e) {
      reader.close();
      throw e;
    }
    return reader;
  }

  private readAt(pos: number, len: number): Buffer {
    const buf = Buffer.alloc(len);
    let done = 0;
    while (done < len) {
      const n = readSync(this.fd, buf, done, len - done, pos + done);
      if (n === 0) throw corrupt(this.path, 'unexpected end of file');
      done += n;
    }
    return buf;
  }

  private readDirectory(): void {
    if (this.fileSize < 22) throw corrupt(this.path, 'not a zip file');
    const tailLen = Math.min(this.fileSize, 22 + U16_MAX + 20);
    const tailStart = this.fileSize - tailLen;
    const tail = this.readAt(tailStart, tailLen);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === SIG_EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw corrupt(this.path, 'not a zip file');
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    // ZIP64 end of central directory
    if ((count === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX) && eocd >= 20 && tail.readUInt32LE(eocd - 20) === SIG_EOCD64_LOCATOR) {
      const eocd64Offset = Number(tail.readBigUInt64LE(eocd - 20 + 8));
      const rec = this.readAt(eocd64Offset, 56);
      if (rec.readUInt32LE(0) !== SIG_EOCD64) throw corrupt(this.path, 'bad ZIP64 directory');
      count = Number(rec.readBigUInt64LE(32));
      cdSize = Number(rec.readBigUInt64LE(40));
      cdOffset = Number(rec.readBigUInt64LE(48));
    }
    if (cdOffset + cdSize > this.fileSize) throw corrupt(this.path, 'truncated central directory');
    const cd = this.readAt(cdOffset, cdSize);
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) throw corrupt(this.path, 'bad central directory');
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const crc = cd.readUInt32LE(p + 16);
      let compressedSize = cd.readUInt32LE(p + 20);
      let size = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      let offset = cd.readUInt32LE(p + 42);
      const nameBytes = cd.subarray(p + 46, p + 46 + nameLen);
      const name = flags & FLAG_UTF8 ? nameBytes.toString('utf8') : decodeCp437OrUtf8(nameBytes);
      const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
      // ZIP64 extended information: present values replace the 0xFFFFFFFF placeholders, in order
      for (let e = 0; e + 4 <= extra.length; ) {
        const id = extra.readUInt16LE(e);
        const len = extra.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (size === U32_MAX && q + 8 <= e + 4 + len) {
            size = Number(extra.readBigUInt64LE(q));
            q += 8;
          }
          if (compressedSize === U32_MAX && q + 8 <= e + 4 + len) {
            compressedSize = Number(extra.readBigUInt64LE(q));
            q += 8;
          }
          if (offset === U32_MAX && q + 8 <= e + 4 + len) offset = Number(extra.readBigUInt64LE(q));
        }
        e += 4 + len;
      }
      if (!this.byName.has(name)) this.byName.set(name, { name, method, compressedSize, size, crc, offset });
      p += 46 + nameLen + extraLen + commentLen;
    }
  }

  entries(): ZipEntry[] {
    return [...this.byName.values()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  entry(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  /** Offset of an entry's data (after its local header). */
  private dataStart(e: ZipEntry): number {
    const h = this.readAt(e.offset, 30);
    if (h.readUInt32LE(0) !== SIG_LOCAL) throw corrupt(this.path, `bad local header for ${e.name}`);
    return e.offset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
  }

  private getEntry(name: string): ZipEntry {
    const e = this.byName.get(name);
    if (!e) throw new DeckhandError('corrupt', `${this.path} has no "${name}" entry`);
    if (e.method !== METHOD_STORED && e.method !== METHOD_DEFLATE) throw corrupt(this.path, `${name} uses unsupported compression method ${e.method}`);
    return e;
  }

  /** The entry's uncompressed bytes, CRC-checked. */
  read(name: string): Buffer {
    const e = this.getEntry(name);
    const raw = this.readAt(this.dataStart(e), e.compressedSize);
    let data: Buffer;
    if (e.method === METHOD_STORED) data = raw;
    else {
      try {
        data = Buffer.from(inflateSync(raw, { out: new Uint8Array(e.size) }));
      } catch (err) {
        throw corrupt(this.path, `${name} cannot be decompressed: ${(err as Error).message}`);
      }
    }
    if (data.length !== e.size || crc32(data) >>> 0 !== e.crc >>> 0) throw corrupt(this.path, `${name} fails its checksum`);
    return data;
  }

  /**
   * The entry's uncompressed bytes as a stream of chunks (CRC-checked at the end), for entries too
   * large to hold in memory at once.
   */
  async *stream(name: string, chunkSize = 1 << 20): AsyncGenerator<Uint8Array> {
    const e = this.getEntry(name);
    const start = this.dataStart(e);
    let crc = 0;
    let size = 0;
    const out: Uint8Array[] = [];
    const inflater = e.method === METHOD_DEFLATE ? new Inflate((chunk) => out.push(chunk)) : null;
    if (e.compressedSize > 0) {
      const rs = createReadStream(this.path, { start, end: start + e.compressedSize - 1, highWaterMark: chunkSize });
      for await (const buf of rs as AsyncIterable<Buffer>) {
        if (inflater) {
          try {
            inflater.push(buf, false);
          } catch (err) {
            throw corrupt(this.path, `${name} cannot be decompressed: ${(err as Error).message}`);
          }
        } else out.push(buf);
        while (out.length) {
          const c = out.shift()!;
          crc = crc32(c, crc);
          size += c.length;
          yield c;
        }
      }
    }
    if (inflater) {
      try {
        inflater.push(new Uint8Array(0), true);
      } catch (err) {
        throw corrupt(this.path, `${name} cannot be decompressed: ${(err as Error).message}`);
      }
      for (const c of out.splice(0)) {
        crc = crc32(c, crc);
        size += c.length;
        yield c;
      }
    }
    if (size !== e.size || crc >>> 0 !== e.crc >>> 0) throw corrupt(this.path, `${name} fails its checksum`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** Names without the UTF-8 flag: UTF-8 if valid (what Anki's writers produce), else CP437 → latin1 approximation. */
function decodeCp437OrUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

interface CentralRecord {
  name: Buffer;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  flags: number;
  dosTime: number;
  dosDate: number;
}

function dosDateTime(d: Date): { dosTime: number; dosDate: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    dosTime: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    dosDate: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

function zip64Extra(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(0x0001, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return b;
}

/** Writes a ZIP file entry by entry, straight to disk. */
export class ZipWriter {
  private readonly fd: number;
  private pos = 0;
  private readonly central: CentralRecord[] = [];
  private readonly time = dosDateTime(new Date());
  private finished = false;

  /** `forceZip64` writes ZIP64 records even for small archives (tests of the reader). */
  constructor(
    readonly path: string,
    private readonly opts: { forceZip64?: boolean } = {},
  ) {
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new DeckhandError('io', `cannot write ${path}: ${(e as Error).message}`);
    }
  }

  get bytesWritten(): number {
    return this.pos;
  }

  private write(buf: Uint8Array): void {
    let done = 0;
    while (done < buf.length) done += writeSync(this.fd, buf, done, buf.length - done, this.pos + done);
    this.pos += buf.length;
  }

  /** Adds an entry whose bytes are in memory. */
  add(name: string, data: Uint8Array, method: number = METHOD_STORED): void {
    const crc = crc32(data) >>> 0;
    let payload: Uint8Array = data;
    if (method === METHOD_DEFLATE) {
      const parts: Uint8Array[] = [];
      const d = new Deflate({ level: 6 }, (chunk) => parts.push(chunk));
      d.push(data, true);
      payload = Buffer.concat(parts);
    }
    const nameBuf = Buffer.from(name, 'utf8');
    const offset = this.pos;
    const needs64 = !!this.opts.forceZip64 || data.length >= U32_MAX || payload.length >= U32_MAX;
    const extra = needs64 ? zip64Extra([data.length, payload.length]) : Buffer.alloc(0);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(SIG_LOCAL, 0);
    h.writeUInt16LE(needs64 ? 45 : 20, 4);
    h.writeUInt16LE(FLAG_UTF8, 6);
    h.writeUInt16LE(method, 8);
    h.writeUInt16LE(this.time.dosTime, 10);
    h.writeUInt16LE(this.time.dosDate, 12);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(needs64 ? U32_MAX : payload.length, 18);
    h.writeUInt32LE(needs64 ? U32_MAX : data.length, 22);
    h.writeUInt16LE(nameBuf.length, 26);
    h.writeUInt16LE(extra.length, 28);
    this.write(h);
    this.write(nameBuf);
    this.write(extra);
    this.write(payload);
    this.central.push({ name: nameBuf, method, crc, compressedSize: payload.length, size: data.length, offset, flags: FLAG_UTF8, ...this.time });
  }

  /**
   * Adds an entry from a stream of chunks (stored or deflated on the fly). Sizes and CRC follow
   * the data in a data descriptor; such an entry must stay below 4 GiB.
   */
  async addStream(name: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, method: number = METHOD_STORED, onBytes?: (n: number) => void): Promise<void> {
    const nameBuf = Buffer.from(name, 'utf8');
    const offset = this.pos;
    const flags = FLAG_UTF8 | FLAG_DATA_DESCRIPTOR;
    const h = Buffer.alloc(30);
    h.writeUInt32LE(SIG_LOCAL, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(flags, 6);
    h.writeUInt16LE(method, 8);
    h.writeUInt16LE(this.time.dosTime, 10);
    h.writeUInt16LE(this.time.dosDate, 12);
    h.writeUInt16LE(nameBuf.length, 26);
    this.write(h);
    this.write(nameBuf);
    let crc = 0;
    let size = 0;
    let compressed = 0;
    const emit = (c: Uint8Array) => {
      this.write(c);
      compressed += c.length;
    };
    const deflater = method === METHOD_DEFLATE ? new Deflate({ level: 6 }, (c) => emit(c)) : null;
    for await (const chunk of chunks) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      if (deflater) deflater.push(chunk, false);
      else emit(chunk);
      onBytes?.(size);
    }
    deflater?.push(new Uint8Array(0), true);
    if (size >= U32_MAX || compressed >= U32_MAX) throw new DeckhandError('invalid-input', `${name} is too large for a package entry (4 GiB or more)`);
    const dd = Buffer.alloc(16);
    dd.writeUInt32LE(SIG_DATA_DESCRIPTOR, 0);
    dd.writeUInt32LE(crc >>> 0, 4);
    dd.writeUInt32LE(compressed, 8);
    dd.writeUInt32LE(size, 12);
    this.write(dd);
    this.central.push({ name: nameBuf, method, crc: crc >>> 0, compressedSize: compressed, size, offset, flags, ...this.time });
  }

  /** Writes the central directory and closes the file. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const cdStart = this.pos;
    for (const r of this.central) {
      const force = !!this.opts.forceZip64;
      const big = [] as number[];
      if (force || r.size >= U32_MAX) big.push(r.size);
      if (force || r.compressedSize >= U32_MAX) big.push(r.compressedSize);
      if (force || r.offset >= U32_MAX) big.push(r.offset);
      const extra = big.length ? zip64Extra(big) : Buffer.alloc(0);
      const h = Buffer.alloc(46);
      h.writeUInt32LE(SIG_CENTRAL, 0);
      h.writeUInt16LE(big.length ? 45 : 20, 4); // made by
      h.writeUInt16LE(big.length ? 45 : 20, 6); // needed
      h.writeUInt16LE(r.flags, 8);
      h.writeUInt16LE(r.method, 10);
      h.writeUInt16LE(r.dosTime, 12);
      h.writeUInt16LE(r.dosDate, 14);
      h.writeUInt32LE(r.crc, 16);
      h.writeUInt32LE(force ? U32_MAX : Math.min(r.compressedSize, U32_MAX), 20);
      h.writeUInt32LE(force ? U32_MAX : Math.min(r.size, U32_MAX), 24);
      h.writeUInt16LE(r.name.length, 28);
      h.writeUInt16LE(extra.length, 30);
      h.writeUInt32LE(force ? U32_MAX : Math.min(r.offset, U32_MAX), 42);
      this.write(h);
      this.write(r.name);
      this.write(extra);
    }
    const cdSize = this.pos - cdStart;
    const count = this.central.length;
    const zip64 = !!this.opts.forceZip64 || count >= U16_MAX || cdStart >= U32_MAX || cdSize >= U32_MAX;
    if (zip64) {
      const eocd64Offset = this.pos;
      const rec = Buffer.alloc(56);
      rec.writeUInt32LE(SIG_EOCD64, 0);
      rec.writeBigUInt64LE(44n, 4);
      rec.writeUInt16LE(45, 12);
      rec.writeUInt16LE(45, 14);
      rec.writeBigUInt64LE(BigInt(count), 24);
      rec.writeBigUInt64LE(BigInt(count), 32);
      rec.writeBigUInt64LE(BigInt(cdSize), 40);
      rec.writeBigUInt64LE(BigInt(cdStart), 48);
      this.write(rec);
      const loc = Buffer.alloc(20);
      loc.writeUInt32LE(SIG_EOCD64_LOCATOR, 0);
      loc.writeBigUInt64LE(BigInt(eocd64Offset), 8);
      loc.writeUInt32LE(1, 16);
      this.write(loc);
    }
    const e = Buffer.alloc(22);
    e.writeUInt32LE(SIG_EOCD, 0);
    e.writeUInt16LE(zip64 ? U16_MAX : count, 8);
    e.writeUInt16LE(zip64 ? U16_MAX : count, 10);
    e.writeUInt32LE(zip64 ? U32_MAX : cdSize, 12);
    e.writeUInt32LE(zip64 ? U32_MAX : cdStart, 16);
    this.write(e);
    closeSync(this.fd);
  }

  /** Closes the file without finishing it (after an error; the caller removes it). */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }
}
