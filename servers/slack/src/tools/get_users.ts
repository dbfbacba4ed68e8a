import { READ_ONLY_OPEN_WORLD, sanitizeName, wrapUntrusted } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { SlackContext } from '../deps.js';
import type { SlackUser } from '../slack/types.js';
import { cursorArg, decodePage, encodePage, nextPage, pageOutput } from './schemas.js';

/** A user in listings. */
export const userSchema = z.object({
  id: z.string(),
  handle: z.string().optional().describe('The username (name)'),
  display_name: z.string().describe('Display name, else real name, else handle'),
  real_name: z.string().optional(),
  is_bot: z.boolean(),
  is_admin: z.boolean().optional(),
  deleted: z.boolean().optional(),
  tz: z.string().optional().describe('IANA time zone'),
});

/** The listing form of a user object. */
export function userOut(user: SlackUser, display: string): z.infer<typeof userSchema> {
  return {
    id: user.id as string,
    ...(user.name ? { handle: sanitizeName(user.name).name } : {}),
    display_name: display,
    ...(user.real_name || user.profile?.real_name
      ? { real_name: sanitizeName((user.real_name || user.profile?.real_name) as string).name }
      : {}),
    is_bot: user.is_bot === true,
    ...(user.is_admin ? { is_admin: true } : {}),
    ...(user.deleted ? { deleted: true } : {}),
    ...(user.tz ? { tz: sanitizeName(user.tz).name } : {}),
  };
}

/** Lists the workspace's users, one Slack page at a time. */
export const getUsers = defineTool({
  name: 'get_users',
  title: 'List users',
  description:
    'Lists the users of the workspace with ID, handle, display and real name, bot and admin flags and time zone. Deactivated users are left out unless include_deleted. Returns one Slack page of at most limit users (a page may hold fewer), with next_cursor to continue. Names are chosen by the users and come inside an untrusted-content envelope. To find one user by handle or email, get_user_profile is cheaper.',
  input: z.object({
    limit: z.number().int().min(1).max(1000).default(200).describe('Most users per page (1-1000)'),
    include_deleted: z.boolean().default(false).describe('Also list deactivated users'),
    cursor: cursorArg,
  }),
  output: z.object({ users: z.array(userSchema), ...pageOutput }),
  annotations: READ_ONLY_OPEN_WORLD,
  async handler(args, ctx: SlackContext) {
    const { api, directory } = ctx.deps;
    const query = { d: args.include_deleted };
    const state = decodePage('get_users', args.cursor, query);
    const result = await api.call<{ members?: SlackUser[] }>(
      'users.list',
      { limit: args.limit, ...(state.slackCursor ? { cursor: state.slackCursor } : {}) },
      { signal: ctx.signal },
    );
    const users = (result.members ?? [])
      .filter((user) => user.id && (args.include_deleted || !user.deleted))
      .map((user) => userOut(user, directory.rememberUser(user)?.display ?? (user.id as string)));
    const next = nextPage(state, 0, 0, result.response_metadata?.next_cursor || undefined);
    const structured = {
      users,
      truncated: next !== undefined,
      ...(next ? { next_cursor: encodePage('get_users', query, next) } : {}),
    };
    const lines = users.map(
      (user) =>
        `${user.id} @${user.handle ?? '?'} "${user.display_name}"${user.real_name && user.real_name !== user.display_name ? ` (${user.real_name})` : ''}${user.is_bot ? ' [bot]' : ''}${user.deleted ? ' [deactivated]' : ''}`,
    );
    return {
      structured,
      text: `${users.length} user${users.length === 1 ? '' : 's'}${next ? '; more: pass next_cursor' : ''}.`,
      content: [
        {
          type: 'text' as const,
          text: wrapUntrusted(lines.join('\n') || '(none)', { source: 'Slack users.list' }),
        },
      ],
    };
  },
});
