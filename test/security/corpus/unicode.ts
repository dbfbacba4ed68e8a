/**
 * Unicode smuggling in tool outputs: tag characters, bidi controls and zero-width runs planted in
 * file names and contents, table rows and names, issue and pull request text, Slack messages and
 * profiles, and web pages, then read back through each server's read tools. Case arguments never
 * carry a smuggled code point themselves, so whatever the result holds came from the data.
 *
 * The contract each case holds a server to (see the README of each server and
 * `shared/hardening/src/sanitize`):
 * - Text from other people (pages, issues, pull requests, reviews, commits, repository files,
 *   Slack messages, names and profiles): nothing hidden anywhere in the result (`clean`).
 * - Names a server shows in listings (file names, table and column names): hidden characters
 *   removed from the text the client reads. The filesystem also removes them from the
 *   structured listing (`clean`); the SQL tools keep the exact name in `structuredContent`, so a
 *   client can still address the table or column (`clean-text`). A path the filesystem reports
 *   for an entry the client named (the canonical path of a file read through a link, a link's
 *   target) is likewise exact in `structuredContent`, cleaned in the text.
 * - Row values: exact in `structuredContent`, cleaned inside the untrusted-content envelope of
 *   the text (`clean-text`), as `shared/sql-tools`' `query` documents.
 * - File contents: returned verbatim (`verbatim`): the filesystem is an editor's tool, `sha256`
 *   and `edit_file` work on the exact bytes, and silently dropping characters from a file that
 *   is written back would corrupt it.
 */
import { SMUGGLE_KINDS, type SmuggleKind } from '../lib/smuggle.js';
import type { AttackCase } from '../lib/types.js';
import type { FetchFixture } from '../targets/fetch.js';
import type { FilesystemFixture } from '../targets/filesystem.js';
import type { GitHubFixture, GitHubPlanted } from '../targets/github.js';
import type { PostgresFixture } from '../targets/postgres.js';
import type { SlackFixture, SlackPlanted } from '../targets/slack.js';
import type { SqliteFixture } from '../targets/sqlite.js';

/** Builds one case per payload kind. */
function perKind<F>(make: (kind: SmuggleKind) => AttackCase<F>): AttackCase<F>[] {
  return SMUGGLE_KINDS.map(make);
}

type Fs = FilesystemFixture;

