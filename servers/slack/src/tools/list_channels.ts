import { READ_ONLY_OPEN_WORLD, sanitizeName, wrapUntrusted } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { SlackContext } from '../deps.js';
import { SlackCallError } from '../slack/errors.js';
import type { SlackConversation } from '../slack/types.js';
import { cursorArg, decodePage, encodePage, nextPage, pageOutput } from './schemas.js';

const TYPES = ['public_channel', 'private_channel', 'mpim', 'im'] as const;
/** Characters of a topic or purpose kept in a listing. */
const BLURB_CHARS = 250;

const channelSchema = z.object({
  id: z.string(),
  name: z.string().optional().describe('Channel name without #; absent for direct messages'),
  kind: z.enum(['public', 'private', 'mpim', 'im']),
  user: z.string().optional().describe('The other member of a direct message'),
  user_name: z.string().optional(),
  is_member: z.boolean().optional().describe('The app is a member (it can read and post)'),
  is_archived: z.boolean().optional(),
  members: z.number().optional().describe('Member count'),
  topic: z.string().optional().describe(`First ${BLURB_CHARS} characters`),
  purpose: z.string().optional().describe(`First ${BLURB_CHARS} characters`),
});

/** Lists the conversations the token can see, one Slack page at a time. */
export const listChannels = defineTool({
  name: 'list_channels',
  title: 'List channels',
  description: `Lists the conversations the app can see: public and private channels by default; types selects them (mpim: group DMs, im: direct messages). Each has its ID, name, whether the app is a member, member count, topic and purpose (cut to ${BLURB_CHARS} characters). Conversations outside the server's --channels allowlist are left out and counted in hidden_by_allowlist. Returns one Slack page of at most limit conversations (a page may hold fewer), with next_cursor to continue. Names and topics are written by others and come inside an untrusted-content envelope.`,
  input: z.object({
    types: z
      .array(z.enum(TYPES))
      .min(1)
      .max(4)
      .optional()
      .describe(
        'Conversation types (default public_channel and private_channel; public only when the token lacks groups:read)',
      ),
    exclude_archived: z.boolean().default(true).describe('Leave out archived channels'),
    limit: z.number().int().min(1).max(1000).default(200).describe('Most conversations per page (1-1000)'),
    cursor: cursorArg,
  }),
  output: z.object({
    channels: z.array(channelSchema),
    hidden_by_allowlist: z.number().optional().describe('Conversations of this page left out by --channels'),
    ...pageOutput,
  }),
  annotations: READ_ONLY_OPEN_WORLD,
  async handler(args, ctx: SlackContext) {
    const { api, directory, policy } = ctx.deps;
    const query = { t: args.types ?? null, x: args.exclude_archived };
    const state = decodePage('list_channels', args.cursor, query);
    let types = (args.types ?? ['public_channel', 'private_channel']).join(',');
    const request = () =>
      api.call<{ channels?: SlackConversation[] }>(
        'conversations.list',
        {
          types,
          exclude_archived: args.exclude_archived,
          limit: args.limit,
          ...(state.slackCursor ? { cursor: state.slackCursor } : {}),
        },
        { signal: ctx.signal },
      );
    let result: Awaited<ReturnType<typeof request>>;
    try {
      result = await request();
    } catch (error) {
      // The default asks for private channels too; without groups:read, list the public ones.
      if (args.types || !(error instanceof SlackCallError) || error.code !== 'missing_scope') throw error;
      types = 'public_channel';
      result = await request();
    }
    const lookup = directory.lookup(ctx.signal);
    const dmUsers: string[] = [];
    const kept: SlackConversation[] = [];
    let hidden = 0;
    for (const raw of result.channels ?? []) {
      const entry = directory.rememberConversation(raw);
      if (!entry) continue;
      const allowed = await policy.read
        .allows(
          {
            id: entry.id,
            ...(entry.name ? { name: entry.name } : {}),
            ...(entry.user ? { user: entry.user } : {}),
          },
          lookup,
        )
        .catch(() => false);
      if (!allowed) {
        hidden++;
        continue;
      }
      kept.push(raw);
      if (raw.user) dmUsers.push(raw.user);
    }
    await directory.resolveUserNames(dmUsers, ctx.signal);
    const channels = kept.map((raw) => {
      const entry = directory.cachedConversation(raw.id as string);
      const blurb = (text: string | undefined) =>
        text
          ? sanitizeName(text.length > BLURB_CHARS ? `${text.slice(0, BLURB_CHARS - 3)}...` : text).name
          : undefined;
      const topic = blurb(raw.topic?.value);
      const purpose = blurb(raw.purpose?.value);
      const userName = raw.user ? directory.userName(raw.user) : undefined;
      return {
        id: raw.id as string,
        ...(raw.name && !raw.is_im ? { name: sanitizeName(raw.name).name } : {}),
        kind: entry?.kind ?? 'public',
        ...(raw.user ? { user: raw.user } : {}),
        ...(userName ? { user_name: userName } : {}),
        ...(raw.is_member !== undefined ? { is_member: raw.is_member } : {}),
        ...(raw.is_archived ? { is_archived: true } : {}),
        ...(raw.num_members !== undefined ? { members: raw.num_members } : {}),
        ...(topic ? { topic } : {}),
        ...(purpose ? { purpose } : {}),
      };
    });
    const next = nextPage(state, 0, 0, result.response_metadata?.next_cursor || undefined);
    const structured = {
      channels,
      ...(hidden > 0 ? { hidden_by_allowlist: hidden } : {}),
      truncated: next !== undefined,
      ...(next ? { next_cursor: encodePage('list_channels', query, next) } : {}),
    };
    const lines = channels.map((channel) => {
      const name = channel.name ? `#${channel.name}` : `@${channel.user_name ?? channel.user ?? '?'}`;
      const facts = [
        channel.kind,
        channel.members !== undefined ? `${channel.members} members` : undefined,
        channel.is_member === false ? 'app not a member' : undefined,
        channel.is_archived ? 'archived' : undefined,
      ].filter(Boolean);
      return `${channel.id} ${name} (${facts.join(', ')})${channel.topic ? ` topic: ${channel.topic}` : ''}`;
    });
    const summary = `${channels.length} conversation${channels.length === 1 ? '' : 's'} (${types})${hidden > 0 ? `, ${hidden} hidden by --channels` : ''}${next ? '; more: pass next_cursor' : ''}.`;
    return {
      structured,
      text: summary,
      content: [
        {
          type: 'text' as const,
          text: wrapUntrusted(lines.join('\n') || '(none)', { source: 'Slack conversations.list' }),
        },
      ],
    };
  },
});
