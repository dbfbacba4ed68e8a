import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type LoopbackGitHubApi,
  MUTATING_METHODS,
  type OctokitFixtureRecording,
  type RecordedGitHubRequest,
  type StdioServerOptions,
  type StdioSession,
  startStdioServer,
} from '@bulwark/testkit';

/** The built bin under test (`pnpm test` builds it first). */
export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

/** A token-shaped secret; tests check it never shows up in output. */
export const TOKEN = 'ghp_bulwarkTestToken0000000000000000000000';

/** Retry and spacing waits scaled down 1000x (a 60 s wait takes 60 ms). */
export const FAST_WAITS = { BULWARK_GITHUB_WAIT_SCALE: '0.001' };

const require = createRequire(import.meta.url);

/**
 * The recordings of one @octokit/fixtures scenario (`api.github.com/<name>`).
 *
 * @param name - scenario directory, e.g. `get-content`
 */
export function fixture(name: string): OctokitFixtureRecording[] {
  const file = require.resolve(`@octokit/fixtures/scenarios/api.github.com/${name}/normalized-fixture.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as OctokitFixtureRecording[];
}

/**
 * Starts the built GitHub server against a loopback API, with a test token and fast waits.
 *
 * @param api - the loopback API (its URL becomes GITHUB_API_URL)
 * @param args - flags
 * @param options - era, elicitation, extra environment
 */
export function startGitHub(
  api: LoopbackGitHubApi | undefined,
  args: string[] = [],
  options: Omit<StdioServerOptions, 'args'> = {},
): Promise<StdioSession> {
  return startStdioServer({
    ...options,
    args: [BIN, ...args],
    env: {
      ...(api ? { GITHUB_API_URL: api.url } : {}),
      GITHUB_PERSONAL_ACCESS_TOKEN: TOKEN,
      ...FAST_WAITS,
      ...(options.env ?? {}),
    },
  });
}

/** Calls a tool and returns the raw result. */
export function call(session: StdioSession, name: string, args: Record<string, unknown> = {}) {
  return session.client.callTool({ name, arguments: args });
}

/** The mutating requests (POST, PUT, PATCH, DELETE) among those recorded. */
export function mutating(requests: readonly RecordedGitHubRequest[]): RecordedGitHubRequest[] {
  return requests.filter((request) => MUTATING_METHODS.has(request.method));
}

/** `METHOD /path` of each recorded request, for compact assertions. */
export function calls(requests: readonly RecordedGitHubRequest[]): string[] {
  return requests.map((request) => `${request.method} ${request.path}`);
}

/** Waits until `condition` holds, polling every 20 ms, for at most `ms`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}
