import { ToolError } from '@bulwark/runtime';
import { parseRepo, type RepoAllowlist } from './allowlist.js';

/** GitHub's REST search refuses queries longer than this (characters). */
export const MAX_SEARCH_QUERY = 256;

// A scope qualifier: repo:owner/name, org:name, user:name or owner:name, optionally negated
// (-repo:...) and with a quoted value. Negated ones narrow a search and are left alone.
const SCOPE = /^(-?)(repo|org|user|owner):"?([^"\s]+)"?$/i;

/**
 * Confines a search query to the allowlist, before any request is made. A query that names its
 * own scope (`repo:`, `org:`, `user:`, `owner:`) is accepted only when every scope it names is
 * allowed; a query without one gets a scope qualifier for every allowlist entry appended
 * (`repo:owner/name`, or `user:owner` for `owner/*`; GitHub ORs them). Without an allowlist the
 * query is returned as it is. Results are filtered again afterwards (see `RepoAllowlist.allows`).
 *
 * @param query - the search text as the client gave it
 * @param allowlist - the operator's repositories
 * @returns the query to send
 * @throws ToolError when the query names a repository or owner outside the allowlist, or the
 *   scoped query would exceed {@link MAX_SEARCH_QUERY} characters
 */
export function scopeSearchQuery(query: string, allowlist: RepoAllowlist): string {
  const trimmed = query.trim();
  if (!allowlist.active) return trimmed;
  const scopes = trimmed
    .split(/\s+/)
    .map((token) => SCOPE.exec(token))
    .filter((match): match is RegExpExecArray => match !== null && match[1] === '');
  for (const [, , kind, value] of scopes) {
    const allowed =
      kind?.toLowerCase() === 'repo'
        ? (() => {
            const ref = parseRepo(value ?? '');
            return ref !== undefined && allowlist.allows(ref.owner, ref.repo);
          })()
        : allowlist.allowsOwner(value ?? '');
    if (!allowed) {
      throw new ToolError(
        `The query searches ${kind}:${value}, outside the repositories this server may use (${allowlist.describe()}).`,
      );
    }
  }
  if (scopes.length > 0) return trimmed;
  const qualifiers = allowlist.patterns.map((pattern) =>
    pattern.name === '*' ? `user:${pattern.owner}` : `repo:${pattern.owner}/${pattern.name}`,
  );
  const scoped = `${trimmed} ${qualifiers.join(' ')}`;
  if (scoped.length > MAX_SEARCH_QUERY) {
    throw new ToolError(
      'Scoping this search to every allowed repository makes it longer than GitHub accepts; add repo:owner/name to the query.',
    );
  }
  return scoped;
}
