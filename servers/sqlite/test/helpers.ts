import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type StdioServerOptions, type StdioSession, startStdioServer } from '@bulwark/testkit';
import Database from 'better-sqlite3';

/** The built bin under test (`pnpm test` builds it first). */
export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

/**
 * Starts the built SQLite server over stdio.
 *
 * @param args - flags and the database file
 * @param options - era, elicitation, environment
 */
export function startSqlite(
  args: string[],
  options: Omit<StdioServerOptions, 'args'> = {},
): Promise<StdioSession> {
  return startStdioServer({ ...options, args: [BIN, ...args] });
}

/** Calls a tool and returns the raw result. */
export function call(session: StdioSession, name: string, args: Record<string, unknown> = {}) {
  return session.client.callTool({ name, arguments: args });
}

/** A temporary directory, removed by `remove()`. */
export interface TempDir {
  dir: string;
  path(...segments: string[]): string;
  remove(): void;
}

/** Makes an empty temporary directory. */
export function createTempDir(): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), 'bulwark-sqlite-'));
  return {
    dir,
    path: (...segments) => path.join(dir, ...segments),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Creates a database file with better-sqlite3 (outside the server under test).
 *
 * @param file - path of the new file
 * @param setup - statements to run on it
 */
export function createDatabase(file: string, setup: (db: Database.Database) => void): void {
  const db = new Database(file);
  try {
    setup(db);
  } finally {
    db.close();
  }
}

/**
 * Reads from a database file directly, read-only (outside the server under test).
 *
 * @param file - the database
 * @param read - what to read
 */
export function readDatabase<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** SHA-256 of a file's bytes, hex. */
export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** SHA-256 of every row of `sqlite_schema` (type, name, table, root page, SQL) and of the schema cookies. */
export function schemaChecksum(file: string): string {
  return readDatabase(file, (db) => {
    const rows = db
      .prepare('SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema ORDER BY type, name')
      .all();
    const cookies = [
      db.pragma('schema_version', { simple: true }),
      db.pragma('user_version', { simple: true }),
    ];
    return createHash('sha256')
      .update(JSON.stringify([rows, cookies]))
      .digest('hex');
  });
}

/**
 * Resident memory of a process and all of its descendants (the server runs its statements in a
 * child process), in bytes, from /proc.
 *
 * @param pid - the root process
 */
export function treeRss(pid: number): number {
  let total = 0;
  for (const id of [pid, ...descendants(pid)]) {
    try {
      const status = readFileSync(`/proc/${id}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // The process ended between listing and reading.
    }
  }
  return total;
}

/**
 * Process ids of every descendant of a process, from /proc/<pid>/task/<tid>/children.
 *
 * @param pid - the root process
 */
export function descendants(pid: number): number[] {
  const result: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return result;
  }
  for (const task of tasks) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.split(/\s+/).filter(Boolean).map(Number)) {
      result.push(child, ...descendants(child));
    }
  }
  return result;
}

/** True while a process exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    return !/State:\s+Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Waits until `condition` holds, polling every 20 ms, for at most `ms`. */
export async function waitFor(condition: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}
