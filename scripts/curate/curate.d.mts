/** Types of curate.mjs, for the TypeScript tests that import it. */
import type { CuratedDefaults, CuratedOption } from './wrapper.mjs';

/** Where packages say they publish until the organisation names its registry. */
export declare const PLACEHOLDER_REGISTRY: string;

/** A validated curation: scope, registry, version suffix and settings by server. */
export interface Curation {
  scope: string;
  registry: string;
  versionSuffix: string | undefined;
  servers: Record<string, Record<string, unknown>>;
}

/** One baked setting, as the generated README lists it. */
export interface BakedSetting {
  key: string;
  kind: 'policy' | 'default';
  value: unknown;
  help: string;
  effect: string;
  override?: string;
}

/** The flag that sets one server's setting, e.g. `filesystem-roots`. */
export declare function settingFlag(server: string, key: string): string;
/** Parses the command line and merges it over the --config file. */
export declare function parseCurateArgs(
  argv: string[],
  cwd?: string,
): { help: true } | { help: false; curation: Curation; out: string; build: boolean; pack: boolean };
/** The server's full option table as its bin parses it. */
export declare function serverOptions(server: string): Promise<Record<string, CuratedOption>>;
/** Turns one server's settings into the wrapper's defaults.json sections. */
export declare function bakeSettings(
  server: string,
  settings: Record<string, unknown>,
  options: Record<string, CuratedOption>,
): {
  policy: CuratedDefaults['policy'];
  defaults: CuratedDefaults['defaults'];
  baked: BakedSetting[];
  secrets: { name: string; help: string }[];
};
