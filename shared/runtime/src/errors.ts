import {
  BudgetExceededError,
  InvalidCursorError,
  NetGuardError,
  SandboxError,
  SqlGuardError,
} from '@bulwark/hardening';
import {
  type CallToolResult,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
} from '@modelcontextprotocol/server';
import type { Logger } from './logger.js';

/**
 * An expected failure of a tool (bad argument, not found, conflict). Its message is one line of
 * cause and remedy, shown to the client as an `isError` result.
 */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}

// Errno codes whose meaning is clear without the (possibly outside-the-roots) path Node puts in
// the message. Each maps to one line of cause and remedy.
const ERRNO_MESSAGES: Record<string, string> = {
  ENOENT: 'The file or directory does not exist; check the path.',
  EEXIST: 'The destination already exists; choose another path or ask to overwrite.',
  ENOTEMPTY: 'The directory is not empty; pass recursive: true to remove it with its contents.',
  EISDIR: 'The path is a directory, not a file.',
  ENOTDIR: 'A component of the path is a file, not a directory.',
  EACCES: 'Permission denied by the operating system.',
  EPERM: 'Operation not permitted by the operating system.',
  ENOSPC: 'No space left on the device.',
  EROFS: 'The file system is read-only.',
  EXDEV: 'Source and destination are on different file systems.',
  EMFILE: 'The server has too many open files; try again shortly.',
  EBUSY: 'The file or directory is busy; try again shortly.',
  ENAMETOOLONG: 'The file name is too long.',
  ELOOP: 'Too many levels of symbolic links.',
};

/**
 * Maps an error thrown by a tool handler to an MCP `isError` result with one line of cause and
 * remedy. Expected failures keep their message; errno errors get a path-free message; anything
 * else becomes a generic line, with the stack written to the log (never to the client).
 *
 * @param error - what the handler threw
 * @param toolName - for the log line
 * @param logger - where unexpected errors are recorded
 * @returns a `CallToolResult` with `isError: true`
 */
export function toErrorResult(error: unknown, toolName: string, logger: Logger): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: describeError(error, toolName, logger) }] };
}

/**
 * Whether an error is an expected failure whose own message is fit for the client: a
 * {@link ToolError} or one of hardening's refusals (sandbox, SQL guard, network guard, budget,
 * cursor).
 *
 * @param error - anything thrown
 * @returns true for an expected failure
 */
export function isExpectedError(error: unknown): error is Error {
  return (
    error instanceof ToolError ||
    error instanceof SandboxError ||
    error instanceof BudgetExceededError ||
    error instanceof InvalidCursorError ||
    error instanceof SqlGuardError ||
    error instanceof NetGuardError
  );
}

/**
 * Maps an error from reading a resource to the protocol error to throw: an expected failure is
 * a `ResourceNotFoundError` with its message; anything else an internal error with a generic
 * message (details to the log).
 *
 * @param error - what the read threw
 * @param uri - the resource asked for
 * @param logger - where unexpected errors are recorded
 * @returns the error to throw from the resource callback
 */
export function resourceReadError(error: unknown, uri: string, logger: Logger): ProtocolError {
  const message = describeError(error, uri, logger);
  if (isExpectedError(error)) return new ResourceNotFoundError(uri, message);
  return new ProtocolError(ProtocolErrorCode.InternalError, message);
}

/**
 * Maps an error from building a prompt: an expected failure is invalid params (-32602) with its
 * message; anything else an internal error with a generic message (details to the log).
 *
 * @param error - what the prompt callback threw
 * @param prompt - the prompt's name
 * @param logger - where unexpected errors are recorded
 * @returns the error to throw from the prompt callback
 */
export function promptError(error: unknown, prompt: string, logger: Logger): ProtocolError {
  return new ProtocolError(
    isExpectedError(error) ? ProtocolErrorCode.InvalidParams : ProtocolErrorCode.InternalError,
    describeError(error, prompt, logger),
  );
}

function describeError(error: unknown, toolName: string, logger: Logger): string {
  if (isExpectedError(error)) return firstLine(error.message);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && ERRNO_MESSAGES[code]) return ERRNO_MESSAGES[code];
  logger.error(`unexpected error in ${toolName}`, error);
  return `Internal error in ${toolName}; the server log has the details. Try again or report it.`;
}

function firstLine(message: string): string {
  const line = message.split('\n', 1)[0] ?? message;
  return line.length > 500 ? `${line.slice(0, 497)}...` : line;
}