/** Filesystem: names in listings and searches, paths of entries reached through links, contents. */
export const FILESYSTEM_UNICODE_CASES: readonly AttackCase<Fs>[] = [
  ...perKind<Fs>((kind) => ({
    id: `unicode:fs-name/list_directory/${kind}`,
    class: 'unicode',
    tool: 'list_directory',
    arguments: (fx) => ({ path: fx.smuggle[kind].dir }),
    expect: (fx) => ({
      kind: 'clean',
      visible: [fx.smuggle[kind].fileName.visible, fx.smuggle[kind].dirName.visible],
    }),
  })),
  ...perKind<Fs>((kind) => ({
    id: `unicode:fs-name/directory_tree/${kind}`,
    class: 'unicode',
    tool: 'directory_tree',
    arguments: (fx) => ({ path: fx.smuggle[kind].dir }),
    expect: (fx) => ({
      kind: 'clean',
      visible: [fx.smuggle[kind].fileName.visible, fx.smuggle[kind].dirName.visible],
    }),
  })),
  ...perKind<Fs>((kind) => ({
    id: `unicode:fs-name/search_files/${kind}`,
    class: 'unicode',
    tool: 'search_files',
    arguments: (fx) => ({ path: fx.smuggle[kind].dir, pattern: '**/*' }),
    expect: (fx) => ({
      kind: 'clean',
      visible: [fx.smuggle[kind].fileName.visible, `${fx.smuggle[kind].dirName.visible}/inner.txt`],
    }),
  })),
  ...perKind<Fs>((kind) => ({
    id: `unicode:fs-name/search_content/${kind}`,
    class: 'unicode',
    tool: 'search_content',
    arguments: (fx) => ({ path: fx.smuggle[kind].dir, query: 'NEEDLE', literal: true }),
    expect: (fx) => ({ kind: 'clean', visible: [fx.smuggle[kind].fileName.visible] }),
  })),
  ...perKind<Fs>((kind) => ({
    id: `unicode:fs-link-target/get_file_info/${kind}`,
    class: 'unicode',
    tool: 'get_file_info',
    arguments: (fx) => ({ path: `${fx.smuggle[kind].dir}/link.txt` }),
    expect: (fx) => ({
      kind: 'clean-text',
      visible: [fx.smuggle[kind].fileName.visible],
      exact: [fx.smuggle[kind].fileReal],
    }),
  })),
  ...perKind<Fs>((kind) => ({
    id: `unicode:fs-canonical-path/read_text_file/${kind}`,
    class: 'unicode',
    tool: 'read_text_file',
    arguments: (fx) => ({ path: `${fx.smuggle[kind].dir}/link.txt` }),
    expect: (fx) => ({ kind: 'clean-text', visible: ['NEEDLE'], exact: [fx.smuggle[kind].fileReal] }),
  })),
  ...perKind<Fs>((kind) => ({
    id: `unicode:fs-content/read_text_file/${kind}`,
    class: 'unicode',
    tool: 'read_text_file',
    arguments: (fx) => ({ path: `${fx.smuggle[kind].dir}/content.txt` }),
    expect: (fx) => ({ kind: 'verbatim', exact: [fx.smuggle[kind].contentLine.raw] }),
  })),
  ...perKind<Fs>((kind) => ({
    id: `unicode:fs-content/read_multiple_files/${kind}`,
    class: 'unicode',
    tool: 'read_multiple_files',
    arguments: (fx) => ({ paths: [`${fx.smuggle[kind].dir}/content.txt`] }),
    expect: (fx) => ({ kind: 'verbatim', exact: [fx.smuggle[kind].contentLine.raw] }),
  })),
  ...perKind<Fs>((kind) => ({
    id: `unicode:fs-content/search_content/${kind}`,
    class: 'unicode',
    tool: 'search_content',
    arguments: (fx) => ({
      path: fx.smuggle[kind].dir,
      query: 'line-',
      literal: true,
      include: 'content.txt',
    }),
    expect: (fx) => ({ kind: 'verbatim', exact: [fx.smuggle[kind].contentLine.raw] }),
  })),
];

/** The SQL servers' planted values, as both fixtures hold them. */
type SqlPlanted = SqliteFixture['smuggle'][SmuggleKind];

/** Row values in every text format, table names, column names: cleaned text, exact structured content. */
function sqlCases<F extends { smuggle: Record<SmuggleKind, SqlPlanted> }>(
  dialect: 'sqlite' | 'postgres',
): AttackCase<F>[] {
  const planted = (fx: F, kind: SmuggleKind) => fx.smuggle[kind];
  return [
    ...(['json', 'csv', 'markdown'] as const).flatMap((format) =>
      perKind<F>((kind) => ({
        id: `unicode:${dialect}-row/query-${format}/${kind}`,
        class: 'unicode',
        tool: 'query',
        arguments: (fx) => ({ sql: `SELECT id, body FROM notes WHERE id = ${planted(fx, kind).id}`, format }),
        expect: (fx) => ({
          kind: 'clean-text',
          visible: [planted(fx, kind).row.visible],
          exact: [planted(fx, kind).row.raw],
        }),
      })),
    ),
    ...perKind<F>((kind) => ({
      id: `unicode:${dialect}-table-name/list_tables/${kind}`,
      class: 'unicode',
      tool: 'list_tables',
      arguments: {},
      expect: (fx) => ({
        kind: 'clean-text',
        visible: [planted(fx, kind).table.visible],
        exact: [planted(fx, kind).table.raw],
      }),
    })),
    ...perKind<F>((kind) => ({
      id: `unicode:${dialect}-column-name/describe_table/${kind}`,
      class: 'unicode',
      tool: 'describe_table',
      arguments: { table: 'wide' },
      expect: (fx) => ({
        kind: 'clean-text',
        visible: [planted(fx, kind).column.visible],
        exact: [planted(fx, kind).column.raw],
      }),
    })),
    ...perKind<F>((kind) => ({
      id: `unicode:${dialect}-column-default/describe_table/${kind}`,
      class: 'unicode',
      tool: 'describe_table',
      arguments: { table: 'wide' },
      expect: (fx) => ({
        kind: 'clean-text',
        visible: [planted(fx, kind).defaultValue.visible],
        exact: [planted(fx, kind).defaultValue.raw],
      }),
    })),
    ...perKind<F>((kind) => ({
      id: `unicode:${dialect}-column-name/query/${kind}`,
      class: 'unicode',
      tool: 'query',
      arguments: { sql: 'SELECT * FROM wide' },
      expect: (fx) => ({
        kind: 'clean-text',
        visible: [planted(fx, kind).column.visible],
        exact: [planted(fx, kind).column.raw],
      }),
    })),
  ];
}

