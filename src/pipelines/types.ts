/** What a stage writes: an output, a metrics file or a plot, cached or kept only in the workspace. */
export interface StageOut {
  /** POSIX path relative to the project root. */
  path: string;
  kind: 'out' | 'metric' | 'plot';
  /** False: hashed and recorded in the lock, but not copied into the cache (and no run cache). */
  cache: boolean;
}

/** Params a stage reads from one params file. */
export interface StageParams {
  /** POSIX path of the params file relative to the project root. */
  file: string;
  /** Dotted keys (`train.lr`); empty means every top-level key of the file. */
  keys: string[];
}

/** One stage after templating, with every path resolved against the project root. */
export interface Stage {
  /** `train`, or `clean@raw1` / `sweep@cnn-f1` for a templated stage. */
  name: string;
  /** The foreach/matrix group a templated stage comes from. */
  group?: string;
  /** Shell commands, run in order with `sh -c`; the first failure stops the stage. */
  cmd: string[];
  /** Working directory relative to the project root ('.' for the root). */
  wdir: string;
  deps: string[];
  params: StageParams[];
  outs: StageOut[];
  /** Runs on every repro. */
  alwaysChanged: boolean;
  /** Never runs (its lock entry is trusted as is). */
  frozen: boolean;
  desc?: string;
}

/** A loaded `osprey.yaml`. */
export interface Pipeline {
  /** Absolute project root (the directory holding osprey.yaml). */
  root: string;
  /** Absolute path of the definition file. */
  file: string;
  /** Stages in definition order. */
  stages: Stage[];
}
