import { sanitizeName } from '@bulwark/hardening';
import { ToolError } from '@bulwark/runtime';

/** A pg error: SQLSTATE `code` from the server, or an errno `code` from the socket. */
interface PgLikeError {
  code?: string;
  message?: string;
}

/**
 * Maps a database error to a one-line ToolError: timeouts and read-only refusals get their own
 * remedy; other server errors keep PostgreSQL's message with its SQLSTATE; connection errors name
 * the cause without the connection string (which may hold a password).
 *
 * @param error - what pg threw
 * @param timeoutMs - the statement_timeout in force, for the message
 * @returns the error to throw
 */
export function toDatabaseError(error: unknown, timeoutMs: number): Error {
  if (error instanceof ToolError) return error;
  const { code, message = 'unknown error' } = (error ?? {}) as PgLikeError;
  // PostgreSQL quotes offending values (row data) in its messages: clean them like any untrusted text.
  const firstLine = sanitizeName(message.split('\n', 1)[0] ?? '').name;
  switch (code) {
    case '57014':
      return new ToolError(
        `The statement ran past its ${Math.round(timeoutMs / 1000)} s limit and was cancelled (statement_timeout); narrow it or raise --timeout.`,
      );
    case '55P03':
      return new ToolError('The statement waited too long for a lock (lock_timeout); try again later.');
    case '25006':
      return new ToolError(
        'Refused by the engine: the transaction is read-only (the server is read-only unless started with --allow-write).',
      );
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
      return new ToolError(
        `Cannot reach the database (${code}); check that it is running and that DATABASE_URL is right.`,
      );
    default:
      if (code && /^[0-9A-Z]{5}$/.test(code)) return new ToolError(`PostgreSQL error ${code}: ${firstLine}`);
      if (/terminat|Connection terminated|timeout exceeded when trying to connect/i.test(message)) {
        return new ToolError(`The database connection failed (${firstLine}); try again.`);
      }
      return error instanceof Error ? error : new Error(firstLine);
  }
}
