// Progress of imports and exports, in Anki's stages (ImportProgress / ExportProgress), throttled
// like Anki's ThrottlingProgressHandler so a callback that updates a UI is not flooded.

export type ImportStage = 'extracting' | 'file' | 'gathering' | 'media' | 'mediaCheck' | 'notes';
export type ExportStage = 'file' | 'gathering' | 'notes' | 'cards' | 'media';

export interface Progress<S extends string = string> {
  stage: S;
  /** Items done in this stage (notes, media files, bytes for 'extracting'/'file'). */
  done: number;
  /** Total items when known. */
  total?: number;
}

export type ProgressCallback<S extends string = string> = (p: Progress<S>) => void;
export type ImportProgressCallback = ProgressCallback<ImportStage>;
export type ExportProgressCallback = ProgressCallback<ExportStage>;

/** Reports at most every `intervalMs` within a stage; stage changes and `force` always report. */
export class ProgressReporter<S extends string> {
  private lastAt = 0;
  private lastStage: S | null = null;

  constructor(
    private readonly cb: ProgressCallback<S> | undefined,
    private readonly intervalMs = 100,
  ) {}

  report(stage: S, done = 0, total?: number, force = false): void {
    if (!this.cb) return;
    const now = Date.now();
    if (!force && stage === this.lastStage && now - this.lastAt < this.intervalMs) return;
    this.lastAt = now;
    this.lastStage = stage;
    this.cb(total === undefined ? { stage, done } : { stage, done, total });
  }

  /** A counter for one stage: call the returned function once per item. */
  counter(stage: S, total?: number): () => void {
    let n = 0;
    this.report(stage, 0, total, true);
    return () => {
      n++;
      this.report(stage, n, total, total !== undefined && n === total);
    };
  }
}
