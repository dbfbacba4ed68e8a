import type { GitHubClientFactory } from './client.js';

/** How long a repository's visibility and an author's push access are remembered (milliseconds). */
export const REPO_INFO_TTL_MS = 5 * 60 * 1000;

/** Push-level permissions in `GET /repos/{owner}/{repo}/collaborators/{username}/permission`. */
const PUSH_PERMISSIONS = new Set(['admin', 'maintain', 'write']);

interface Entry<T> {
  value: Promise<T>;
  until: number;
}

/**
 * Repository facts the safety checks need, fetched on demand and cached for
 * {@link REPO_INFO_TTL_MS}: whether a repository is private (`GET /repos/{owner}/{repo}`; internal
 * repositories count as private) and whether a user can push to it.
 */
export class RepoInfoCache {
  private readonly visibility = new Map<string, Entry<boolean>>();
  private readonly push = new Map<string, Entry<boolean>>();

  /**
   * @param client - the shared Octokit client
   * @param now - clock, for tests
   */
  constructor(
    private readonly client: GitHubClientFactory,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a visibility seen in a response (a pull request's base repository, a search result). */
  remember(owner: string, repo: string, isPrivate: boolean): void {
    this.visibility.set(key(owner, repo), {
      value: Promise.resolve(isPrivate),
      until: this.now() + REPO_INFO_TTL_MS,
    });
  }

  /**
   * Whether a repository is private (or internal).
   *
   * @throws the request error when GitHub cannot be asked (callers fail closed)
   */
  isPrivate(owner: string, repo: string, signal?: AbortSignal): Promise<boolean> {
    return this.cached(this.visibility, key(owner, repo), async () => {
      const octokit = await this.client();
      const { data } = await octokit.request('GET /repos/{owner}/{repo}', {
        owner,
        repo,
        request: { signal },
      });
      return data.private === true || data.visibility === 'internal';
    });
  }

  /**
   * Whether `login` can push to the repository. A repository owner can; anyone else is looked up
   * with `GET /repos/{owner}/{repo}/collaborators/{username}/permission`. Any failure (404 for a
   * non-collaborator, 403 when the token may not ask) answers false.
   */
  canPush(
    owner: string,
    repo: string,
    login: string,
    association: string,
    signal?: AbortSignal,
  ): Promise<boolean> {
    if (association === 'OWNER') return Promise.resolve(true);
    return this.cached(this.push, `${key(owner, repo)} ${login.toLowerCase()}`, async () => {
      try {
        const octokit = await this.client();
        const { data } = await octokit.request(
          'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
          {
            owner,
            repo,
            username: login,
            request: { signal },
          },
        );
        return PUSH_PERMISSIONS.has(data.permission) || data.user?.permissions?.push === true;
      } catch {
        return false;
      }
    });
  }

  private cached<T>(map: Map<string, Entry<T>>, id: string, load: () => Promise<T>): Promise<T> {
    const hit = map.get(id);
    if (hit && hit.until > this.now()) return hit.value;
    const value = load();
    map.set(id, { value, until: this.now() + REPO_INFO_TTL_MS });
    // A failure is not remembered: the next caller asks again.
    value.catch(() => {
      if (map.get(id)?.value === value) map.delete(id);
    });
    return value;
  }
}

function key(owner: string, repo: string): string {
  return `${owner}/${repo}`.toLowerCase();
}
