/** Types of packed-app.mjs, for the TypeScript test that imports it. */

/** Every published server, by its directory in the workspace. */
export declare const SERVER_DIRS: readonly string[];
/** The packages the app installs: the servers and the shared packages they depend on. */
export declare const PACKAGES: readonly string[];
/** The official filesystem server, the yardstick of the startup bench. */
export declare const OFFICIAL_FILESYSTEM: string;

/** One packed server: its package name, the name of its bin and its tarball's path. */
export interface PackedServer {
  name: string;
  bin: string;
  tarball: string;
}

/** The version of a registry package that test/package.json pins. */
export declare function pinnedVersion(repo: string, name: string): string;

/** Packs the workspace packages and writes the app that depends on every server tarball. */
export declare function preparePackedApp(
  repo: string,
  work: string,
  options?: { registry?: Record<string, string> },
): Promise<{ app: string; tarballs: string; servers: PackedServer[] }>;

/** Installs the app outside the workspace, offline (pnpm's cache only) or not. */
export declare function installPackedApp(app: string, options: { offline: boolean }): Promise<void>;
