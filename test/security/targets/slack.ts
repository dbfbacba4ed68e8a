/**
 * The Slack server (read-only default, bot and user token) against the loopback Slack Web API.
 * For each payload kind one channel (`C0000006` tags, `C0000007` bidi, `C0000008` zero-width)
 * has a planted name, topic and purpose and holds a human message (with an attachment, a file, a
 * reaction and a thread reply) and a bot message; one user per kind (`U0000010`..`U0000012`)
 * has a planted display name, real name, title and status. After each case no write method may
 * have been called.
 */
import {
  createSlackWorkspace,
  SLACK_TEST_BOT_TOKEN,
  SLACK_TEST_USER_TOKEN,
  type SlackMessageRecord,
  startSlackApi,
} from '@bulwark/testkit';
import { startServer } from '../lib/servers.js';
import { type Planted, plant, SMUGGLE_KINDS, type SmuggleKind } from '../lib/smuggle.js';
import type { StartedTarget, Target } from '../lib/types.js';

/** Web API methods that change something in Slack. */
const WRITE_METHODS = ['chat.postMessage', 'chat.update', 'chat.delete', 'reactions.add', 'reactions.remove'];

/** The planted text of one payload kind and where it lives. */
export interface SlackPlanted {
  channel: string;
  user: string;
  /** ts of the human message (also the thread parent). */
  threadTs: string;
  /** A word only this kind's message contains, for search. */
  searchWord: string;
  text: Record<
    | 'channelName'
    | 'topic'
    | 'purpose'
    | 'message'
    | 'attachment'
    | 'file'
    | 'reaction'
    | 'reply'
    | 'botName'
    | 'botText'
    | 'display'
    | 'realName'
    | 'title'
    | 'status',
    Planted
  >;
}

/** What the Slack cases compute their arguments from. */
export interface SlackFixture {
  smuggle: Record<SmuggleKind, SlackPlanted>;
}

/** The Slack server against the loopback API (see the module comment). */
export const slackTarget: Target<SlackFixture> = {
  name: 'slack',
  server: 'slack',
  description: 'slack (read-only default; SLACK_BOT_TOKEN, SLACK_USER_TOKEN, loopback SLACK_API_URL)',
  async start(): Promise<StartedTarget<SlackFixture>> {
    const workspace = createSlackWorkspace({ users: 12, channels: 8 });
    const smuggle = {} as Record<SmuggleKind, SlackPlanted>;
    SMUGGLE_KINDS.forEach((kind, index) => {
      const channelId = `C000000${6 + index}`;
      const userId = `U00000${10 + index}`;
      const searchWord = `findme${kind.replace('-', '')}`;
      const text: SlackPlanted['text'] = {
        channelName: plant('chan-', kind),
        topic: plant('topic-', kind),
        purpose: plant('purpose-', kind),
        message: plant('msg-', kind, { suffix: ` ${searchWord}` }),
        attachment: plant('att-', kind),
        file: plant('file-', kind, { suffix: '.txt' }),
        reaction: plant('react-', kind),
        reply: plant('reply-', kind),
        botName: plant('botname-', kind),
        botText: plant('bottext-', kind),
        display: plant('display-', kind),
        realName: plant('real-', kind),
        title: plant('jobtitle-', kind),
        status: plant('status-', kind),
      };
      const channel = workspace.channels.find((candidate) => candidate.id === channelId);
      const user = workspace.users.find((candidate) => candidate.id === userId);
      if (!channel || !user) throw new Error(`the sample workspace lacks ${channelId} or ${userId}`);
      channel.name = text.channelName.raw;
      channel.topic.value = text.topic.raw;
      channel.purpose.value = text.purpose.raw;
      user.profile.display_name = text.display.raw;
      user.real_name = text.realName.raw;
      user.profile.real_name = text.realName.raw;
      user.profile.title = text.title.raw;
      user.profile.status_text = text.status.raw;
      const human = workspace.addMessage(channelId, {
        user: userId,
        text: text.message.raw,
        reply_count: 1,
        reactions: [{ name: text.reaction.raw, users: ['U0000001'], count: 1 }],
        files: [{ id: `F000000${index}`, name: text.file.raw, title: 'file', mimetype: 'text/plain' }],
        // Slack's legacy attachments: not in the testkit's record type, but passed through as sent.
        ...({ attachments: [{ text: text.attachment.raw }] } as Partial<SlackMessageRecord>),
      });
      human.thread_ts = human.ts;
      const reply = workspace.addMessage(channelId, {
        user: userId,
        text: text.reply.raw,
        thread_ts: human.ts,
      });
      human.latest_reply = reply.ts;
      workspace.addMessage(channelId, {
        bot_id: 'BOTHER02',
        subtype: 'bot_message',
        username: text.botName.raw,
        bot_profile: { id: 'BOTHER02', name: text.botName.raw },
        text: text.botText.raw,
      });
      smuggle[kind] = { channel: channelId, user: userId, threadTs: human.ts, searchWord, text };
    });
    const api = await startSlackApi({ workspace });
    const session = await startServer('slack', [], {
      SLACK_BOT_TOKEN: SLACK_TEST_BOT_TOKEN,
      SLACK_USER_TOKEN: SLACK_TEST_USER_TOKEN,
      SLACK_API_URL: api.url,
      BULWARK_SLACK_MAX_RETRY_WAIT: '2',
    });
    // The server checks both tokens with auth.test at startup and settles its tool list then.
    for (let i = 0; i < 400 && api.methods().filter((method) => method === 'auth.test').length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    return {
      session,
      fixture: { smuggle },
      forbidden: [SLACK_TEST_BOT_TOKEN, SLACK_TEST_USER_TOKEN],
      async watch() {
        const from = api.calls.length;
        return async () =>
          api
            .methods(from)
            .filter((method) => WRITE_METHODS.includes(method))
            .map((method) => `the API received a write: ${method}`);
      },
      async close() {
        await session.close();
        await api.close();
      },
    };
  },
};
