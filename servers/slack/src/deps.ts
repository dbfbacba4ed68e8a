import type { AuditLog, ToolContext } from '@bulwark/runtime';
import type { SlackConfig } from './config.js';
import type { SlackDirectory } from './directory.js';
import type { ChannelPolicy } from './policy.js';
import type { SlackApi } from './slack/api.js';
import type { Identities } from './slack/identity.js';

/** What every Slack tool handler receives. Shared by all connections of one process. */
export interface SlackDeps {
  config: SlackConfig;
  /** The Web API (tokens, retries, error mapping). */
  api: SlackApi;
  /** Lazily learned names of users and conversations. */
  directory: SlackDirectory;
  /** `--channels`, `--allow-post`, `--allow-edit`. */
  policy: ChannelPolicy;
  /** The tokens' `auth.test` identities (who "own messages" are). */
  identities: Identities;
  /** Where writes are recorded. */
  audit: AuditLog;
}

/** The context type every Slack tool handler annotates its second parameter with. */
export type SlackContext = ToolContext<SlackDeps>;
