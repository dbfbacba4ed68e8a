import path from 'node:path';

/**
 * Decides whether `candidate` is `root` itself or lies below it, by path components.
 *
 * Both arguments must be absolute and already canonical (realpath'd). A string-prefix test would
 * accept `/data/project-evil` for the root `/data/project`; comparing components does not.
 *
 * @param root - absolute canonical directory path
 * @param candidate - absolute canonical path to test
 * @returns true when `candidate` is `root` or a descendant of it
 * @example
 * isWithin('/data/project', '/data/project/src/a.ts'); // true
 * isWithin('/data/project', '/data/project-evil/a.ts'); // false
 */
export function isWithin(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  // Both are canonical, so a component boundary is exactly "root, then a separator": appending the
  // separator is what makes this a component test rather than a string-prefix test.
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return candidate.startsWith(prefix);
}
