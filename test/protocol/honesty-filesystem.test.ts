// Annotation honesty of the filesystem server. Read-only tools are called against a sample tree
// in both modes (--read-only, and a writable root) and a full tree snapshot (paths, sizes,
// permission bits, mtimes, content hashes, link targets) must not move. The non-destructive write
// tools (create_directory, append_file) are called against existing entries, and every entry that
// existed before must still be there, byte-identical, or (the file appended to) keep its old bytes
// as an exact prefix.
import { chmod, readFile } from 'node:fs/promises';
import {
  createTempTree,
  type StdioSession,
  structuredOf,
  type TempTree,
  type TreeSpec,
} from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAdditiveCoverage, describeReadOnlyHonesty, type ReadOnlyCalls } from './honesty.js';
import { callTool, type Mode, resultText, startServer } from './servers.js';
import { snapshotTree, type TreeEntry } from './state.js';

/** A 1x1 PNG, for read_media_file. */
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const SPEC: TreeSpec = {
  'README.md': '# Sample project\n\nA small tree for read-only probes.\n',
  '.gitignore': 'build/\n',
  '.env': 'API_KEY=not-for-models\n',
  build: { 'out.js': 'console.log("ignored build output");\n' },
  docs: { 'guide.md': '# Guide\n\nStep one.\nStep two.\nStep three.\n', 'crlf.txt': 'first\r\nsecond\r\n' },
  src: {
    'index.ts': 'export const answer = 42;\n',
    util: { 'math.ts': 'export const twice = (n: number): number => n * 2;\n' },
  },
  images: { 'pixel.png': PIXEL_PNG },
  empty: {},
  'readme-link': { symlink: 'README.md' },
  additive: {
    'log.txt': 'line 1\nline 2\n',
    'crlf.log': 'alpha\r\nbeta\r\n',
    'partial.txt': 'no newline at the end',
    'bom.txt': '\uFEFFstarts with a byte order mark\n',
    'private.txt': 'owner only\n',
    'target.txt': 'reached through a link\n',
    'link.txt': { symlink: 'target.txt' },
    existing: { 'keep.txt': 'keep me\n' },
  },
  scratch: { 'doomed.txt': 'deleted by the witness check\n' },
};

/**
 * Valid arguments for every read-only tool of the filesystem server (paths relative to the one
 * allowed directory). A tool listed with readOnlyHint: true but missing here fails the coverage test.
 */
const READ_ONLY_CALLS: ReadOnlyCalls = {
  read_text_file: [
    { args: { path: 'README.md' } },
    { args: { path: 'docs/guide.md', head: 2 } },
    { args: { path: 'docs/guide.md', tail: 1 } },
    { args: { path: 'docs/crlf.txt', start_line: 2, end_line: 2 } },
    { args: { path: 'readme-link' } },
    // Refused: a secret (the default deny list) and a path outside the allowed directory.
    { args: { path: '.env' }, refused: true },
    { args: { path: '/etc/hostname' }, refused: true },
  ],
  read_media_file: [{ args: { path: 'images/pixel.png' } }],
  read_multiple_files: [{ args: { paths: ['README.md', 'src/index.ts', 'docs/crlf.txt'] } }],
  get_file_info: [
    { args: { path: 'README.md' } },
    { args: { path: 'src' } },
    { args: { path: 'readme-link' } },
  ],
  list_directory: [
    { args: { path: '.' } },
    { args: { path: 'src', sort_by: 'size', descending: true, include_ignored: true, max_entries: 1 } },
  ],
  directory_tree: [
    { args: { path: '.' } },
    { args: { path: '.', max_depth: 1, include_ignored: true, exclude: ['images'] } },
  ],
  search_files: [
    { args: { path: '.', pattern: '**/*.ts' } },
    { args: { path: '.', pattern: '**/*.js', include_ignored: true } },
  ],
  search_content: [
    { args: { path: '.', query: 'answer', context_lines: 1 } },
    { args: { path: '.', query: 'STEP', case_sensitive: false, include: '**/*.md', max_matches: 2 } },
  ],
  list_allowed_directories: [{ args: {} }],
};

let tree: TempTree;
const sessions = new Map<Mode, StdioSession>();
const session = (mode: Mode): StdioSession => {
  const found = sessions.get(mode);
  if (!found) throw new Error(`no ${mode} session`);
  return found;
};

beforeAll(async () => {
  tree = await createTempTree(SPEC, 'bulwark-honesty-');
  await chmod(tree.path('additive/private.txt'), 0o600);
  sessions.set('read', await startServer('filesystem', ['--read-only', tree.dir]));
  sessions.set('write', await startServer('filesystem', [tree.dir]));
});

afterAll(async () => {
  for (const running of sessions.values()) await running.close();
  await tree?.remove();
});

/** A checkpoint of the whole tree, and the check that nothing changed since. */
async function treeWitness() {
  const before = await snapshotTree(tree.dir);
  return async (label: string) => {
    expect(await snapshotTree(tree.dir), `${label} changed the tree`).toEqual(before);
  };
}

/**
 * Asserts that `after` only adds to `before`: every earlier entry is still there with the same
 * type; files and links are unchanged (size, mode, mtime, hash, target) except `grown`, whose
 * earlier bytes must be an exact prefix of its new bytes (checked by the caller) with the same
 * mode; directories keep their mode (their mtime moves with any entry added inside them, and their
 * content is checked entry by entry); and the new entries are exactly `added`.
 */
