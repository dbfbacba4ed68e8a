// Asks a server's own config loader (servers/<name>/src/config.ts, `loadConfig(argv, env)`) what it
// makes of a command line and an environment, so the registry entry (server.json) and the bundle
// manifest can be checked against what the server really reads, not against a list kept by hand.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every server directory under servers/ (each has a package.json). */
export const SERVERS: readonly string[] = readdirSync(path.join(REPO, 'servers'))
  .filter((name) => existsSync(path.join(REPO, 'servers', name, 'package.json')))
  .sort();

/** A server's config loader. */
export interface ServerConfigLoader {
  loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): unknown;
}

/**
 * What `loadConfig` returned, as comparable text: the config as JSON, or the error it threw.
 * Two outcomes differ exactly when the inputs made a difference to the server.
 */
export type ConfigOutcome = { ok: true; text: string } | { ok: false; text: string };

/**
 * Reads a JSON file of the repository.
 *
 * @param segments - path below the repository root
 * @returns the parsed JSON
 * @throws when the file is missing or not JSON
 */
export function readRepoJson<T = Record<string, unknown>>(...segments: string[]): T {
  return JSON.parse(readFileSync(path.join(REPO, ...segments), 'utf8')) as T;
}

/**
 * Imports a server's config module from its TypeScript source.
 *
 * @param server - the server directory name, e.g. `sqlite`
 * @returns its `loadConfig`
 * @throws when the module has no `loadConfig`
 */
export async function loadServerConfig(server: string): Promise<ServerConfigLoader> {
  const url = pathToFileURL(path.join(REPO, 'servers', server, 'src', 'config.ts')).href;
  const module = (await import(url)) as Partial<ServerConfigLoader>;
  if (typeof module.loadConfig !== 'function')
    throw new Error(`servers/${server}/src/config.ts has no loadConfig`);
  return module as ServerConfigLoader;
}

/**
 * Runs `loadConfig` on an exact argv and environment (nothing from this process leaks in).
 *
 * @param loader - from `loadServerConfig`
 * @param argv - arguments after the bin
 * @param env - the whole environment the server would see
 * @returns the config as JSON, or the error message
 */
export function probeConfig(
  loader: ServerConfigLoader,
  argv: readonly string[],
  env: Record<string, string>,
): ConfigOutcome {
  try {
    return { ok: true, text: JSON.stringify(loader.loadConfig(argv, env)) };
  } catch (error) {
    return { ok: false, text: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** An input as server.json declares one (the fields a sample value is chosen from). */
export interface DeclaredInput {
  format?: 'string' | 'number' | 'boolean' | 'filepath' | undefined;
  default?: string | undefined;
  placeholder?: string | undefined;
  choices?: string[] | undefined;
}

/**
 * A value for an input that differs from its default, as a user would type it: a choice other than
 * the default, the placeholder, the other boolean, a number, or an existing file for a path.
 *
 * @param input - the declared input
 * @param existingFile - an existing file to use for `filepath` inputs
 * @returns the value
 */
export function sampleValue(input: DeclaredInput, existingFile: string): string {
  const choice = input.choices?.find((value) => value !== input.default);
  if (choice !== undefined) return choice;
  if (input.placeholder !== undefined) return input.placeholder;
  switch (input.format) {
    case 'boolean':
      return input.default === 'true' ? 'false' : 'true';
    case 'number':
      return '7';
    case 'filepath':
      return existingFile;
    default:
      return 'sample-value';
  }
}
