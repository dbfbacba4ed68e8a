// What an organisation can bake into each curated server, in its own words (`readOnly`, `roots`,
// `repos`, ...), and how each setting becomes the server's own command line. Every setting is
// either a POLICY (fixed: the wrapper refuses a user flag that contradicts it and drops the
// environment variable that would change it) or a DEFAULT (used when the user gives neither the
// flag nor its environment variable). Security boundaries are policies; conveniences are defaults.
//
// `toArgs(value)` returns `{ flags, positionals?, envAliases? }`:
//   flags       - long flag name (as in the server's src/config.ts CLI_OPTIONS) to value: `true`
//                 or `false` for a boolean flag (`false` = may not be turned on), a string, or a
//                 list for a repeatable flag (`[]` = may not be given at all)
//   positionals - the server's positional arguments (filesystem roots, the SQLite file)
//   envAliases  - environment variable to fill from another one when it is unset (a secret
//                 such as DATABASE_URL stays in the environment, under the organisation's name)

/** @typedef {'boolean' | 'string' | 'integer' | 'list' | 'env-name'} SettingType */

/**
 * @typedef {object} Setting
 * @property {'policy' | 'default'} kind - fixed by the organisation, or a default users may override
 * @property {SettingType} type - the JSON type of the value in a curation config
 * @property {string} help - one line for the generated README and `pnpm curate --help`
 * @property {(value: any) => { flags: Record<string, boolean | string | string[]>, positionals?: string[], envAliases?: Record<string, string> }} toArgs
 * @property {string} [positionalEnv] - the variable the server reads its positionals from when none are given
 * @property {boolean} [nonEmpty] - an allowlist whose empty value would mean "no restriction"
 */

const flag = (name) => (value) => ({ flags: { [name]: value } });
const text = (name) => (value) => ({ flags: { [name]: String(value) } });
// `readOnly: true` turns a write switch off for good; `readOnly: false` leaves it to the user.
const noWrites =
  (...names) =>
  (value) => ({
    flags: value ? Object.fromEntries(names.map((name) => [name, false])) : {},
  });

/**
 * The curatable settings of every server, by server folder name and setting key.
 *
 * @type {Record<string, Record<string, Setting>>}
 */
export const PROFILES = {
  filesystem: {
    readOnly: {
      kind: 'policy',
      type: 'boolean',
      help: 'Every root is read-only and no write tool is offered.',
      toArgs: (value) => ({ flags: value ? { 'read-only': true } : {} }),
    },
    roots: {
      kind: 'policy',
      type: 'list',
      help: "The only directories the server may access (DIR or DIR:ro; ~/ is each user's home).",
      nonEmpty: true,
      toArgs: (value) => ({ flags: {}, positionals: value }),
      positionalEnv: 'BULWARK_FS_ROOTS',
    },
    deny: {
      kind: 'policy',
      type: 'list',
      help: 'Extra gitignore-style patterns refused on top of the built-in secret deny list.',
      toArgs: flag('deny'),
    },
    maxReadBytes: {
      kind: 'default',
      type: 'integer',
      help: 'Bytes one text read returns.',
      toArgs: text('max-read-bytes'),
    },
  },
  postgres: {
    readOnly: {
      kind: 'policy',
      type: 'boolean',
      help: 'No execute tool and no EXPLAIN ANALYZE: --allow-write cannot be given.',
      toArgs: noWrites('allow-write'),
    },
    databaseUrlEnv: {
      kind: 'default',
      type: 'env-name',
      help: 'Environment variable holding the connection string, used when DATABASE_URL is unset.',
      toArgs: (value) => ({ flags: {}, envAliases: { DATABASE_URL: value } }),
    },
    sslMode: {
      kind: 'policy',
      type: 'string',
      help: 'TLS mode of the database connection (disable, prefer, require, verify-ca, verify-full).',
      toArgs: text('ssl-mode'),
    },
    searchPath: {
      kind: 'default',
      type: 'list',
      help: 'Schemas on the search_path of every transaction.',
      toArgs: (value) => ({ flags: { 'search-path': value.join(',') } }),
    },
    maxRows: { kind: 'default', type: 'integer', help: 'Rows in one result page.', toArgs: text('max-rows') },
    timeout: {
      kind: 'default',
      type: 'integer',
      help: 'statement_timeout in seconds.',
      toArgs: text('timeout'),
    },
  },
  sqlite: {
    readOnly: {
      kind: 'policy',
      type: 'boolean',
      help: 'The database is opened read-only and execute is not offered: --allow-write cannot be given.',
      toArgs: noWrites('allow-write', 'create'),
    },
    database: {
      kind: 'default',
      type: 'string',
      help: 'The SQLite file served when the user names none.',
      toArgs: (value) => ({ flags: {}, positionals: [value] }),
      positionalEnv: 'BULWARK_SQLITE_DB',
    },
    maxRows: { kind: 'default', type: 'integer', help: 'Rows in one result page.', toArgs: text('max-rows') },
    timeout: {
      kind: 'default',
      type: 'integer',
      help: 'Seconds one statement may run.',
      toArgs: text('timeout'),
    },
  },
  github: {
    readOnly: {
      kind: 'policy',
      type: 'boolean',
      help: 'No write tools: --allow-write and --allow-cross-repo-writes cannot be given.',
      toArgs: noWrites('allow-write', 'allow-cross-repo-writes'),
    },
    repos: {
      kind: 'policy',
      type: 'list',
      help: 'The only repositories reachable (owner/name or owner/*).',
      nonEmpty: true,
      toArgs: flag('repos'),
    },
    lockdown: {
      kind: 'policy',
      type: 'boolean',
      help: 'Withhold public-repository bodies by authors without push access.',
      toArgs: flag('lockdown'),
    },
    host: {
      kind: 'policy',
      type: 'string',
      help: 'GitHub Enterprise Server or ghe.com host.',
      toArgs: text('gh-host'),
    },
    toolsets: {
      kind: 'default',
      type: 'list',
      help: 'Toolsets offered when the user names none.',
      toArgs: flag('toolsets'),
    },
  },
  slack: {
    readOnly: {
      kind: 'policy',
      type: 'boolean',
      help: 'No posting, replying, reacting or editing: --allow-post and --allow-edit cannot be given.',
      toArgs: (value) => ({ flags: value ? { 'allow-post': [], 'allow-edit': false } : {} }),
    },
    channels: {
      kind: 'policy',
      type: 'list',
      help: 'The only conversations read or written (IDs, #names or @users).',
      nonEmpty: true,
      toArgs: flag('channels'),
    },
    allowPost: {
      kind: 'policy',
      type: 'list',
      help: "Conversations where posting is allowed ('*' for all); [] forbids posting.",
      toArgs: flag('allow-post'),
    },
  },
  fetch: {
    allowHosts: {
      kind: 'policy',
      type: 'list',
      help: 'Hosts, *.suffix, IPs or CIDR ranges reachable even when not public (intranet).',
      toArgs: flag('allow-host'),
    },
    denyHosts: {
      kind: 'policy',
      type: 'list',
      help: 'Hosts, *.suffix, IPs or CIDR ranges never fetched.',
      toArgs: flag('deny-host'),
    },
    allowPrivate: {
      kind: 'policy',
      type: 'boolean',
      help: 'Private address ranges reachable (true) or never (false).',
      toArgs: flag('allow-private'),
    },
    proxy: {
      kind: 'policy',
      type: 'string',
      help: 'HTTP(S) proxy every fetch goes through.',
      toArgs: text('proxy'),
    },
    userAgent: {
      kind: 'default',
      type: 'string',
      help: 'User-Agent header sent with every request.',
      toArgs: text('user-agent'),
    },
  },
};

