/**
 * Request bodies: reading them with a size limit, and turning the bytes into a JSON value
 * without blocking the main process — bodies above a threshold (base64 media) are decoded and
 * parsed on a worker thread. Failures carry Python's error text (see py-compat).
 */
import type { IncomingMessage } from 'node:http';
import { Worker } from 'node:worker_threads';
import { pyJsonDecodeError, pyUtf8DecodeError } from './py-compat';

export const DEFAULT_BODY_LIMIT = 256 * 1024 * 1024;
/** Bodies at least this large are parsed off the main thread. */
export const DEFAULT_OFF_THREAD_PARSE_BYTES = 1024 * 1024;
/** Python-style messages are computed for malformed bodies up to this size (larger: V8's text). */
const PY_MESSAGE_MAX_CHARS = 16 * 1024 * 1024;

export type BodyResult = { ok: true; bytes: Buffer } | { ok: false; tooLarge: true; received: number; declared?: number };

/**
 * Reads the whole body, or stops at `limit` bytes (the rest of the upload is drained and
 * discarded so the connection stays usable; a client that keeps sending is cut off after
 * `drainTimeoutMs`).
 */
export function readBody(req: IncomingMessage, limit: number, drainTimeoutMs = 30_000): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const declaredHeader = req.headers['content-length'];
    const declared = declaredHeader !== undefined ? Number(declaredHeader) : undefined;
    const drain = () => {
      const timer = setTimeout(() => req.destroy(), drainTimeoutMs);
      timer.unref();
      req.removeAllListeners('data');
      req.on('data', () => undefined);
      req.once('end', () => clearTimeout(timer));
      req.once('close', () => clearTimeout(timer));
      req.resume();
    };
    if (declared !== undefined && Number.isFinite(declared) && declared > limit) {
      drain();
      resolve({ ok: false, tooLarge: true, received: 0, declared });
      return;
    }
    const preallocated =
      declared !== undefined && Number.isSafeInteger(declared) && declared > 0 ? Buffer.allocUnsafeSlow(declared) : null;
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      if (received + chunk.length > limit) {
        done = true;
        drain();
        resolve({ ok: false, tooLarge: true, received: received + chunk.length });
        return;
      }
      if (preallocated && received + chunk.length <= preallocated.length) chunk.copy(preallocated, received);
      else chunks.push(chunk);
      received += chunk.length;
    });
    req.once('end', () => {
      if (done) return;
      done = true;
      if (preallocated && chunks.length === 0 && received === preallocated.length) resolve({ ok: true, bytes: preallocated });
      else if (preallocated) {
        // Shorter or longer than declared (Node refuses longer; shorter means an aborted client).
        resolve({ ok: true, bytes: Buffer.concat([preallocated.subarray(0, Math.min(received, preallocated.length)), ...chunks]) });
      } else resolve({ ok: true, bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received) });
    });
    req.once('error', (e) => {
      if (done) return;
      done = true;
      reject(e);
    });
    req.once('close', () => {
      if (done) return;
      done = true;
      reject(new Error('the client closed the connection before sending the whole body'));
    });
  });
}

export type ParseResult = { ok: true; value: unknown } | { ok: false; error: string };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Python's message for bytes that are not valid UTF-8 JSON. */
function describeBadBody(bytes: Uint8Array, kind: 'utf8' | 'json', v8Message?: string): string {
  if (kind === 'utf8') return pyUtf8DecodeError(bytes) ?? 'the request body is not valid UTF-8';
  const text = strictUtf8.decode(bytes);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.length <= PY_MESSAGE_MAX_CHARS) {
    const py = pyJsonDecodeError(body);
    if (py) return py;
  }
  return `the request body is not valid JSON: ${v8Message ?? 'parse error'}`;
}

/** Decodes and parses on the calling thread. */
export function parseJsonBody(bytes: Uint8Array): ParseResult {
  let text: string;
  try {
    text = strictUtf8.decode(bytes); // strips a leading BOM (lenient; Python would refuse it)
  } catch {
    return { ok: false, error: describeBadBody(bytes, 'utf8') };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: describeBadBody(bytes, 'json', e instanceof Error ? e.message : undefined) };
  }
}

