/** Types of wrapper.mjs (a curated package's bin), for the TypeScript tests that import it. */

/** One option of a server's command-line table, as defaults.json stores it. */
export interface CuratedOption {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  env?: string;
}

/** A curated package's curated/defaults.json. */
export interface CuratedDefaults {
  package: string;
  scope: string;
  main: string;
  options: Record<string, CuratedOption>;
  policy: {
    flags: Record<string, boolean | string | string[]>;
    positionals?: string[];
    positionalEnv?: string;
  };
  defaults: {
    flags: Record<string, boolean | string | string[]>;
    positionals?: string[];
    positionalEnv?: string;
    envAliases?: Record<string, string>;
  };
}

/** A command line the policy does not allow. */
export declare class PolicyError extends Error {}

/** Applies the curated policy and defaults to a command line and (in place) an environment. */
export declare function applyCuratedDefaults(
  curated: CuratedDefaults,
  argv: string[],
  env: Record<string, string | undefined>,
): { argv: string[]; warnings: string[] };
