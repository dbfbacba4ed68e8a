import type { Logger } from '@bulwark/runtime';
import type { AnyGitHubTool } from '../tools/define.js';
import type { GitHubClientFactory } from './client.js';

/** How long the startup scope check may take before every tool simply stays listed (milliseconds). */
export const SCOPE_CHECK_TIMEOUT_MS = 15_000;

// A classic scope grants the scopes listed under it (GitHub "Scopes for OAuth apps").
const IMPLIED: Record<string, readonly string[]> = {
  repo: ['public_repo', 'repo:status', 'repo_deployment', 'repo:invite', 'security_events'],
  'admin:org': ['write:org', 'read:org'],
  'write:org': ['read:org'],
  user: ['read:user', 'user:email', 'user:follow'],
  workflow: [],
};

/**
 * Parses `X-OAuth-Scopes` and adds the scopes each one implies.
 *
 * @param header - e.g. `repo, read:org`
 * @returns the granted scopes
 */
export function grantedScopes(header: string): Set<string> {
  const granted = new Set<string>();
  for (const scope of header
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    granted.add(scope);
    for (const implied of IMPLIED[scope] ?? []) granted.add(implied);
  }
  return granted;
}

/**
 * The startup check: `GET /user`, then the names of the tools the token's classic scopes cannot
 * serve (a tool needs one of its `scopes`). Fine-grained and app tokens send no `X-OAuth-Scopes`
 * header; for them nothing is hidden and GitHub answers each call with its own permission error.
 *
 * @param client - the shared Octokit client
 * @param tools - the registered tools
 * @param logger - one info line with the outcome (never the token)
 * @returns names of tools to hide
 * @throws the request error when GitHub cannot be asked (the runtime then hides nothing)
 */
export async function checkTokenScopes(
  client: GitHubClientFactory,
  tools: readonly AnyGitHubTool[],
  logger: Logger,
): Promise<string[]> {
  const octokit = await client();
  const { headers, data } = await octokit.request('GET /user', {
    request: { signal: AbortSignal.timeout(SCOPE_CHECK_TIMEOUT_MS) },
  });
  const header = headers['x-oauth-scopes'];
  if (header === undefined) {
    logger.info(
      `token of ${data.login}: no classic scopes (fine-grained or app token); all tools stay listed`,
    );
    return [];
  }
  const granted = grantedScopes(String(header));
  const hidden = tools
    .filter((tool) => tool.scopes.length > 0 && !tool.scopes.some((scope) => granted.has(scope)))
    .map((tool) => tool.name);
  logger.info(
    `token of ${data.login} has scopes [${[...granted].join(', ')}]${hidden.length ? `; hiding ${hidden.join(', ')}` : ''}`,
  );
  return hidden;
}
