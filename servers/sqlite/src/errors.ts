import { SqlGuardError } from '@bulwark/hardening/sql';
import { ToolError } from '@bulwark/runtime';
import Database from 'better-sqlite3';
import type { WorkerFailure } from './protocol.js';

/**
 * Whether an error came from SQLite or better-sqlite3 and describes the SQL (syntax error, no
 * such table, constraint failed, wrong number of parameters, more than one statement).
 */
export function isEngineError(error: unknown): error is Error {
  return error instanceof Database.SqliteError || error instanceof RangeError || error instanceof TypeError;
}

/**
 * Runs a synchronous call on a connection and reports engine errors as a {@link ToolError} that
 * carries the engine's message (its first line); other errors pass through.
 *
 * @param run - the call
 * @returns what the call returned
 * @throws ToolError for engine errors
 */
export function withEngineErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isEngineError(error)) throw engineError(error.message);
    throw error;
  }
}

/**
 * The error a failed request of the query process becomes: a refusal of `query` is a
 * {@link SqlGuardError} (of the read-only guard for query, of the write guard for execute), an engine
 * error a ToolError with SQLite's message; anything else an Error for the log.
 *
 * @param failure - from the query process
 * @param op - which request failed
 */
export function fromWorkerFailure(failure: WorkerFailure, op: 'query' | 'execute'): Error {
  switch (failure.kind) {
    case 'engine':
      return engineError(failure.message);
    case 'refused':
      return new SqlGuardError(
        failure.rule ?? (op === 'query' ? 'not-read-only' : 'statement-kind'),
        failure.message,
        op === 'query' ? 'read-only' : 'write',
      );
    default:
      return new Error(`query process: ${failure.message}`);
  }
}

function engineError(message: string): ToolError {
  return new ToolError(`SQLite: ${message.split('\n', 1)[0] ?? message}`);
}
