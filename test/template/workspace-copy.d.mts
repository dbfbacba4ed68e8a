/** Types of workspace-copy.mjs, for the TypeScript test that imports it. */

/** Workspace package directories named by pnpm-workspace.yaml, relative to `repo`. */
export declare function workspacePackages(repo: string): string[];

/** Copies what `pnpm new-server` needs from `repo` into the empty directory `target`. */
export declare function copyWorkspace(repo: string, target: string): void;

/** The server name the template test generates, and `pnpm template:lock` before it. */
export declare const TEMPLATE_CHECK_NAME: string;

/** The committed pnpm-lock.yaml importer block of that server, relative to the workspace root. */
export declare const TEMPLATE_IMPORTER_FILE: string;

/** The template manifest's dependency specifiers by package name. */
export declare function templateSpecifiers(repo: string): Record<string, string>;

/** The dependency specifiers an importer block records, by package name. */
export declare function importerSpecifiers(block: string): Record<string, string>;

/** One line naming how a recorded importer block differs from the template, or undefined. */
export declare function importerMismatch(repo: string, block: string): string | undefined;

/** The lockfile's text with the importer block added in pnpm's sorted place; throws on a duplicate. */
export declare function addImporter(lockfile: string, block: string): string;
