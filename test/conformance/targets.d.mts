/** Types of targets.mjs, for the TypeScript test that imports it. */

/** A started target. */
export interface RunningTarget {
  /** The MCP endpoint, e.g. `http://127.0.0.1:40123/mcp`. */
  url: string;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  /** Stops the server and removes its sample data and loopback upstreams. */
  stop(): Promise<void>;
}

/** One server (or fixture) the conformance run serves. */
export interface Target {
  name: string;
  description: string;
  start(): Promise<RunningTarget>;
}

export declare const TARGETS: readonly Target[];