/**
 * The environment variables that carry each server's secrets (never baked into a package, never
 * passed on argv): what a host config must set. A `databaseUrlEnv` default adds its own name.
 *
 * @type {Record<string, { name: string, help: string }[]>}
 */
export const SECRETS = {
  filesystem: [],
  postgres: [{ name: 'DATABASE_URL', help: 'connection string, postgres://user@host:5432/db' }],
  sqlite: [],
  github: [{ name: 'GITHUB_PERSONAL_ACCESS_TOKEN', help: 'a fine-grained token (or GITHUB_TOKEN)' }],
  slack: [{ name: 'SLACK_BOT_TOKEN', help: 'the bot token (xoxb-...) of your Slack app' }],
  fetch: [],
};

/**
 * Checks one setting's value against its declared type.
 *
 * @param {string} where - `server.key`, for the message
 * @param {Setting} setting - the profile entry
 * @param {unknown} value - the value from the config or the command line
 * @returns {unknown} the value, normalised (integers from strings, lists from comma-separated text)
 * @throws Error naming the setting and the expected type
 */
export function checkSettingValue(where, setting, value) {
  const fail = (expected) => {
    throw new Error(`${where} must be ${expected}, not ${JSON.stringify(value)}.`);
  };
  switch (setting.type) {
    case 'boolean':
      if (typeof value !== 'boolean') fail('true or false');
      return value;
    case 'string':
      if (typeof value !== 'string' || value.trim() === '') fail('a non-empty string');
      return value.trim();
    case 'integer': {
      const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
      if (!Number.isSafeInteger(number) || number < 1) fail('a whole number of at least 1');
      return number;
    }
    case 'env-name':
      if (typeof value !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value))
        fail('an environment variable name');
      return value;
    case 'list': {
      const list = typeof value === 'string' ? value.split(',') : value;
      if (!Array.isArray(list) || list.some((entry) => typeof entry !== 'string')) fail('a list of strings');
      const entries = list.map((entry) => entry.trim()).filter((entry) => entry !== '');
      if (setting.nonEmpty && entries.length === 0)
        fail('a non-empty list (an empty allowlist restricts nothing)');
      return entries;
    }
    default:
      throw new Error(`${where} has an unknown type ${setting.type}.`);
  }
}
