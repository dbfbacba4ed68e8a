import { lstat, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Sandbox, SandboxError } from '@bulwark/hardening';
import { ToolError } from '@bulwark/runtime';

/**
 * Creates a directory and its missing parents (like `mkdir -p`), one component at a time. Each
 * component is resolved through the sandbox with `write` access just before it is created, so a
 * component swapped for a symlink that leads out of the roots is refused rather than followed.
 * Every component is checked against the deny list as a directory (`.ssh/`) before anything is
 * created, so a refusal leaves no new parent directories behind.
 *
 * @param sandbox - the connection's sandbox
 * @param real - canonical path of the directory, from `Sandbox.resolve(input, 'write')`
 * @param input - the path as the client gave it, for messages
 * @returns true when a directory was created; false when `real` already was a directory
 * @throws ToolError when a component exists and is not a directory
 * @throws SandboxError `swapped` when a component changed meanwhile; `denied`, `read-only` and the
 *   other resolution errors
 */
export async function createDirectories(sandbox: Sandbox, real: string, input: string): Promise<boolean> {
  const root = sandbox.rootOf(real);
  if (!root) throw swapped(input);
  const parts = path.relative(root.path, real).split(path.sep).filter(Boolean);
  // Every component of the path will be a directory: check them all against the deny list before
  // creating any, so a refused `a/.ssh` does not leave `a` behind.
  let current = root.path;
  for (const part of parts) {
    current = path.join(current, part);
    if (!sandbox.isVisible(current, true)) {
      throw new SandboxError(
        'denied',
        `Access denied: "${input}" matches the server's secret deny list; the operator can change it with --allow.`,
      );
    }
  }
  current = root.path;
  let created = false;
  for (const part of parts) {
    current = path.join(current, part);
    const step = await sandbox.resolve(current, 'write');
    if (step.real !== current) throw swapped(input);
    if (step.exists) {
      await assertDirectory(current, current === real, input);
      continue;
    }
    await sandbox.assertStillInside(path.dirname(current));
    try {
      await mkdir(current);
      created = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      await assertDirectory(current, current === real, input);
    }
  }
  return created;
}

/**
 * Checks that the directory a new entry goes into exists, before anything is written.
 *
 * @param directory - canonical parent directory of the new entry
 * @param input - the new entry's path as the client gave it
 * @param remedy - what the client can do when it is missing (e.g. `pass create_parents: true`)
 * @throws ToolError when the parent is missing or not a directory
 */
export async function assertParentDirectory(directory: string, input: string, remedy: string): Promise<void> {
  const stats = await stat(directory).catch(() => undefined);
  if (!stats) throw new ToolError(`The parent directory of "${input}" does not exist; ${remedy}.`);
  if (!stats.isDirectory()) throw new ToolError(`The parent of "${input}" is a file, not a directory.`);
}

async function assertDirectory(real: string, isTarget: boolean, input: string): Promise<void> {
  const stats = await lstat(real);
  if (stats.isSymbolicLink()) throw swapped(input);
  if (stats.isDirectory()) return;
  throw new ToolError(
    isTarget
      ? `"${input}" exists and is a file, not a directory.`
      : `A parent of "${input}" is a file, not a directory.`,
  );
}

function swapped(input: string): SandboxError {
  return new SandboxError(
    'swapped',
    `A directory on "${input}" changed while it was being created; try again.`,
  );
}
