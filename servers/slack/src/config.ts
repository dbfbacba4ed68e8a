import path from 'node:path';
import { type CliOption, CliUsageError, parseCommandLine, parseWholeNumberOption } from '@bulwark/runtime';
import { type ChannelEntry, parseChannelEntries } from './policy.js';

/** Everything the operator can set for the Slack server. Tokens come only from the environment. */
export interface SlackConfig {
  /** Bot token (`xoxb-...`) from `SLACK_BOT_TOKEN`. Never logged. */
  botToken: string;
  /** Optional user token (`xoxp-...`) from `SLACK_USER_TOKEN`; enables `search_messages`. Never logged. */
  userToken?: string;
  /** Web API base URL ending in `/` (default `https://slack.com/api/`; GovSlack: `https://slack-gov.com/api/`). */
  apiUrl: string;
  /** `team_id` sent with every call (org-wide apps on Enterprise Grid), from `SLACK_TEAM_ID`. */
  teamId?: string;
  /** `--channels`: the only conversations any tool reads or writes; `undefined` means all the token can see. */
  channels?: ChannelEntry[];
  /** `--allow-post`: conversations where posting, replying and reactions are allowed; `'*'` all; `undefined` none. */
  allowPost?: ChannelEntry[] | '*';
  /** `--allow-edit`: `update_message` and `delete_message` on the token's own messages, where posting is allowed. */
  allowEdit: boolean;
  /** `--unfurl`: let Slack unfurl links and media in posted messages. */
  unfurl: boolean;
  /** `--audit-log`: absolute path of the JSON-lines audit log; `undefined` logs to stderr. */
  auditLog?: string;
  /** Times one call is retried after HTTP 429 (`--max-retries`, default 3). */
  maxRetries: number;
  /** Longest `Retry-After`, in seconds, that is waited out instead of reported (`--max-retry-wait`, default 30). */
  maxRetryWaitSeconds: number;
  /** Milliseconds one HTTP request to Slack may take (`--timeout` seconds, default 30). */
  timeoutMs: number;
}

/** The command-line table (flags override the environment variables named here). */
export const CLI_OPTIONS: Record<string, CliOption> = {
  channels: {
    type: 'string',
    multiple: true,
    env: 'BULWARK_SLACK_CHANNELS',
    help: 'Only these conversations are read or written: IDs (C0123ABCD), #names or @users; comma-separated or repeated.',
  },
  'allow-post': {
    type: 'string',
    multiple: true,
    env: 'BULWARK_SLACK_ALLOW_POST',
    help: "Allow posting, replying and reactions in these conversations ('*' for all); off by default.",
  },
  'allow-edit': {
    type: 'boolean',
    env: 'BULWARK_SLACK_ALLOW_EDIT',
    help: "Allow editing and deleting the token's own messages where posting is allowed (needs --allow-post).",
  },
  unfurl: {
    type: 'boolean',
    env: 'BULWARK_SLACK_UNFURL',
    help: 'Let Slack unfurl links and media in posted messages (off by default).',
  },
  'audit-log': {
    type: 'string',
    env: 'BULWARK_SLACK_AUDIT_LOG',
    help: 'Append one JSON line per write to this file (default: stderr).',
  },
  'api-url': {
    type: 'string',
    env: 'SLACK_API_URL',
    help: 'Slack Web API base URL (default https://slack.com/api/; GovSlack: https://slack-gov.com/api/).',
  },
  'max-retries': {
    type: 'string',
    env: 'BULWARK_SLACK_MAX_RETRIES',
    help: 'Retries of a call that Slack rate-limits (default 3).',
  },
  'max-retry-wait': {
    type: 'string',
    env: 'BULWARK_SLACK_MAX_RETRY_WAIT',
    help: 'Longest Retry-After in seconds that is waited out; longer ones are reported at once (default 30).',
  },
  timeout: {
    type: 'string',
    env: 'BULWARK_SLACK_TIMEOUT',
    help: 'Seconds one request to Slack may take (default 30).',
  },
  help: { type: 'boolean', short: 'h', help: 'Show this help.' },
  version: { type: 'boolean', short: 'v', help: 'Show the version.' },
};

/** Usage line for `--help`. */
export const USAGE =
  'bulwark-server-slack [options]   (SLACK_BOT_TOKEN=xoxb-... required; SLACK_USER_TOKEN=xoxp-... optional)';

