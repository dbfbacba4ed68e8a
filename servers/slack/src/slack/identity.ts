import type { Logger } from '@bulwark/runtime';
import type { SlackApi } from './api.js';

/** Who a token is, from `auth.test` (https://docs.slack.dev/reference/methods/auth.test). */
export interface TokenIdentity {
  /** The user the token acts as (the bot user for a bot token). */
  userId: string;
  /** The bot ID (bot tokens). */
  botId?: string;
  teamId?: string;
  team?: string;
  /** Granted scopes from the `x-oauth-scopes` header; undefined when Slack sent none. */
  scopes?: readonly string[];
}

/**
 * Scopes each tool needs, as groups that must all be met, each met by any one of its scopes (a
 * tool that reads public, private and direct conversations needs the scope of at least one
 * kind). Bot scopes, except `search_messages`, which runs on the user token. Source: the
 * "Required scopes" of each method at https://docs.slack.dev/reference/methods.
 */
export const TOOL_SCOPES: Readonly<Record<string, readonly (readonly string[])[]>> = {
  list_channels: [['channels:read', 'groups:read', 'im:read', 'mpim:read']],
  get_channel_history: [['channels:history', 'groups:history', 'im:history', 'mpim:history']],
  get_thread_replies: [['channels:history', 'groups:history', 'im:history', 'mpim:history']],
  search_messages: [['search:read']],
  get_users: [['users:read']],
  get_user_profile: [['users:read']],
  post_message: [['chat:write']],
  reply_to_thread: [['chat:write']],
  add_reaction: [['reactions:write']],
  remove_reaction: [['reactions:write']],
  // Edits and deletes first read the message to check its author.
  update_message: [['chat:write'], ['channels:history', 'groups:history', 'im:history', 'mpim:history']],
  delete_message: [['chat:write'], ['channels:history', 'groups:history', 'im:history', 'mpim:history']],
};

/** Tools that run on the user token. */
const USER_TOKEN_TOOLS = new Set(['search_messages']);

/**
 * The registered tools a token cannot serve: those whose scope groups are not all met by the
 * scopes `auth.test` reported. Nothing is hidden when the scopes are unknown (no header).
 *
 * @param tools - names of the registered tools
 * @param bot - the bot token's identity
 * @param user - the user token's identity, when one is configured
 * @returns names to hide
 */
export function toolsToHide(
  tools: readonly string[],
  bot: TokenIdentity,
  user: TokenIdentity | undefined,
): string[] {
  return tools.filter((tool) => {
    const groups = TOOL_SCOPES[tool];
    const scopes = USER_TOKEN_TOOLS.has(tool) ? user?.scopes : bot.scopes;
    if (!groups || !scopes) return false;
    return !groups.every((group) => group.some((scope) => scopes.includes(scope)));
  });
}

/**
 * The tokens' identities, learned once with `auth.test` in the background at startup, and asked
 * again on the next use when that failed (a transient outage must not disable edits for good).
 */
export class Identities {
  #bot: Promise<TokenIdentity> | undefined;
  #user: Promise<TokenIdentity> | undefined;

  /**
   * @param api - the Web API
   * @param logger - where a refused token is reported (never the token itself)
   */
  constructor(
    private readonly api: SlackApi,
    private readonly logger: Logger,
  ) {}

  /** The bot token's identity (`auth.test`, once). */
  bot(): Promise<TokenIdentity> {
    this.#bot ??= this.#test('bot').catch((error: unknown) => {
      this.#bot = undefined;
      throw error;
    });
    return this.#bot;
  }

  /** The user token's identity, or undefined without a user token. */
  user(): Promise<TokenIdentity | undefined> {
    if (!this.api.hasUserToken) return Promise.resolve(undefined);
    this.#user ??= this.#test('user').catch((error: unknown) => {
      this.#user = undefined;
      throw error;
    });
    return this.#user;
  }

  /**
   * Runs both `auth.test`s and returns the tools to hide. Logs (to stderr) a refused token.
   *
   * @param tools - the registered tool names
   * @returns names of tools the tokens' scopes do not cover
   */
  async startupCheck(tools: readonly string[]): Promise<string[]> {
    const [bot, user] = await Promise.all([
      this.bot(),
      this.user().catch((error: unknown) => {
        this.logger.warning(`SLACK_USER_TOKEN: ${(error as Error).message}`);
        return undefined;
      }),
    ]).catch((error: unknown) => {
      this.logger.error(`SLACK_BOT_TOKEN: ${(error as Error).message}`);
      throw error;
    });
    const hidden = toolsToHide(tools, bot, user);
    this.logger.info(
      `auth.test: ${bot.userId}${bot.team ? ` in ${bot.team}` : ''}; scopes ${bot.scopes ? bot.scopes.join(',') : 'not reported'}` +
        (hidden.length > 0 ? `; hiding ${hidden.join(', ')}` : ''),
    );
    return hidden;
  }

  async #test(token: 'bot' | 'user'): Promise<TokenIdentity> {
    const result = await this.api.call<{
      user_id?: string;
      bot_id?: string;
      team_id?: string;
      team?: string;
    }>('auth.test', {}, { token });
    return {
      userId: result.user_id ?? '',
      ...(result.bot_id ? { botId: result.bot_id } : {}),
      ...(result.team_id ? { teamId: result.team_id } : {}),
      ...(result.team ? { team: result.team } : {}),
      ...(result.response_metadata?.scopes ? { scopes: result.response_metadata.scopes } : {}),
    };
  }
}
