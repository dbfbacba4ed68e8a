import { describe, expect, it } from 'vitest';
import { bakeSettings, parseCurateArgs, serverOptions, settingFlag } from '../../scripts/curate/curate.mjs';
import { PROFILES } from '../../scripts/curate/profiles.mjs';
import { applyCuratedDefaults, type CuratedDefaults, PolicyError } from '../../scripts/curate/wrapper.mjs';

// The pieces of `pnpm curate` below the end-to-end test: the profiles against the real servers'
// option tables, the command line and curation file, and the wrapper's rules for policy and
// defaults, case by case.

/** A value of each setting type, to bake every setting of every profile once. */
const SAMPLES: Record<string, unknown> = {
  boolean: true,
  string: 'value',
  integer: 7,
  list: ['one', 'two'],
  'env-name': 'ACME_SECRET',
};

describe('profiles', () => {
  it.each(Object.keys(PROFILES))(
    'map every %s setting onto a flag the built server takes, with its type',
    async (server) => {
      const options = await serverOptions(server);
      for (const [key, setting] of Object.entries(PROFILES[server] ?? {})) {
        const { policy, defaults } = bakeSettings(server, { [key]: SAMPLES[setting.type] }, options);
        const flags = { ...policy.flags, ...defaults.flags };
        for (const [flag, value] of Object.entries(flags)) {
          expect(options[flag], `${server}.${key} -> --${flag}`).toBeDefined();
          expect(options[flag]?.type).toBe(typeof value === 'boolean' ? 'boolean' : 'string');
        }
      }
    },
  );

  it('refuse a setting that maps to a flag the server does not have', () => {
    expect(() =>
      bakeSettings('filesystem', { readOnly: true }, { 'max-read-bytes': { type: 'string' } }),
    ).toThrow(/--read-only, which the filesystem server does not take/);
  });
});

describe('parseCurateArgs', () => {
  it('merges flags over the curation file and checks types', () => {
    const parsed = parseCurateArgs([
      '--servers',
      'github,fetch',
      '--scope',
      '@acme',
      '--read-only',
      `--${settingFlag('github', 'repos')}`,
      'acme/api,acme/web',
      `--${settingFlag('fetch', 'denyHosts')}`,
      'ads.example',
      `--no-${settingFlag('fetch', 'allowPrivate')}`,
    ]);
    expect(parsed).toMatchObject({
      help: false,
      curation: {
        scope: '@acme',
        registry: 'https://registry.invalid/',
        servers: {
          github: { readOnly: true, repos: ['acme/api', 'acme/web'] },
          fetch: { denyHosts: ['ads.example'], allowPrivate: false },
        },
      },
    });
  });

  it.each([
    [['--servers', 'filesystem'], /scope/],
    [['--servers', 'ftp', '--scope', '@acme'], /Unknown server "ftp"/],
    [['--servers', 'postgres', '--scope', 'acme'], /@name/],
    [['--servers', 'postgres', '--scope', '@acme', '--postgres-max-rows', 'many'], /whole number/],
    [['--servers', 'github', '--scope', '@acme', '--github-repos', ','], /non-empty list/],
    [['--servers', 'postgres', '--scope', '@acme', '--fetch-proxy', 'http://p'], /not in --servers/],
    [['--servers', 'postgres', '--scope', '@acme', '--bogus'], /Unknown option/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCurateArgs(argv)).toThrow(message);
  });
});

/** A filesystem-like curated package: read-only and roots fixed, a read budget by default. */
const CURATED: CuratedDefaults = {
  package: '@acme/server-files',
  scope: '@acme',
  main: 'dist/main.js',
  options: {
    'read-only': { type: 'boolean', env: 'FS_READ_ONLY' },
    'allow-write': { type: 'boolean', env: 'FS_ALLOW_WRITE' },
    deny: { type: 'string', multiple: true, env: 'FS_DENY' },
    'max-read-bytes': { type: 'string', env: 'FS_MAX_READ_BYTES' },
    help: { type: 'boolean', short: 'h' },
  },
  policy: {
    flags: { 'read-only': true, 'allow-write': false, deny: ['*.key'] },
    positionals: ['/srv/shared'],
    positionalEnv: 'FS_ROOTS',
  },
  defaults: { flags: { 'max-read-bytes': '2048' }, envAliases: { DATABASE_URL: 'ACME_DB' } },
};

