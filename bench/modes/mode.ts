// What a mode of `npm run bench` is: the harness prepares a database with the dataset, the
// workloads and the servers, and a mode decides what to do with them (compare servers, profile
// one, ...). A new mode is a file in this folder and one line in modes/index.ts.
import type { Dataset } from '../dataset.js';
import type { Server } from '../processes.js';
import type { RunEnvironment, ServerDeclaration } from '../servers/server.js';
import type { Workload } from '../workloads/workload.js';

export interface Settings {
  quick: boolean;
  /** Cycles of rounds per workload and connection count. */
  rounds: number;
  /** Seconds per timed round. */
  duration: number;
  /** Seconds of untimed load per server before its first round of a workload. */
  warmup: number;
  connections: number[];
  /** Requests per workload and server checked against the reference before timing. */
  samples: number;
}

/** A line of PostgreSQL's server log (auto_explain writes plans there). */
export type LogListener = (text: string) => void;

export interface RunContext {
  settings: Settings;
  /** Every option of the command line, the mode's own included. */
  args: Record<string, string | boolean | string[] | undefined>;
  environment: RunEnvironment;
  /** The dataset's multiplier (--scale). */
  scale: number;
  dataset: Dataset;
  workloads: Workload[];
  servers: ServerDeclaration[];
  postmasterPid: number;
  /** A temporary folder of this run, removed at the end (unless --keep). */
  dir: string;
  /** Where files the report points to are written. */
  resultsDir: string;
  stamp: string;
  log(line: string): void;
  /** Found problems: the run exits 1 when there are any. */
  problems: string[];
  /** Lines for the report's notes. */
  notes: string[];
  /** Starts a declared server; it is stopped when the run ends. */
  start(declaration: ServerDeclaration, environment?: RunEnvironment): Promise<Server>;
  /** Follows PostgreSQL's log until the returned function is called. */
  followPostgresLog(listener: LogListener): () => void;
}

export interface ModeResult {
  /** The report's body for this scale. */
  markdown: string;
  json: Record<string, unknown>;
}

export interface Mode {
  name: string;
  /** The boolean option that selects it; the mode without one is the default. */
  flag?: string;
  /** Its lines in --help. */
  help: string;
  /** Its own options (node:util parseArgs form). */
  options?: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; default?: string | boolean | string[] }>;
  /** The workloads it runs when --workloads is not given (all by default). */
  defaultWorkloads?: string[];
  run(context: RunContext): Promise<ModeResult>;
  /** With several scales (--scale 1,10): a section comparing their results, put first. */
  combine?(results: { scale: number; result: ModeResult }[]): string;
}
