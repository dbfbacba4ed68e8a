import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { api, line, READ } from './common.js';
import { defineGitHubTool } from './define.js';

/** The token's user and this server's limits. */
export const getMe = defineGitHubTool({
  name: 'get_me',
  title: 'Get me',
  toolset: 'context',
  scopes: [],
  description:
    "The token's user, its classic scopes (null: fine-grained token) and this server's limits: read-only, allowed repositories, lockdown.",
  input: z.object({}),
  output: z.object({
    login: z.string(),
    scopes: z.array(z.string()).nullable(),
    read_only: z.boolean(),
    repos: z.array(z.string()).describe('Allowed repositories; empty: all'),
    lockdown: z.boolean(),
  }),
  annotations: READ,
  async handler(_args, ctx: GhContext) {
    const { gh, request } = await api(ctx);
    const { data, headers } = await gh.request('GET /user', { request });
    const { config, allowlist } = ctx.deps;
    const raw = headers['x-oauth-scopes'];
    const structured = {
      login: line(data.login),
      scopes:
        raw === undefined
          ? null
          : String(raw)
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
      read_only: !config.allowWrite,
      repos: allowlist.patterns.map((p) => `${p.owner}/${p.name}`),
      lockdown: config.lockdown,
    };
    return {
      structured,
      text: [
        structured.login,
        `scopes: ${structured.scopes?.join(', ') ?? 'n/a (fine-grained token)'}`,
        `${structured.read_only ? 'read-only' : 'writes allowed'}; repositories: ${structured.repos.join(', ') || 'all'}${structured.lockdown ? '; lockdown' : ''}`,
      ].join('\n'),
    };
  },
});
