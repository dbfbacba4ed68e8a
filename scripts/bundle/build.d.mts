import type { PackedFile } from '../release/tarball-checks.d.mts';

/** One built bundle. */
export interface BundleResult {
  /** The server, e.g. `filesystem`. */
  name: string;
  /** Absolute path of the .mcpb. */
  file: string;
  /** The manifest's `name`. */
  manifestName: string;
  version: string;
  /** Files in the archive. */
  files: number;
  unpackedBytes: number;
  /** Size of the .mcpb. */
  bytes: number;
  /** Hex SHA-256 of the .mcpb (what an MCP Registry `mcpb` package entry calls fileSha256). */
  sha256: string;
  /** The staging directory, when kept. */
  staging?: string;
}

/** The repository root. */
export const REPO: string;

/** Where `pnpm bundle` writes bundles by default (dist-bundles/). */
export const DEFAULT_OUT_DIR: string;

/** The .mcpbignore lines every bundle gets. */
export const BUNDLE_IGNORE: readonly string[];

/**
 * The servers that have servers/<name>/mcpb/manifest.json.
 *
 * @param repo - the repository root
 * @returns server names, sorted
 */
export function listBundledServers(repo?: string): string[];

/**
 * Stages a server's bundle directory: `pnpm deploy --prod --offline`, pnpm bookkeeping removed,
 * runtime package.json, manifest and .mcpbignore written.
 *
 * @param name - the server
 * @param staging - a directory that does not exist yet
 * @param repo - the repository root
 * @returns the manifest and package.json
 * @throws on a version mismatch, an unbuilt entry point or a failed deploy
 */
export function stageBundle(
  name: string,
  staging: string,
  repo?: string,
): { manifest: Record<string, unknown>; pkg: Record<string, unknown> };

/**
 * The files mcpb would archive from a staged directory.
 *
 * @param staging - the staged directory
 * @returns the files, with archive paths
 */
export function bundleFiles(staging: string): PackedFile[];

/**
 * Checks a staged bundle's files (our code fully, dependencies for this machine's paths).
 *
 * @param files - from `bundleFiles`
 * @param repo - the repository root
 * @returns problems, each `check: path: what`
 */
export function checkBundleFiles(files: readonly PackedFile[], repo?: string): string[];

/**
 * Builds one server's .mcpb: stage, check, validate the manifest, pack.
 *
 * @param name - the server
 * @param options - output directory, keep the staging directory, repository root
 * @returns the bundle and its numbers
 * @throws when any step fails
 */
export function buildBundle(
  name: string,
  options?: { outDir?: string; keep?: boolean; repo?: string },
): Promise<BundleResult>;