function expectAdditive(
  before: Record<string, TreeEntry>,
  after: Record<string, TreeEntry>,
  expected: { grown?: string; added?: readonly string[] },
): void {
  for (const [entryPath, entry] of Object.entries(before)) {
    const now = after[entryPath];
    expect(now, `${entryPath} was removed`).toBeDefined();
    expect(now?.type, `${entryPath} changed type`).toBe(entry.type);
    if (entry.type === 'directory' && now?.type === 'directory') {
      expect(now.mode, `${entryPath} changed mode`).toBe(entry.mode);
    } else if (entryPath === expected.grown && entry.type === 'file' && now?.type === 'file') {
      expect(now.mode, `${entryPath} changed mode`).toBe(entry.mode);
      expect(now.size, `${entryPath} shrank`).toBeGreaterThan(entry.size);
    } else {
      expect(now, `${entryPath} changed`).toEqual(entry);
    }
  }
  const added = Object.keys(after).filter((entryPath) => !(entryPath in before));
  expect(added.sort()).toEqual([...(expected.added ?? [])].sort());
}

describe('honesty:filesystem — readOnlyHint', () => {
  describeReadOnlyHonesty({
    server: 'filesystem',
    modes: ['read', 'write'],
    session,
    calls: READ_ONLY_CALLS,
    witness: treeWitness,
  });
});

describe('honesty:filesystem — destructiveHint: false', () => {
  describeAdditiveCoverage('filesystem', 'write', () => session('write'), [
    'append_file',
    'create_directory',
  ]);

  it('honesty:filesystem:create_directory — an existing directory and its contents are left as they are', async () => {
    const check = await treeWitness();
    const result = await callTool(session('write'), 'create_directory', { path: 'additive/existing' });
    expect(structuredOf<{ created: boolean }>(result).created).toBe(false);
    await check('create_directory on an existing directory');
  });

  it('honesty:filesystem:create_directory — new directories are added and nothing else changes', async () => {
    const before = await snapshotTree(tree.dir);
    const result = await callTool(session('write'), 'create_directory', {
      path: 'additive/existing/new/deeper',
    });
    expect(structuredOf<{ created: boolean }>(result).created).toBe(true);
    expectAdditive(before, await snapshotTree(tree.dir), {
      added: ['additive/existing/new', 'additive/existing/new/deeper'],
    });
  });

  it('honesty:filesystem:create_directory — a path held by a file is refused and the file kept', async () => {
    const check = await treeWitness();
    const result = await callTool(session('write'), 'create_directory', { path: 'additive/log.txt' });
    expect(result.isError).toBe(true);
    await check('create_directory over a file');
  });

  it.each([
    ['an LF file', 'additive/log.txt', 'line 3\n'],
    ['a CRLF file', 'additive/crlf.log', 'gamma\n'],
    ['a file without a final newline', 'additive/partial.txt', ', continued'],
    ['a file with a byte order mark', 'additive/bom.txt', 'and more\n'],
    ['a file with mode 0600', 'additive/private.txt', 'still owner only\n'],
    ['a file reached through a symbolic link', 'additive/link.txt', 'appended via the link\n'],
  ])('honesty:filesystem:append_file — %s keeps its bytes as an exact prefix', async (_what, file, text) => {
    const real = file === 'additive/link.txt' ? 'additive/target.txt' : file;
    const oldBytes = await readFile(tree.path(real));
    const before = await snapshotTree(tree.dir);
    const result = await callTool(session('write'), 'append_file', { path: file, content: text });
    const appended = structuredOf<{ created: boolean; bytes_appended: number; size: number }>(result);
    expect(appended.created).toBe(false);
    const newBytes = await readFile(tree.path(real));
    expect(newBytes.subarray(0, oldBytes.length).equals(oldBytes), `${real} kept its old bytes`).toBe(true);
    expect(newBytes.length).toBe(oldBytes.length + appended.bytes_appended);
    expect(appended.size).toBe(newBytes.length);
    // A link stays a link to the same target: the append reached the target, not the link.
    expectAdditive(before, await snapshotTree(tree.dir), { grown: real });
  });

  it('honesty:filesystem:append_file — a new file is created and nothing else changes', async () => {
    const before = await snapshotTree(tree.dir);
    const result = await callTool(session('write'), 'append_file', {
      path: 'additive/new.log',
      content: 'first\n',
    });
    expect(structuredOf<{ created: boolean }>(result).created).toBe(true);
    expectAdditive(before, await snapshotTree(tree.dir), { added: ['additive/new.log'] });
    expect(await readFile(tree.path('additive/new.log'), 'utf8')).toBe('first\n');
  });

  it('honesty:filesystem:append_file — refusals (create: false, stale expected_sha256) change nothing', async () => {
    const check = await treeWitness();
    const missing = await callTool(session('write'), 'append_file', {
      path: 'additive/missing.log',
      content: 'x',
      create: false,
    });
    expect(missing.isError, resultText(missing)).toBe(true);
    const stale = await callTool(session('write'), 'append_file', {
      path: 'additive/log.txt',
      content: 'x',
      expected_sha256: '0'.repeat(64),
    });
    expect(stale.isError, resultText(stale)).toBe(true);
    await check('refused append_file calls');
  });
});

describe('honesty:filesystem — the witness', () => {
  it('honesty:filesystem:witness — a destructive tool call is seen as a change', async () => {
    const check = await treeWitness();
    const result = await callTool(session('write'), 'delete_path', { path: 'scratch/doomed.txt' });
    expect(result.isError, resultText(result)).toBeFalsy();
    await expect(check('delete_path')).rejects.toThrow(/changed the tree/);
  });
});
