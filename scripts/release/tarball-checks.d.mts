/** One entry of a package: a path relative to the package root (`/` separators) and its bytes. */
export interface PackedFile {
  path: string;
  type: 'file' | 'symlink' | 'other';
  /** Unix permission bits. */
  mode: number;
  /** Bytes. */
  size: number;
  data: Buffer;
}

/** Check ids, in report order. */
export type CheckId = 'contents' | 'source-maps' | 'secrets' | 'local-paths' | 'package-json';

/** What to check and against what. */
export interface CheckOptions {
  /** A server package: needs `bin` (with a node shebang) and `mcpName`. */
  server?: boolean;
  /** Absolute paths that must not appear in any text file (see `machinePaths`). */
  localPaths?: readonly string[];
  /** Run only these checks (default all). */
  only?: readonly CheckId[];
  /** Refuse credential file names such as `.npmrc`, `*.pem` (default true). */
  credentialFileNames?: boolean;
}

/** The outcome of one check. */
export interface CheckResult {
  id: CheckId;
  /** What the check guarantees when it passes, in a few words. */
  title: string;
  /** Each one stops a release: `path: what is wrong`. */
  problems: string[];
  /** Printed, not fatal. */
  warnings: string[];
}

/** The check ids, in report order. */
export const CHECK_IDS: readonly CheckId[];

/**
 * Reads a gzipped npm tarball into memory, first path segment (`package/`) stripped.
 *
 * @param file - path of the .tgz
 * @returns its entries
 * @throws when the archive is truncated or not gzip
 */
export function readTarball(file: string): PackedFile[];

/**
 * Reads a directory tree like `readTarball` reads an archive; symlinks are listed, not followed.
 *
 * @param dir - the directory
 * @returns the entries below it
 */
export function readPackageDirectory(dir: string): PackedFile[];

/**
 * The absolute paths of this machine a package must not contain: the repository root and the home
 * directory.
 *
 * @param repoRoot - the repository root
 * @returns the paths, longest first
 */
export function machinePaths(repoRoot: string): string[];

/**
 * Runs the checks on one package's files.
 *
 * @param files - the package's entries
 * @param options - package kind, local paths, which checks
 * @returns one result per check
 */
export function checkPackageFiles(files: readonly PackedFile[], options: CheckOptions): CheckResult[];
