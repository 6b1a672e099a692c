/** Receives the progress of long work (hashing, copying, transfers); the CLI draws bars from it. */
export interface ProgressReporter {
  /** A new phase begins, e.g. `hashing data/raw`, with its totals (bytes may be 0 if unknown). */
  start(label: string, totalFiles: number, totalBytes: number): void;
  /** Increments since the last call. */
  advance(files: number, bytes: number): void;
  /** The phase is over. */
  stop(): void;
}

/** A reporter that shows nothing (the default, and what scripts get). */
export const silentProgress: ProgressReporter = {
  start: () => undefined,
  advance: () => undefined,
  stop: () => undefined,
};