/** SQLite: rows, table names, column names. */
export const SQLITE_UNICODE_CASES: readonly AttackCase<SqliteFixture>[] = sqlCases<SqliteFixture>('sqlite');

/** PostgreSQL: rows, table names, column names, table comments, and an error message that quotes a row. */
export const POSTGRES_UNICODE_CASES: readonly AttackCase<PostgresFixture>[] = [
  ...sqlCases<PostgresFixture>('postgres'),
  // Comments are free text: cleaned in structured content too.
  ...perKind<PostgresFixture>((kind) => ({
    id: `unicode:postgres-comment/describe_table/${kind}`,
    class: 'unicode',
    tool: 'describe_table',
    arguments: { table: `notes_${kind.replace('-', '_')}`, schema: 'commented' },
    expect: (fx) => ({ kind: 'clean', visible: [fx.smuggle[kind].comment.visible] }),
  })),
  ...perKind<PostgresFixture>((kind) => ({
    id: `unicode:postgres-comment/list_tables/${kind}`,
    class: 'unicode',
    tool: 'list_tables',
    arguments: { schema: 'commented' },
    expect: (fx) => ({ kind: 'clean', visible: [fx.smuggle[kind].comment.visible] }),
  })),
  ...perKind<PostgresFixture>((kind) => ({
    // PostgreSQL quotes the offending value in the error: the error text is data too.
    id: `unicode:postgres-error-quotes-row/query/${kind}`,
    class: 'unicode',
    tool: 'query',
    arguments: (fx) => ({ sql: `SELECT body::integer FROM notes WHERE id = ${fx.smuggle[kind].id}` }),
    expect: (fx) => ({ kind: 'clean', error: true, visible: [fx.smuggle[kind].row.visible] }),
  })),
];

/** Fetch: pages in every content type the server converts, with the payload raw and as HTML entities. */
export const FETCH_UNICODE_CASES: readonly AttackCase<FetchFixture>[] = (
  [
    ['plain', false, ['plain-']],
    ['plain', true, ['plain-']],
    ['html', false, ['title-', 'heading-', 'para-', 'link-']],
    ['html', true, ['heading-', 'para-', 'link-', 'alt-']],
    ['entities', false, ['entity-']],
    ['markdown', false, ['md-', 'item-']],
    ['json', false, ['json-']],
    ['utf16', false, ['utf16-']],
  ] as const
).flatMap(([page, raw, labels]) =>
  perKind<FetchFixture>((kind) => ({
    id: `unicode:fetch-page/${page}${raw ? '-raw' : ''}/${kind}`,
    class: 'unicode',
    tool: 'fetch',
    arguments: (fx) => ({ url: `${fx.origin}/smuggle/${kind}/${page}`, ...(raw ? { raw: true } : {}) }),
    expect: { kind: 'clean', visible: labels.map((label) => `${label}${kind}`) },
  })),
);

