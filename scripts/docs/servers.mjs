// What the README generator needs to know about each server: how to start its built bin (the
// fixtures and loopback fakes it needs, from @bulwark/testkit) and which configurations change the
// set of tools it lists. The tools themselves are never listed here: they come from the running
// bin. Modes go from the default up; a tool's "enabled by" is the label of the first mode that
// lists it, and the last mode must list every tool any mode lists (tools-table.mjs checks both).
import path from 'node:path';
import {
  createSampleSqlite,
  createTempTree,
  fakeGitHub,
  SLACK_TEST_BOT_TOKEN,
  SLACK_TEST_USER_TOKEN,
  startGitHubApi,
  startSlackApi,
  startTestPostgres,
} from '../../shared/testkit/dist/index.js';

/** A token-shaped placeholder; the loopback GitHub API accepts any token. */
const GITHUB_TOKEN = 'ghp_bulwarkDocsToken0000000000000000000000';

/** The toolsets of the GitHub server, in its own order (`--toolsets NAME` must accept each). */
const GITHUB_TOOLSETS = ['context', 'repos', 'issues', 'pull_requests', 'actions', 'users'];

const code = (text) => `\`${text}\``;

/**
 * The servers whose READMEs carry generated sections, in the order `pnpm docs` processes them.
 * Each entry: `name` (the folder under servers/), `setup()` (starts what the bin needs and
 * returns `{ context, close }`), `modes(context)` (`{ label, args, env? }`, where `label` may be a
 * function of the tool's group), and optionally `groups` (`{ header, names, run(name, context) }`:
 * one run per group names the group of every tool).
 */
export const DOC_SERVERS = [
  {
    name: 'filesystem',
    async setup() {
      const tree = await createTempTree({ 'notes.txt': 'docs\n' }, 'bulwark-docs-');
      return { context: { dir: tree.dir }, close: () => tree.remove() };
    },
    modes: ({ dir }) => [
      { label: 'always', args: ['--read-only', dir] },
      { label: `without ${code('--read-only')}`, args: [dir] },
    ],
  },
  {
    name: 'sqlite',
    async setup() {
      const tree = await createTempTree({}, 'bulwark-docs-');
      const file = path.join(tree.dir, 'sample.sqlite');
      await createSampleSqlite(file);
      return { context: { file }, close: () => tree.remove() };
    },
    modes: ({ file }) => [
      { label: 'always', args: [file] },
      { label: code('--allow-write'), args: ['--allow-write', file] },
    ],
  },
  {
    name: 'postgres',
    async setup() {
      const database = await startTestPostgres();
      return { context: { env: { DATABASE_URL: database.url } }, close: () => database.close() };
    },
    modes: ({ env }) => [
      { label: 'always', args: [], env },
      { label: code('--allow-write'), args: ['--allow-write'], env },
    ],
  },
  {
    name: 'fetch',
    async setup() {
      return { context: {}, close: async () => {} };
    },
    modes: () => [{ label: 'always', args: [] }],
  },
  {
    name: 'github',
    async setup() {
      // The fake grants the classic `repo` scope, so the startup scope check hides no tool.
      const api = await startGitHubApi(fakeGitHub());
      return {
        context: { env: { GITHUB_API_URL: api.url, GITHUB_PERSONAL_ACCESS_TOKEN: GITHUB_TOKEN } },
        close: () => api.close(),
      };
    },
    modes: ({ env }) => [
      { label: 'default', args: [], env },
      { label: code('--allow-write'), args: ['--allow-write'], env },
      { label: (group) => code(`--toolsets ${group}`), args: ['--toolsets', 'all'], env },
      {
        label: (group) => `${code(`--toolsets ${group}`)} and ${code('--allow-write')}`,
        args: ['--toolsets', 'all', '--allow-write'],
        env,
      },
    ],
    groups: {
      header: 'toolset',
      names: GITHUB_TOOLSETS,
      run: (name, { env }) => ({ args: ['--toolsets', name, '--allow-write'], env }),
    },
  },
  {
    name: 'slack',
    async setup() {
      // The test workspace's tokens hold every scope the server asks for, so none is hidden.
      const api = await startSlackApi({ record: false });
      return {
        context: { env: { SLACK_API_URL: api.url, SLACK_BOT_TOKEN: SLACK_TEST_BOT_TOKEN } },
        close: () => api.close(),
      };
    },
    modes: ({ env }) => {
      const withUser = { ...env, SLACK_USER_TOKEN: SLACK_TEST_USER_TOKEN };
      return [
        { label: 'always', args: [], env },
        { label: code('SLACK_USER_TOKEN'), args: [], env: withUser },
        { label: code('--allow-post'), args: ['--allow-post', '*'], env: withUser },
        {
          label: `${code('--allow-post')} and ${code('--allow-edit')}`,
          args: ['--allow-post', '*', '--allow-edit'],
          env: withUser,
        },
      ];
    },
  },
];
