import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Access, type ResolvedPath, type Sandbox, SandboxError } from '@bulwark/hardening';

/** A directory entry itself, as opposed to what a final symlink in its path points to. */
export interface LexicalEntry {
  /** Canonical parent directory + the entry's own name. */
  path: string;
  /** lstat of the entry (a symlink reports itself). */
  stats: Stats;
}

/**
 * Finds the entry a path names without following a final symlink: the parent is resolved through
 * the sandbox and the last component is lstat'd there. Tools that act on links themselves
 * (get_file_info, delete_path, move_file) use this; everything else follows links through
 * `Sandbox.resolve`.
 *
 * @param sandbox - the connection's sandbox
 * @param input - the path as the client gave it
 * @param access - `write` also requires the parent's root to be writable
 * @returns the entry, or undefined when its parent is outside the roots (a root itself)
 * @throws SandboxError when the entry is a denied secret; errno ENOENT when it does not exist
 */
export async function lstatLexicalEntry(
  sandbox: Sandbox,
  input: string,
  access: Access,
): Promise<LexicalEntry | undefined> {
  // A file: URI's last segment may be percent-encoded: split the decoded path, not the URI.
  let lexical = input;
  if (input.startsWith('file:')) {
    try {
      lexical = fileURLToPath(input);
    } catch {
      throw new SandboxError('invalid-path', `"${input}" is not a valid file:// URI.`);
    }
  }
  const name = path.basename(lexical);
  if (name === '' || name === '.' || name === '..') return undefined;
  let parent: string;
  try {
    parent = (await sandbox.resolve(path.dirname(lexical), access)).real;
  } catch (error) {
    if (error instanceof SandboxError && error.code === 'outside-roots') return undefined;
    throw error;
  }
  const entryPath = path.join(parent, name);
  const stats = await lstat(entryPath);
  if (!sandbox.isVisible(entryPath, stats.isDirectory())) {
    throw new SandboxError(
      'denied',
      `Access denied: "${input}" matches the server's secret deny list; the operator can change it with --allow.`,
    );
  }
  return { path: entryPath, stats };
}

/**
 * Resolves a path that must be an existing directory, verified by opening it (open-then-verify).
 *
 * @param sandbox - the connection's sandbox
 * @param input - the path as the client gave it
 * @returns the resolved directory
 * @throws SandboxError `not-found`, `wrong-kind` and the other resolution errors
 */
export async function resolveDirectory(sandbox: Sandbox, input: string): Promise<ResolvedPath> {
  const resolved = await sandbox.resolve(input, 'read');
  const { handle } = await sandbox.open(resolved, 'directory');
  await handle.close();
  return resolved;
}