describe('applyCuratedDefaults', () => {
  it('adds the policy and the defaults around what the user gave', () => {
    const env: Record<string, string> = {};
    expect(applyCuratedDefaults(CURATED, ['-h'], env)).toEqual({
      argv: ['--read-only', '--deny', '*.key', '--max-read-bytes', '2048', '-h', '--', '/srv/shared'],
      warnings: [],
    });
  });

  it('accepts a user flag equal to the policy and leaves it to the user', () => {
    const { argv } = applyCuratedDefaults(CURATED, ['--read-only', '--deny', '*.key'], {});
    expect(argv.filter((arg) => arg === '--read-only')).toHaveLength(1);
    expect(argv.filter((arg) => arg === '--deny')).toHaveLength(1);
  });

  it.each([
    [['--allow-write'], /--allow-write is fixed by the @acme policy \(off\)/],
    [['--deny', 'other'], /--deny is fixed by the @acme policy \(\*\.key\)/],
    [['--deny', '*.key', '--deny', 'more'], /--deny is fixed/],
    [['/home'], /The @acme policy fixes \/srv\/shared; remove "\/home"/],
  ])('refuses %j', (argv, message) => {
    expect(() => applyCuratedDefaults(CURATED, argv, {})).toThrow(PolicyError);
    expect(() => applyCuratedDefaults(CURATED, argv, {})).toThrow(message);
  });

  it('drops the environment variables a policy fixes, with a warning each', () => {
    const env: Record<string, string | undefined> = {
      FS_ALLOW_WRITE: 'true',
      FS_READ_ONLY: 'false',
      FS_ROOTS: '/',
      FS_DENY: '',
    };
    const { warnings } = applyCuratedDefaults(CURATED, [], env);
    expect(env).toEqual({});
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toBe('ignoring FS_READ_ONLY: --read-only is fixed by the @acme policy (on).');
  });

  it('leaves a default out when the user set its flag or its environment variable', () => {
    expect(applyCuratedDefaults(CURATED, ['--max-read-bytes', '9000'], {}).argv).toEqual([
      '--read-only',
      '--deny',
      '*.key',
      '--max-read-bytes',
      '9000',
      '--',
      '/srv/shared',
    ]);
    expect(applyCuratedDefaults(CURATED, [], { FS_MAX_READ_BYTES: '9000' }).argv).not.toContain('2048');
  });

  it('fills an aliased variable only when it is unset', () => {
    const unset: Record<string, string | undefined> = { ACME_DB: 'postgres://a' };
    applyCuratedDefaults(CURATED, [], unset);
    expect(unset.DATABASE_URL).toBe('postgres://a');
    const set: Record<string, string | undefined> = { ACME_DB: 'postgres://a', DATABASE_URL: 'postgres://b' };
    applyCuratedDefaults(CURATED, [], set);
    expect(set.DATABASE_URL).toBe('postgres://b');
  });

  it('uses default positionals only when the user gave none, after one terminator', () => {
    const curated: CuratedDefaults = {
      ...CURATED,
      policy: { flags: {} },
      defaults: { flags: {}, positionals: ['/data/app.db'], positionalEnv: 'DB_FILE' },
    };
    expect(applyCuratedDefaults(curated, [], {}).argv).toEqual(['--', '/data/app.db']);
    expect(applyCuratedDefaults(curated, ['--'], {}).argv).toEqual(['--', '/data/app.db']);
    expect(applyCuratedDefaults(curated, ['mine.db'], {}).argv).toEqual(['mine.db']);
    expect(applyCuratedDefaults(curated, [], { DB_FILE: 'env.db' }).argv).toEqual([]);
  });

  it('refuses what the server would refuse: unknown flags and missing values', () => {
    expect(() => applyCuratedDefaults(CURATED, ['--bogus'], {})).toThrow(TypeError);
    expect(() => applyCuratedDefaults(CURATED, ['--max-read-bytes'], {})).toThrow(TypeError);
    expect(() => applyCuratedDefaults(CURATED, ['--read-only=false'], {})).toThrow(TypeError);
  });
});
