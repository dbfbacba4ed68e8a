import { type StdioServerHandle, serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Logger } from './logger.js';
import type { ServerFactory } from './server.js';
import { FramedStdioTransport, StdioFramingError } from './stdio-transport.js';

/**
 * The longest stdin line (one message) the stdio transport accepts: 64 MiB. The SDK's default
 * buffer (10 MiB) is smaller than the largest argument a tool accepts (the filesystem's 32 MiB
 * writes), so the limit sits above every schema's bound. A longer line is discarded and answered
 * with an Invalid Request error; the connection stays open (see FramedStdioTransport).
 */
export const STDIO_MAX_BUFFER_BYTES = 64 * 1024 * 1024;

/**
 * Serves a server over stdio for both protocol eras (2025-11-25 `initialize` and 2026-07-28
 * discovery): one instance per connection, pinned for its life. Exits when stdin closes or on
 * SIGINT/SIGTERM. Nothing but protocol messages is written to stdout; a line that is not a
 * JSON-RPC message is answered with a JSON-RPC error (FramedStdioTransport).
 *
 * With `ready`, the transport is set up at once but reads nothing from stdin until `ready` has
 * settled, so startup work still in flight (a database check, say) overlaps the setup, and every
 * message, and the end of stdin, is handled as if that work had been awaited before the call.
 *
 * The HTTP transport will be a sibling of this function that takes the same factory.
 *
 * @param factory - builds the server instance
 * @param logger - for transport errors
 * @param ready - settles when the server may read its first message; at once when absent
 */
export function runStdio(factory: ServerFactory, logger: Logger, ready?: Promise<unknown>): void {
  const transport = new FramedStdioTransport(process.stdin, process.stdout, STDIO_MAX_BUFFER_BYTES);
  let handle: StdioServerHandle | undefined;
  const stop = () => {
    void (handle?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const serve = () => {
    handle = serveStdio(factory, {
      transport,
      // A refused line is the client's mistake: one line on stderr, no stack.
      onerror: (error) =>
        error instanceof StdioFramingError
          ? logger.warning(error.message)
          : logger.warning('stdio transport error', error),
    });
    process.stdin.on('end', stop);
  };
  if (ready) void ready.then(serve, serve);
  else serve();
}
