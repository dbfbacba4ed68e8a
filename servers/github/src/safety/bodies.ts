import { sanitizeName, wrapUntrusted } from '@bulwark/hardening';
import type { RepoInfoCache } from '../github/repo-info.js';
import type { RepoRef } from './allowlist.js';

/** `author_association` values whose text is marked trusted: the owner, org members and collaborators. */
export const TRUSTED_ASSOCIATIONS: ReadonlySet<string> = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/** One piece of text someone wrote on GitHub: an issue or pull request body, a comment, a review. */
export interface AuthoredText {
  /** Where it is, e.g. `octo/repo#12` or `octo/repo#12 comment 1234`. */
  source: string;
  /** The author's login (`ghost` when the account is gone). */
  author: string | undefined;
  /** GitHub's `author_association` (`OWNER`, `MEMBER`, `COLLABORATOR`, `CONTRIBUTOR`, `NONE`, ...). */
  association: string | undefined;
  /** The text; null or empty when there is none. */
  body: string | null | undefined;
}

/** How an authored text is shown: who wrote it and its body inside the untrusted-content envelope. */
export interface RenderedText {
  author: string;
  author_association: string;
  /** True for OWNER, MEMBER and COLLABORATOR. */
  trusted: boolean;
  /** The envelope (see `wrapUntrusted`), or null when empty or withheld. */
  body: string | null;
  /** Present and true when `--lockdown` withheld the body. */
  withheld?: boolean;
}

/**
 * Renders issue, pull request, review and comment bodies. Each body is cleaned of hidden
 * characters and wrapped in the untrusted-content envelope, whose attributes name the source, the
 * author, the `author_association` and the trusted flag. With `--lockdown`, in a public repository
 * (or one whose visibility cannot be read), the body of every author without push access is
 * withheld; author and metadata stay.
 */
export class BodyRenderer {
  /**
   * @param lockdown - `--lockdown`
   * @param repos - visibility and push-access lookups
   */
  constructor(
    private readonly lockdown: boolean,
    private readonly repos: RepoInfoCache,
  ) {}

  /**
   * @param ref - the repository the texts belong to
   * @param texts - the texts, in order
   * @param signal - the call's abort signal
   * @returns one rendering per text, in the same order
   */
  async render(ref: RepoRef, texts: readonly AuthoredText[], signal?: AbortSignal): Promise<RenderedText[]> {
    const withhold =
      this.lockdown && !(await this.repos.isPrivate(ref.owner, ref.repo, signal).catch(() => false));
    return Promise.all(
      texts.map(async (text) => {
        const login = text.author ?? 'ghost';
        // The login is shown cleaned; the lookup below uses it as GitHub sent it.
        const author = sanitizeName(login).name;
        const association = text.association ?? 'NONE';
        const trusted = TRUSTED_ASSOCIATIONS.has(association);
        const rendered = { author, author_association: association, trusted };
        if (withhold && !(await this.repos.canPush(ref.owner, ref.repo, login, association, signal))) {
          return { ...rendered, body: null, withheld: true };
        }
        if (!text.body) return { ...rendered, body: null };
        const envelope = wrapUntrusted(text.body, {
          source: text.source,
          author,
          author_association: association,
          trusted: String(trusted),
        });
        return { ...rendered, body: envelope };
      }),
    );
  }
}
