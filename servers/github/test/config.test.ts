import { CliUsageError } from '@bulwark/runtime';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOOLSETS, type GitHubConfig, loadConfig, resolveApiUrl } from '../src/config.js';
import { grantedScopes } from '../src/github/scopes.js';
import { parseRepoPatterns, RepoAllowlist } from '../src/safety/allowlist.js';
import { scopeSearchQuery } from '../src/safety/search-scope.js';
import { selectTools } from '../src/tools/select.js';

const ENV = { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_x' };

function config(argv: string[], env: NodeJS.ProcessEnv = ENV): GitHubConfig {
  return loadConfig(argv, env) as GitHubConfig;
}

describe('loadConfig', () => {
  it('takes the token from the environment only, and refuses positional arguments', () => {
    expect(config([]).token).toBe('ghp_x');
    expect(config([], { GITHUB_TOKEN: 'gho_y' }).token).toBe('gho_y');
    expect(() => loadConfig([], {})).toThrow(/Set GITHUB_PERSONAL_ACCESS_TOKEN/);
    expect(() => loadConfig(['ghp_on_argv'], ENV)).toThrow(CliUsageError);
  });

  it('defaults to read-only context, repos, issues and pull_requests', () => {
    const defaults = config([]);
    expect(defaults).toMatchObject({
      allowWrite: false,
      lockdown: false,
      allowCrossRepoWrites: false,
      waitScale: 1,
    });
    expect(defaults.toolsets).toEqual([...DEFAULT_TOOLSETS]);
    expect(config(['--toolsets', 'default,actions']).toolsets).toEqual([...DEFAULT_TOOLSETS, 'actions']);
    expect(config(['--toolsets', 'all']).toolsets).toHaveLength(6);
    expect(config(['--tools', 'get_me']).toolsets).toEqual([]);
    expect(config([], { ...ENV, GITHUB_TOOLSETS: 'users' }).toolsets).toEqual(['users']);
    expect(() => config(['--toolsets', 'gists'])).toThrow(/Unknown toolset "gists"/);
  });

  it('parses --repos from flags and the environment, and refuses malformed entries', () => {
    expect(config(['--repos', 'Octo/Hello', '--repos', 'acme/*']).repos).toEqual([
      { owner: 'octo', name: 'hello' },
      { owner: 'acme', name: '*' },
    ]);
    expect(config([], { ...ENV, BULWARK_GITHUB_REPOS: 'a/b, c/*' }).repos).toHaveLength(2);
    for (const bad of ['octo', '*/*', 'octo/hello/x', 'octo/..', '-bad/x']) {
      expect(() => parseRepoPatterns([bad]), bad).toThrow(CliUsageError);
    }
  });
});

describe('resolveApiUrl', () => {
  it('maps hosts as GitHub documents them', () => {
    expect(resolveApiUrl(undefined, {})).toBe('https://api.github.com');
    expect(resolveApiUrl('github.com', {})).toBe('https://api.github.com');
    expect(resolveApiUrl('octo.ghe.com', {})).toBe('https://api.octo.ghe.com');
    expect(resolveApiUrl('https://api.octo.ghe.com', {})).toBe('https://api.octo.ghe.com');
    expect(resolveApiUrl('ghe.example.com', {})).toBe('https://ghe.example.com/api/v3');
    expect(resolveApiUrl('https://ghe.example.com/api/v3/', {})).toBe('https://ghe.example.com/api/v3');
    expect(resolveApiUrl(undefined, { GITHUB_HOST: 'ghe.example.com' })).toBe(
      'https://ghe.example.com/api/v3',
    );
    expect(resolveApiUrl(undefined, { GITHUB_API_URL: 'https://ghe.example.com/api/v3/' })).toBe(
      'https://ghe.example.com/api/v3',
    );
  });

  it('lets the flag win over the environment, and GITHUB_API_URL over GITHUB_HOST', () => {
    const env = { GITHUB_API_URL: 'https://a.example/api/v3', GITHUB_HOST: 'b.example' };
    expect(resolveApiUrl('c.example', env)).toBe('https://c.example/api/v3');
    expect(resolveApiUrl(undefined, env)).toBe('https://a.example/api/v3');
  });

  it('requires HTTPS except on loopback, and refuses credentials in the URL', () => {
    expect(resolveApiUrl(undefined, { GITHUB_API_URL: 'http://127.0.0.1:8080' })).toBe(
      'http://127.0.0.1:8080',
    );
    expect(resolveApiUrl(undefined, { GITHUB_API_URL: 'http://[::1]:8080/' })).toBe('http://[::1]:8080');
    expect(resolveApiUrl('http://localhost:9000', {})).toBe('http://localhost:9000/api/v3');
    expect(() => resolveApiUrl(undefined, { GITHUB_API_URL: 'http://api.example.com' })).toThrow(/https/);
    expect(() => resolveApiUrl('http://ghe.example.com', {})).toThrow(/https/);
    expect(() => resolveApiUrl(undefined, { GITHUB_API_URL: 'https://u:p@ghe.example.com' })).toThrow(
      /credentials/,
    );
    expect(() => resolveApiUrl(undefined, { GITHUB_API_URL: 'not a url' })).toThrow(CliUsageError);
  });
});

describe('selectTools', () => {
  const names = (argv: string[]) => selectTools(config(argv)).map((tool) => tool.name);

  it('registers write tools only with --allow-write', () => {
    expect(names([])).toHaveLength(20);
    expect(names(['--allow-write'])).toHaveLength(28);
    expect(names(['--toolsets', 'all', '--allow-write'])).toHaveLength(33);
    expect(names(['--toolsets', 'actions'])).toEqual([
      'list_workflow_runs',
      'get_workflow_run',
      'list_workflow_jobs',
      'get_job_logs',
    ]);
  });

  it('combines --tools and --exclude-tools', () => {
    expect(names(['--tools', 'get_me,search_users'])).toEqual(['get_me', 'search_users']);
    expect(names(['--toolsets', 'issues', '--tools', 'get_me', '--exclude-tools', 'list_labels'])).toEqual([
      'get_me',
      'list_issues',
      'get_issue',
      'search_issues',
    ]);
    expect(() => names(['--tools', 'create_issue'])).toThrow(/needs --allow-write/);
    expect(() => names(['--exclude-tools', 'delete_repo'])).toThrow(/Unknown tool "delete_repo"/);
  });
});

describe('scopeSearchQuery', () => {
  const allowlist = new RepoAllowlist(parseRepoPatterns(['octo/hello', 'acme/*']));

  it('appends the allowlist as scope qualifiers when the query names none', () => {
    expect(scopeSearchQuery(' crash ', allowlist)).toBe('crash repo:octo/hello user:acme');
    expect(scopeSearchQuery('crash', new RepoAllowlist([]))).toBe('crash');
  });

  it('keeps a query whose scopes are all allowed, and refuses any other', () => {
    expect(scopeSearchQuery('x repo:OCTO/hello', allowlist)).toBe('x repo:OCTO/hello');
    expect(scopeSearchQuery('x org:acme -repo:evil/bait', allowlist)).toBe('x org:acme -repo:evil/bait');
    expect(scopeSearchQuery('x user:"acme"', allowlist)).toBe('x user:"acme"');
    for (const query of ['x repo:octo/other', 'x org:octo', 'x repo:octo/hello user:evil', 'x owner:evil']) {
      expect(() => scopeSearchQuery(query, allowlist), query).toThrow(/outside the repositories/);
    }
  });

  it('refuses a scoped query longer than GitHub accepts', () => {
    const many = new RepoAllowlist(
      parseRepoPatterns(Array.from({ length: 20 }, (_, i) => `owner${i}/repository-${i}`)),
    );
    expect(() => scopeSearchQuery('crash', many)).toThrow(/add repo:owner\/name/);
  });
});

describe('grantedScopes', () => {
  it('adds the scopes a classic scope implies', () => {
    expect([...grantedScopes('repo, read:org')]).toEqual(
      expect.arrayContaining(['repo', 'public_repo', 'read:org']),
    );
    expect(grantedScopes('public_repo').has('repo')).toBe(false);
    expect(grantedScopes('').size).toBe(0);
  });
});