// The worker is plain JavaScript evaluated from a string: no file to locate at run time,
// so it works the same under vitest, plain Node and a bundled Electron main process.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const decoder = new TextDecoder('utf-8', { fatal: true });
parentPort.on('message', ({ id, buffer, offset, length }) => {
  const bytes = new Uint8Array(buffer, offset, length);
  let text;
  try { text = decoder.decode(bytes); }
  catch { parentPort.postMessage({ id, kind: 'utf8', buffer }, [buffer]); return; }
  let value;
  try { value = JSON.parse(text); }
  catch (e) { parentPort.postMessage({ id, kind: 'json', message: String(e && e.message), buffer }, [buffer]); return; }
  text = undefined;
  parentPort.postMessage({ id, kind: 'ok', value });
});
`;

type WorkerReply =
  | { id: number; kind: 'ok'; value: unknown }
  | { id: number; kind: 'utf8'; buffer: ArrayBuffer }
  | { id: number; kind: 'json'; message: string; buffer: ArrayBuffer };

interface Job {
  resolve: (r: ParseResult) => void;
  offset: number;
  length: number;
}

/** Parses large bodies on a worker thread; small ones (and any worker trouble) on the caller's. */
export class JsonBodyParser {
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly offThreadBytes = DEFAULT_OFF_THREAD_PARSE_BYTES) {}

  parse(bytes: Buffer): Promise<ParseResult> {
    if (this.closed || bytes.length < this.offThreadBytes) return Promise.resolve(parseJsonBody(bytes));
    const worker = this.ensureWorker();
    if (!worker) return Promise.resolve(parseJsonBody(bytes));
    // Hand the bytes over without copying when the Buffer owns its whole ArrayBuffer.
    let buffer = bytes.buffer as ArrayBuffer;
    let offset = bytes.byteOffset;
    if (offset !== 0 || buffer.byteLength !== bytes.length || !(buffer instanceof ArrayBuffer)) {
      const copy = new Uint8Array(bytes.length);
      copy.set(bytes);
      buffer = copy.buffer;
      offset = 0;
    }
    const id = this.nextId++;
    return new Promise<ParseResult>((resolve) => {
      this.jobs.set(id, { resolve, offset, length: bytes.length });
      if (this.jobs.size === 1) worker.ref();
      try {
        worker.postMessage({ id, buffer, offset, length: bytes.length }, [buffer]);
      } catch {
        this.jobs.delete(id);
        resolve(parseJsonBody(bytes));
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
    for (const job of this.jobs.values()) job.resolve({ ok: false, error: 'server is shutting down' });
    this.jobs.clear();
  }

  private ensureWorker(): Worker | null {
    if (this.worker) return this.worker;
    try {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.unref();
      w.on('message', (msg: WorkerReply) => this.onMessage(msg));
      w.on('error', () => this.onWorkerFailure(w));
      w.on('exit', () => this.onWorkerFailure(w));
      this.worker = w;
      return w;
    } catch {
      return null;
    }
  }

  private onMessage(msg: WorkerReply): void {
    const job = this.jobs.get(msg.id);
    if (!job) return;
    this.jobs.delete(msg.id);
    if (this.jobs.size === 0) this.worker?.unref();
    if (msg.kind === 'ok') job.resolve({ ok: true, value: msg.value });
    else {
      const bytes = new Uint8Array(msg.buffer, job.offset, job.length);
      job.resolve({ ok: false, error: describeBadBody(bytes, msg.kind, msg.kind === 'json' ? msg.message : undefined) });
    }
  }

  private onWorkerFailure(w: Worker): void {
    if (this.worker !== w) return;
    this.worker = null;
    // The bytes were transferred away; report the failure rather than guess.
    for (const job of this.jobs.values()) job.resolve({ ok: false, error: 'could not parse the request body (parser thread failed)' });
    this.jobs.clear();
  }
}
