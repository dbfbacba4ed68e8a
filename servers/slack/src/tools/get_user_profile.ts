import { READ_ONLY_OPEN_WORLD, sanitizeName, wrapUntrusted } from '@bulwark/hardening';
import { defineTool, ToolError } from '@bulwark/runtime';
import * as z from 'zod';
import type { SlackContext } from '../deps.js';
import { parseUserRef } from '../policy.js';
import type { SlackUser } from '../slack/types.js';
import { userOut, userSchema } from './get_users.js';

/** Reads one user's profile. */
export const getUserProfile = defineTool({
  name: 'get_user_profile',
  title: 'Get user profile',
  description:
    "Reads one user's profile: names, title, status, time zone, bot and admin flags, and email when the token has users:read.email. The user is named by ID (U0123ABCD), email, or handle / display name (a name is looked up through the user list, at most 20,000 users, so IDs are faster). Profile text is chosen by the user and comes inside an untrusted-content envelope.",
  input: z.object({
    user: z.string().min(1).max(120).describe('User ID (U0123ABCD), email, or @handle / display name'),
  }),
  output: userSchema.extend({
    title: z.string().optional(),
    email: z.string().optional(),
    status_text: z.string().optional(),
    status_emoji: z.string().optional(),
  }),
  annotations: READ_ONLY_OPEN_WORLD,
  async handler(args, ctx: SlackContext) {
    const { api, directory } = ctx.deps;
    const id = await directory.userId(parseUserRef(args.user), ctx.signal);
    if (!id) throw new ToolError(`No user "${args.user}" was found; give the user ID (U...) or email.`);
    const result = await api.call<{ user?: SlackUser }>('users.info', { user: id }, { signal: ctx.signal });
    const user: SlackUser = { ...result.user, id };
    const display = directory.rememberUser(user)?.display ?? id;
    const clean = (text: string | undefined) => (text ? sanitizeName(text).name : undefined);
    const extra = {
      title: clean(user.profile?.title),
      email: clean(user.profile?.email),
      status_text: clean(user.profile?.status_text),
      status_emoji: clean(user.profile?.status_emoji),
    };
    const structured = {
      ...userOut(user, display),
      ...Object.fromEntries(Object.entries(extra).filter(([, value]) => value)),
    };
    const lines = [
      `${structured.id} @${structured.handle ?? '?'} "${structured.display_name}"${structured.is_bot ? ' [bot]' : ''}${structured.deleted ? ' [deactivated]' : ''}`,
      structured.real_name ? `real name: ${structured.real_name}` : '',
      extra.title ? `title: ${extra.title}` : '',
      extra.email ? `email: ${extra.email}` : '',
      extra.status_text || extra.status_emoji
        ? `status: ${extra.status_emoji ?? ''} ${extra.status_text ?? ''}`.trim()
        : '',
      structured.tz ? `time zone: ${structured.tz}` : '',
    ].filter(Boolean);
    return {
      structured,
      text: `Profile of ${structured.id}.`,
      content: [
        {
          type: 'text' as const,
          text: wrapUntrusted(lines.join('\n'), { source: 'Slack users.info', author: structured.id }),
        },
      ],
    };
  },
});
