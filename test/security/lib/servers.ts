/** Where the built servers are and how to start one over stdio. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type StdioServerOptions, type StdioSession, startStdioServer } from '@bulwark/testkit';
import type { ServerName } from './types.js';

/** The repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The built bin of a server (`servers/<name>/dist/main.js`).
 *
 * @param server - which server
 * @returns its absolute path
 * @throws Error when it has not been built (`pnpm attack` builds first)
 */
export function serverBin(server: ServerName): string {
  const bin = path.join(REPO_ROOT, 'servers', server, 'dist', 'main.js');
  if (!existsSync(bin)) throw new Error(`${bin} is missing; build the servers first (pnpm build)`);
  return bin;
}

/**
 * Starts a built server over stdio with a real MCP client (2025-11-25 handshake).
 *
 * @param server - which server
 * @param args - its flags and arguments
 * @param env - extra environment (tokens, API URLs)
 * @returns the session; close it when done
 */
export function startServer(
  server: ServerName,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<StdioSession> {
  const options: StdioServerOptions = { args: [serverBin(server), ...args], env };
  return startStdioServer(options);
}
