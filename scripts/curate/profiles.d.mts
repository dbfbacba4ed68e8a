/** Types of profiles.mjs, for the TypeScript tests that import it. */

/** The JSON type of a setting's value in a curation config. */
export type SettingType = 'boolean' | 'string' | 'integer' | 'list' | 'env-name';

/** What one setting becomes on the server's command line. */
export interface SettingArgs {
  flags: Record<string, boolean | string | string[]>;
  positionals?: string[];
  envAliases?: Record<string, string>;
}

/** One curatable setting of one server. */
export interface Setting {
  kind: 'policy' | 'default';
  type: SettingType;
  help: string;
  toArgs(value: unknown): SettingArgs;
  positionalEnv?: string;
  nonEmpty?: boolean;
}

/** The curatable settings of every server, by server folder name and setting key. */
export declare const PROFILES: Record<string, Record<string, Setting>>;
/** The environment variables that carry each server's secrets. */
export declare const SECRETS: Record<string, { name: string; help: string }[]>;
/** Checks and normalises one setting's value; throws naming the setting and the expected type. */
export declare function checkSettingValue(where: string, setting: Setting, value: unknown): unknown;
