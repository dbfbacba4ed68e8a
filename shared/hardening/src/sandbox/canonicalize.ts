import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { SandboxError } from './errors.js';

/** The canonical location a path refers to, whether or not it exists yet. */
export interface CanonicalPath {
  /** Absolute path with every symlink resolved, including dangling ones in any position. */
  real: string;
  /** True when `real` names an existing file system entry. */
  exists: boolean;
}

/** Linux's own limit on symlinks followed while resolving one path (MAXSYMLINKS). */
const MAX_SYMLINK_HOPS = 40;

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Resolves an absolute path to where it would land on disk, following every symlink.
 *
 * `fs.realpath` fails for paths that do not exist yet, and a naive fallback to the parent would
 * miss a *dangling* symlink as the last component: writing through it creates its target, which
 * may lie outside the roots. This function follows dangling links too, so the result is where a
 * create, write or rename would really land.
 *
 * @param absolute - an absolute path, not yet trusted
 * @returns the canonical path and whether it exists
 * @throws SandboxError `symlink-loop` after 40 symlink hops
 * @throws the underlying errno error for failures other than ENOENT/ENOTDIR (e.g. EACCES)
 */
export async function canonicalize(absolute: string, hops = 0): Promise<CanonicalPath> {
  try {
    return { real: await realpath(absolute), exists: true };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ELOOP') throw new SandboxError('symlink-loop', 'Too many levels of symbolic links.');
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
  if (hops > MAX_SYMLINK_HOPS) throw new SandboxError('symlink-loop', 'Too many levels of symbolic links.');

  const stats = await lstat(absolute).catch(() => undefined);
  if (stats?.isSymbolicLink()) {
    const target = await readlink(absolute);
    // A relative target is relative to the directory the link really lives in, which differs from
    // the lexical parent when that parent is reached through a symlink itself.
    const linkDirectory = (await canonicalize(path.dirname(absolute), hops)).real;
    return canonicalize(path.resolve(linkDirectory, target), hops + 1).then((result) => ({
      real: result.real,
      exists: false,
    }));
  }
  const parent = path.dirname(absolute);
  if (parent === absolute) return { real: absolute, exists: false };
  // Walking up to the parent is not a symlink hop; it ends at the file system root.
  const resolvedParent = await canonicalize(parent, hops);
  return { real: path.join(resolvedParent.real, path.basename(absolute)), exists: false };
}
