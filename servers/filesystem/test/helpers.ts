import { lstat, mkdir, readdir, readFile, readlink, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createTempTree,
  type StdioServerOptions,
  type StdioSession,
  startStdioServer,
  type TempTree,
} from '@bulwark/testkit';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/** The built bin under test (`pnpm test` builds it first). */
export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

/**
 * Starts the built filesystem server with the given CLI arguments over stdio.
 *
 * @param args - roots and flags
 * @param options - era, client roots, elicitation
 */
export function startFilesystem(
  args: string[],
  options: Omit<StdioServerOptions, 'args'> = {},
): Promise<StdioSession> {
  return startStdioServer({ ...options, args: [BIN, ...args] });
}

/** Calls a tool and returns the raw result. */
export async function call(session: StdioSession, name: string, args: Record<string, unknown> = {}) {
  return session.client.callTool({ name, arguments: args });
}

/** One entry of {@link snapshotTree}: a file's bytes and mode, a link's target, or a directory. */
export type SnapshotEntry = { file: string; mode: number } | { symlink: string } | { directory: true };

/**
 * Records everything below a directory (file bytes as base64 and permission bits, link targets,
 * directories) without following links, so a test can assert that a refused call changed nothing.
 *
 * @param dir - absolute directory to record
 * @returns relative path → entry, in sorted order
 */
export async function snapshotTree(dir: string): Promise<Record<string, SnapshotEntry>> {
  const result: Record<string, SnapshotEntry> = {};
  const walk = async (relative: string): Promise<void> => {
    const names = (await readdir(path.join(dir, relative))).sort();
    for (const name of names) {
      const entryPath = path.join(relative, name);
      const absolute = path.join(dir, entryPath);
      const stats = await lstat(absolute);
      if (stats.isSymbolicLink()) result[entryPath] = { symlink: await readlink(absolute) };
      else if (stats.isDirectory()) {
        result[entryPath] = { directory: true };
        await walk(entryPath);
      } else
        result[entryPath] = {
          file: (await readFile(absolute)).toString('base64'),
          mode: stats.mode & 0o7777,
        };
    }
  };
  await walk('');
  return result;
}

/**
 * Names of atomic-write temporary files (`.<name>.<hex>.tmp`) left anywhere below a directory.
 *
 * @param dir - absolute directory to search
 */
export async function leftoverTempFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((entry) => entry.endsWith('.tmp'));
}

/** What {@link useSharedServer} gives each test: a fresh case directory under one shared root. */
export interface CaseContext {
  /** The server, started once for the file with `root` as its only allowed directory. */
  readonly session: StdioSession;
  /** The allowed directory. */
  readonly root: TempTree;
  /** A fresh tree outside the root (`secret.txt`, `dir/keep.txt`), for escape attempts. */
  readonly outside: TempTree;
  /** Path relative to the root (the form clients usually send) of an entry in the case directory. */
  rel(...segments: string[]): string;
  /** Absolute path of an entry in the case directory, for checking the disk. */
  abs(...segments: string[]): string;
}

/**
 * Starts one server for the whole test file and gives every test its own empty directory under
 * the root (and its own outside tree), removed after the test, so tests stay independent without
 * paying a server start each.
 */
export function useSharedServer(): CaseContext {
  let session: StdioSession | undefined;
  let root: TempTree | undefined;
  let outside: TempTree | undefined;
  let caseName = '';
  let cases = 0;
  beforeAll(async () => {
    root = await createTempTree();
    session = await startFilesystem([root.dir]);
  });
  afterAll(async () => {
    await session?.close();
    await root?.remove();
  });
  beforeEach(async () => {
    caseName = `case-${++cases}`;
    await mkdir(root!.path(caseName));
    outside = await createTempTree({ 'secret.txt': 'outside secret\n', dir: { 'keep.txt': 'keep\n' } });
  });
  afterEach(async () => {
    await rm(root!.path(caseName), { recursive: true, force: true });
    await outside?.remove();
  });
  return {
    get session() {
      return session!;
    },
    get root() {
      return root!;
    },
    get outside() {
      return outside!;
    },
    rel: (...segments) => path.join(caseName, ...segments),
    abs: (...segments) => root!.path(caseName, ...segments),
  };
}