/** The public Slack Web API. */
export const DEFAULT_API_URL = 'https://slack.com/api/';

/**
 * Builds the configuration from argv and the environment. Tokens are read only from
 * `SLACK_BOT_TOKEN` and `SLACK_USER_TOKEN` (argv is visible to every user through `ps`).
 *
 * @param argv - arguments after the script
 * @param env - environment
 * @returns the config, or `{ help: true }` / `{ version: true }` when those were asked for
 * @throws CliUsageError for unknown flags, positional arguments, a missing or malformed token, a
 *   malformed channel entry, `--allow-edit` without `--allow-post`, bad numbers, or an API URL that
 *   would send the token in clear text to another host
 */
export function loadConfig(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): SlackConfig | { help: true } | { version: true } {
  const { values, positionals } = parseCommandLine(CLI_OPTIONS, argv, env);
  if (values.help) return { help: true };
  if (values.version) return { version: true };
  if (positionals.length > 0) {
    throw new CliUsageError(`Unexpected argument "${positionals[0]}"; the server takes options only.`);
  }
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  if (!botToken)
    throw new CliUsageError('Set SLACK_BOT_TOKEN to the bot token (xoxb-...) of your Slack app.');
  if (!botToken.startsWith('xoxb-')) {
    throw new CliUsageError('SLACK_BOT_TOKEN must be a bot token (it starts with xoxb-).');
  }
  const userToken = env.SLACK_USER_TOKEN?.trim() || undefined;
  if (userToken && !userToken.startsWith('xoxp-')) {
    throw new CliUsageError('SLACK_USER_TOKEN must be a user token (it starts with xoxp-).');
  }
  const channels = listOption(values.channels);
  const allowPost = listOption(values['allow-post']);
  const allowEdit = values['allow-edit'] === true;
  if (allowEdit && !allowPost) throw new CliUsageError('--allow-edit needs --allow-post.');
  const auditLog = typeof values['audit-log'] === 'string' ? path.resolve(values['audit-log']) : undefined;
  const teamId = env.SLACK_TEAM_ID?.trim() || undefined;
  return {
    botToken,
    ...(userToken ? { userToken } : {}),
    apiUrl: apiUrlOf(values['api-url']),
    ...(teamId ? { teamId } : {}),
    ...(channels ? { channels: entriesOf(channels, '--channels', false) as ChannelEntry[] } : {}),
    ...(allowPost ? { allowPost: entriesOf(allowPost, '--allow-post', true) } : {}),
    allowEdit,
    unfurl: values.unfurl === true,
    ...(auditLog ? { auditLog } : {}),
    maxRetries: parseWholeNumberOption(values['max-retries'], '--max-retries', 0, 10, 3),
    maxRetryWaitSeconds: parseWholeNumberOption(values['max-retry-wait'], '--max-retry-wait', 0, 600, 30),
    timeoutMs: parseWholeNumberOption(values.timeout, '--timeout', 1, 300, 30) * 1000,
  };
}

/** Flattens a repeated, comma-separated option; `undefined` when it was not given. */
function listOption(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const list = (Array.isArray(raw) ? raw : [String(raw)])
    .flatMap((item) => String(item).split(','))
    .map((item) => item.trim())
    .filter(Boolean);
  return list;
}

function entriesOf(list: string[], flag: string, allowAll: boolean): ChannelEntry[] | '*' {
  if (allowAll && list.includes('*')) {
    if (list.length > 1) throw new CliUsageError(`${flag} '*' cannot be combined with channel names.`);
    return '*';
  }
  if (list.length === 0) throw new CliUsageError(`${flag} needs at least one channel.`);
  try {
    return parseChannelEntries(list);
  } catch (error) {
    throw new CliUsageError(`${flag}: ${(error as Error).message}`);
  }
}

/**
 * The API base URL: https anywhere, http only to a loopback host (tests), so the token never
 * crosses a network in clear text.
 */
function apiUrlOf(raw: unknown): string {
  if (typeof raw !== 'string' || raw === '') return DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliUsageError(`SLACK_API_URL is not a URL: "${raw}".`);
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new CliUsageError(
      'SLACK_API_URL must use https (plain http is accepted for 127.0.0.1, ::1 and localhost only).',
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new CliUsageError('SLACK_API_URL must not carry credentials, a query or a fragment.');
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}
