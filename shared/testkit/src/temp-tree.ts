import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * A tree description: a string is a file's content, a Buffer its bytes, `{ symlink }` a link, and
 * an object a directory.
 */
export type TreeSpec = { [name: string]: string | Buffer | { symlink: string } | TreeSpec };

/** A temporary directory and its removal. */
export interface TempTree {
  /** Canonical absolute path of the directory. */
  dir: string;
  /** Absolute path of an entry inside the tree. */
  path(...segments: string[]): string;
  remove(): Promise<void>;
}

/**
 * Creates a temporary directory filled with a tree.
 *
 * @param spec - the files, links and directories to create
 * @param prefix - directory name prefix
 * @returns the tree; call `remove()` when done
 */
export async function createTempTree(spec: TreeSpec = {}, prefix = 'bulwark-'): Promise<TempTree> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), prefix)));
  await writeTree(dir, spec);
  return {
    dir,
    path: (...segments) => path.join(dir, ...segments),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Writes a tree description below a directory.
 *
 * @param base - existing directory
 * @param spec - entries to create
 */
export async function writeTree(base: string, spec: TreeSpec): Promise<void> {
  for (const [name, value] of Object.entries(spec)) {
    const target = path.join(base, name);
    if (typeof value === 'string' || Buffer.isBuffer(value)) {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, value);
    } else if ('symlink' in value && typeof value.symlink === 'string') {
      await symlink(value.symlink, target);
    } else {
      await mkdir(target, { recursive: true });
      await writeTree(target, value as TreeSpec);
    }
  }
}
