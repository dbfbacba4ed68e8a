/** A workspace package that is published to npm. */
export interface WorkspacePackage {
  name: string;
  version: string;
  /** Absolute directory. */
  dir: string;
  /** Directory relative to the repository root, `/` separators (`servers/filesystem`). */
  relativeDir: string;
  /** Lives under servers/ (has a bin, server.json and an MCP Bundle manifest). */
  server: boolean;
}

/** A file whose version differs from its package.json. */
export interface VersionDrift {
  /** Relative to the repository root. */
  file: string;
  /** The package.json version it should carry. */
  version: string;
}

/**
 * The packages `changeset publish` would publish (not private), sorted by directory.
 *
 * @param repo - the repository root
 * @returns the packages
 * @throws when pnpm fails
 */
export function listPublishablePackages(repo: string): WorkspacePackage[];

/**
 * Packs a package with `pnpm pack` (publishConfig applied, `workspace:` ranges rewritten).
 *
 * @param dir - the package directory
 * @param destination - where the tarball goes
 * @returns the tarball's path
 * @throws when pnpm fails
 */
export function packPackage(dir: string, destination: string): string;

/**
 * The server names under servers/.
 *
 * @param repo - the repository root
 * @returns names such as `filesystem`
 */
export function listServers(repo: string): string[];

/**
 * Compares (and with `write`, rewrites in place) every `"version"` in each server's server.json and
 * mcpb/manifest.json with its package.json version.
 *
 * @param repo - the repository root
 * @param options - rewrite or only report; which servers (default all)
 * @returns the files that differed
 */
export function syncServerVersions(
  repo: string,
  options: { write: boolean; servers?: readonly string[] },
): VersionDrift[];
