import { type Logger, ToolError, toErrorResult } from '@bulwark/runtime';
import { ProtocolError, ProtocolErrorCode, ResourceNotFoundError } from '@modelcontextprotocol/server';

/**
 * The one line a client may see for an error: an expected failure's own message, or a generic
 * line for anything else (whose details go to the log). Same mapping as tool results.
 */
function clientMessage(error: unknown, where: string, logger: Logger): string {
  const first = toErrorResult(error, where, logger).content[0];
  return first?.type === 'text' ? first.text : `Internal error in ${where}.`;
}

/**
 * Maps an error from reading a resource to the protocol error to throw: a driver's ToolError
 * (no such table) is a `ResourceNotFoundError` with its message; others are internal errors
 * with a generic message.
 *
 * @param error - what the read threw
 * @param uri - the resource asked for
 * @param logger - where unexpected errors are recorded
 */
export function resourceReadError(error: unknown, uri: string, logger: Logger): ProtocolError {
  const message = clientMessage(error, uri, logger);
  if (error instanceof ToolError) return new ResourceNotFoundError(uri, message);
  return new ProtocolError(ProtocolErrorCode.InternalError, message);
}

/**
 * Maps an error from building a prompt: a driver's ToolError (no such table) is an invalid
 * argument with its message; others are internal errors with a generic message.
 *
 * @param error - what the prompt callback threw
 * @param prompt - the prompt's name
 * @param logger - where unexpected errors are recorded
 */
export function promptError(error: unknown, prompt: string, logger: Logger): ProtocolError {
  const message = clientMessage(error, prompt, logger);
  const expected = error instanceof ToolError;
  return new ProtocolError(
    expected ? ProtocolErrorCode.InvalidParams : ProtocolErrorCode.InternalError,
    message,
  );
}