/** GitHub: one case per read tool and payload kind (repository `octo/<kind>`); `fields` must show up cleaned. */
const GITHUB_READS: readonly [
  string,
  string,
  (kind: SmuggleKind) => Record<string, unknown>,
  (keyof GitHubPlanted)[],
][] = [
  [
    'issue',
    'get_issue',
    (kind) => ({ repo: `octo/${kind}`, number: 1 }),
    ['title', 'body', 'label', 'comment'],
  ],
  ['issue-author', 'get_issue', (kind) => ({ repo: `octo/${kind}`, number: 2 }), ['login']],
  ['issues', 'list_issues', (kind) => ({ repo: `octo/${kind}` }), ['title', 'label']],
  ['issue-search', 'search_issues', (kind) => ({ query: `crash repo:octo/${kind}` }), ['title']],
  [
    'pull-request',
    'get_pull_request',
    (kind) => ({ repo: `octo/${kind}`, number: 7 }),
    ['prTitle', 'prBody', 'branch'],
  ],
  ['pull-requests', 'list_pull_requests', (kind) => ({ repo: `octo/${kind}` }), ['prTitle']],
  ['reviews', 'list_pull_request_reviews', (kind) => ({ repo: `octo/${kind}`, number: 7 }), ['review']],
  [
    'review-comments',
    'list_pull_request_review_comments',
    (kind) => ({ repo: `octo/${kind}`, number: 7 }),
    ['reviewComment', 'reviewPath'],
  ],
  ['diff', 'get_pull_request_diff', (kind) => ({ repo: `octo/${kind}`, number: 7 }), ['diff']],
  ['commit', 'get_commit', (kind) => ({ repo: `octo/${kind}`, sha: 'main' }), ['message', 'fileName']],
  ['commits', 'list_commits', (kind) => ({ repo: `octo/${kind}` }), ['message']],
  ['file', 'get_file_contents', (kind) => ({ repo: `octo/${kind}`, path: 'README.md' }), ['fileContent']],
  ['directory', 'get_file_contents', (kind) => ({ repo: `octo/${kind}`, path: 'docs' }), ['entryName']],
  ['tree', 'get_repository_tree', (kind) => ({ repo: `octo/${kind}` }), ['treePath']],
  // The listing shows release names, not bodies; a body that did show up would still be judged.
  ['releases', 'list_releases', (kind) => ({ repo: `octo/${kind}` }), ['releaseName']],
  ['branches', 'list_branches', (kind) => ({ repo: `octo/${kind}` }), ['branch']],
];

/** GitHub: issues, pull requests, reviews, commits, files, trees, releases, branches. */
export const GITHUB_UNICODE_CASES: readonly AttackCase<GitHubFixture>[] = GITHUB_READS.flatMap(
  ([name, tool, args, fields]) =>
    perKind<GitHubFixture>((kind) => ({
      id: `unicode:github-${name}/${tool}/${kind}`,
      class: 'unicode',
      tool,
      arguments: args(kind),
      expect: (fx) => ({ kind: 'clean', visible: fields.map((field) => fx.smuggle[kind][field].visible) }),
    })),
);

/** Slack: one case per read tool and payload kind; `fields` must show up cleaned. */
const SLACK_READS: readonly [
  string,
  (p: SlackPlanted) => Record<string, unknown>,
  (keyof SlackPlanted['text'])[],
][] = [
  [
    'get_channel_history',
    (p) => ({ channel: p.channel, limit: 5 }),
    ['message', 'attachment', 'file', 'reaction', 'botName', 'botText', 'display'],
  ],
  ['get_thread_replies', (p) => ({ channel: p.channel, thread_ts: p.threadTs }), ['message', 'reply']],
  ['list_channels', () => ({}), ['channelName', 'topic', 'purpose']],
  ['get_users', () => ({}), ['display', 'realName']],
  ['get_user_profile', (p) => ({ user: p.user }), ['display', 'realName', 'title', 'status']],
  ['search_messages', (p) => ({ query: p.searchWord }), ['message']],
];

/** Slack: messages, attachments, files, reactions, bots, channels, users. */
export const SLACK_UNICODE_CASES: readonly AttackCase<SlackFixture>[] = SLACK_READS.flatMap(
  ([tool, args, fields]) =>
    perKind<SlackFixture>((kind) => ({
      id: `unicode:slack/${tool}/${kind}`,
      class: 'unicode',
      tool,
      arguments: (fx) => args(fx.smuggle[kind]),
      expect: (fx) => ({
        kind: 'clean',
        visible: fields.map((field) => fx.smuggle[kind].text[field].visible),
      }),
    })),
);
