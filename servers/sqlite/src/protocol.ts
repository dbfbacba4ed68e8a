import type { SqlGuardRule } from '@bulwark/hardening/sql';
/**
 * Messages between the server process and its query process (`worker.ts`), over the Node IPC
 * channel of `child_process.fork`. Internal: not part of the package's API.
 */
import type { ExecuteResult, QueryPage } from '@bulwark/sql-tools';

/** How the query process opens the database; passed as its one argument, JSON-encoded. */
export interface WorkerOptions {
  /** Absolute path of the database file. */
  file: string;
  /** Also open a read-write connection for `execute`. */
  writable: boolean;
}

/** A bound value as the query process receives it (booleans already mapped to 1 and 0). */
export type WorkerParam = string | number | null;

/** One read-only statement, cut into a page. */
export interface QueryRequest {
  op: 'query';
  sql: string;
  params: WorkerParam[];
  offset: number;
  maxRows: number;
  maxBytes: number;
}

/** One statement that may write, in its own transaction. */
export interface ExecuteRequest {
  op: 'execute';
  sql: string;
  params: WorkerParam[];
  maxRows: number;
  maxBytes: number;
}

/** A request with the id its reply carries. */
export type WorkerRequest = (QueryRequest | ExecuteRequest) & { id: number };

/**
 * Why a request failed: `engine` for SQLite's and better-sqlite3's own errors (syntax, no such
 * table, constraint, wrong parameter count), `refused` for a statement the query process will
 * not run (`rule` names the requirement), `internal` for anything else.
 */
export interface WorkerFailure {
  kind: 'engine' | 'refused' | 'internal';
  message: string;
  rule?: SqlGuardRule;
}

/** The reply to one request. */
export type WorkerReply =
  | { id: number; ok: true; page: QueryPage }
  | { id: number; ok: true; result: ExecuteResult }
  | { id: number; ok: false; error: WorkerFailure };

/** Sent once when the database cannot be opened; the process then exits. */
export interface WorkerFatal {
  fatal: string;
}
