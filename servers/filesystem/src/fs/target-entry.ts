import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { isWithin, type ResolvedEntry, type Sandbox, SandboxError } from '@bulwark/hardening';
import { ToolError } from '@bulwark/runtime';

/** The directory entry a move or delete acts on: a symlink itself, never what it points to. */
export interface TargetEntry {
  /** The path as the client gave it (for messages). */
  input: string;
  /** Canonical parent directory + the entry's own name: what is renamed or removed. */
  path: string;
  /** lstat of the entry; undefined when nothing exists there yet. */
  stats: Stats | undefined;
}

/**
 * Resolves a path for renaming or removal with `write` access. A final symlink is kept as the
 * entry (moving or deleting a link acts on the link, which lives inside the root, wherever it
 * points); any other path goes through `Sandbox.resolve`, so a root that is itself read-only and
 * the deny list apply as for every write.
 *
 * @param sandbox - the connection's sandbox
 * @param input - the path as the client gave it
 * @returns the entry, with `stats` undefined when it does not exist
 * @throws SandboxError from resolution (`outside-roots`, `denied`, `read-only`, ...), `swapped`
 *   when the entry changed between the two lookups
 */
export async function resolveTargetEntry(sandbox: Sandbox, input: string): Promise<TargetEntry> {
  let own: ResolvedEntry | undefined;
  try {
    own = await sandbox.resolveEntry(input, 'write');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Sandbox.resolve below reports a malformed URI (ERR_INVALID_*) or a missing entry properly.
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && !code?.startsWith('ERR_INVALID')) throw error;
  }
  if (own?.stats.isSymbolicLink()) return { input, path: own.path, stats: own.stats };
  const resolved = await sandbox.resolve(input, 'write');
  if (own && own.path !== resolved.real) {
    throw new SandboxError('swapped', `"${input}" changed while it was being resolved; try again.`);
  }
  const stats = resolved.exists ? await lstat(resolved.real).catch(() => undefined) : undefined;
  return { input, path: resolved.real, stats };
}

/**
 * Refuses to move, replace or delete an allowed directory, or a directory that holds one.
 *
 * @param sandbox - the connection's sandbox
 * @param entry - from {@link resolveTargetEntry}
 * @param verb - past participle for the message (`moved`, `deleted`, `replaced`)
 * @throws ToolError when the entry is a root or contains one
 */
export function assertNotRoot(sandbox: Sandbox, entry: TargetEntry, verb: string): void {
  const held = sandbox.roots.find((root) => isWithin(entry.path, root.path));
  if (!held) return;
  throw new ToolError(
    held.path === entry.path
      ? `"${entry.input}" is an allowed directory itself and cannot be ${verb}.`
      : `"${entry.input}" contains the allowed directory ${held.path} and cannot be ${verb}.`,
  );
}
