import type { AuditLog, ToolContext } from '@bulwark/runtime';
import type { GitHubConfig } from './config.js';
import type { GitHubClientFactory } from './github/client.js';
import type { RepoInfoCache } from './github/repo-info.js';
import type { RepoAllowlist } from './safety/allowlist.js';
import type { BodyRenderer } from './safety/bodies.js';
import type { SessionGuard } from './safety/session-guard.js';

/** What every GitHub tool handler receives: shared clients and caches, and one session guard per connection. */
export interface GhDeps {
  config: GitHubConfig;
  /** The Octokit client (created on first use, shared by connections). */
  client: GitHubClientFactory;
  /** `--repos`, checked before every request. */
  allowlist: RepoAllowlist;
  /** Visibility and push-access lookups (cached). */
  repos: RepoInfoCache;
  /** Renders authored bodies into the untrusted-content envelope, applying `--lockdown`. */
  bodies: BodyRenderer;
  /** This connection's session guard. */
  session: SessionGuard;
  /** Where writes are recorded. */
  audit: AuditLog;
}

/** The context type every GitHub tool handler annotates its second parameter with. */
export type GhContext = ToolContext<GhDeps>;
