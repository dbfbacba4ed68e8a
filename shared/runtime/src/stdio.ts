import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Logger } from './logger.js';
import type { ServerFactory } from './server.js';

/**
 * Serves a server over stdio for both protocol eras (2025-11-25 `initialize` and 2026-07-28
 * discovery): one instance per connection, pinned for its life. Exits when stdin closes or on
 * SIGINT/SIGTERM. Nothing but protocol messages is written to stdout.
 *
 * The HTTP transport will be a sibling of this function that takes the same factory.
 *
 * @param factory - builds the server instance
 * @param logger - for transport errors
 */
export function runStdio(factory: ServerFactory, logger: Logger): void {
  const handle = serveStdio(factory, {
    onerror: (error) => logger.warning('stdio transport error', error),
  });
  const stop = () => {
    void handle.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
}
