/**
 * Path escapes. Filesystem: traversal, absolute paths outside, the prefix sibling (`root` vs
 * `root-evil`), symlinks to outside (file, directory, relative, chained, dangling, looping,
 * through the parent), a hard link to an outside file, `file://` URIs (encoded dots and
 * slashes, hosts), NUL bytes, Windows separators and drives, URL encoding, look-alike Unicode
 * dots and slashes, `~`, `/proc/self`, long paths, and the secret deny list, against every read,
 * list, search and write tool. GitHub: `..` and encoded separators in repository paths, refs and
 * names, which must never reach an endpoint outside the repository.
 *
 * Expected refusals quote the sandbox's one-line messages (`shared/hardening/src/sandbox`). Every
 * filesystem case is also judged by the target's post-check: nothing outside the roots changed,
 * nothing was planted in /tmp or the home directory, and no secret marker or outside path
 * appears in the result.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AttackCase, Expectation } from '../lib/types.js';
import type { FilesystemFixture } from '../targets/filesystem.js';
import type { GitHubFixture } from '../targets/github.js';

type Fx = FilesystemFixture;
type PathOf = (fx: Fx) => string;

const OUTSIDE = /outside the allowed directories/;
const NOT_FOUND = /does not exist/;
const NUL = /NUL byte/;
const BAD_URI = /not a valid file:\/\/ URI/;
const LOOP = /Too many levels of symbolic links/;
const HARD_LINK = /hard links/;
const DENIED = /secret deny list/;
const READ_ONLY = /read-only root/;
const TOO_LONG = /4096/;
const ROOT_ITSELF = /is an allowed directory itself/;
const PATTERN_ESCAPE = /must be relative to path and must not contain "\.\."/;

/** One escaping path and the refusal a tool that follows it must give. */
interface Escape {
  name: string;
  path: PathOf;
  message: RegExp;
  /** The last component is a link inside the root: a rename onto it replaces the link itself. */
  finalLink?: true;
}

const at =
  (value: string): PathOf =>
  () =>
    value;

/** Paths naming a file outside the roots (or a secret inside), for the tools that read a file. */
const FILE_ESCAPES: readonly Escape[] = [
  { name: 'dotdot', path: at('../outside/secret.txt'), message: OUTSIDE },
  { name: 'dotdot-through-subdir', path: at('sub/../../outside/secret.txt'), message: OUTSIDE },
  { name: 'dotdot-after-file', path: at('inside.txt/../../outside/secret.txt'), message: OUTSIDE },
  { name: 'dotdot-deep', path: at(`${'../'.repeat(16)}etc/passwd`), message: OUTSIDE },
  { name: 'absolute-outside', path: (fx) => path.join(fx.outside, 'secret.txt'), message: OUTSIDE },
  { name: 'absolute-system', path: at('/etc/passwd'), message: OUTSIDE },
  { name: 'absolute-double-slash', path: at('//etc//passwd'), message: OUTSIDE },
  {
    name: 'absolute-dot-segments',
    path: (fx) => `${fx.root}/./sub/../../outside/secret.txt`,
    message: OUTSIDE,
  },
  { name: 'prefix-sibling', path: (fx) => path.join(fx.sibling, 'secret.txt'), message: OUTSIDE },
  { name: 'prefix-sibling-relative', path: at('../root-evil/secret.txt'), message: OUTSIDE },
  { name: 'symlink-file-out', path: at('link-file-out'), message: OUTSIDE },
  { name: 'symlink-relative-out', path: at('link-rel-out'), message: OUTSIDE },
  { name: 'symlink-dir-out', path: at('link-dir-out/secret.txt'), message: OUTSIDE },
  { name: 'symlink-chain', path: at('chain-a'), message: OUTSIDE },
  { name: 'symlink-chain-dir', path: at('chain-dir/secret.txt'), message: OUTSIDE },
  { name: 'symlink-sibling', path: at('link-sibling/secret.txt'), message: OUTSIDE },
  { name: 'symlink-parent', path: at('link-parent/outside/secret.txt'), message: OUTSIDE },
  { name: 'symlink-loop', path: at('loop-a'), message: LOOP },
  { name: 'hard-link-out', path: at('hard-secret'), message: HARD_LINK },
  { name: 'file-uri', path: (fx) => `file://${fx.outside}/secret.txt`, message: OUTSIDE },
  { name: 'file-uri-dotdot', path: (fx) => `file://${fx.root}/../outside/secret.txt`, message: OUTSIDE },
  {
    name: 'file-uri-encoded-dots',
    path: (fx) => `file://${fx.root}/%2e%2e/outside/secret.txt`,
    message: OUTSIDE,
  },
  {
    name: 'file-uri-encoded-slash',
    path: (fx) => `file://${fx.root}/..%2Foutside%2Fsecret.txt`,
    message: BAD_URI,
  },
  { name: 'file-uri-localhost', path: (fx) => `file://localhost${fx.outside}/secret.txt`, message: OUTSIDE },
  { name: 'file-uri-remote-host', path: at('file://attacker.example/etc/passwd'), message: BAD_URI },
  { name: 'file-uri-symlink', path: (fx) => `file://${fx.root}/link-file-out`, message: OUTSIDE },
  { name: 'file-uri-nul', path: (fx) => `file://${fx.root}/inside.txt%00.png`, message: NUL },
  { name: 'nul-byte', path: at('inside.txt\u0000/../../outside/secret.txt'), message: NUL },
  { name: 'backslash-dotdot', path: at('..\\outside\\secret.txt'), message: NOT_FOUND },
  { name: 'windows-drive', path: at('C:\\Windows\\win.ini'), message: NOT_FOUND },
  { name: 'windows-unc', path: at('\\\\attacker.example\\share\\secret.txt'), message: NOT_FOUND },
  { name: 'url-encoded-dots', path: at('%2e%2e/outside/secret.txt'), message: NOT_FOUND },
  { name: 'url-encoded-slash', path: at('..%2Foutside%2Fsecret.txt'), message: NOT_FOUND },
  { name: 'double-url-encoded', path: at('%252e%252e%252foutside%252fsecret.txt'), message: NOT_FOUND },
  { name: 'overlong-utf8-dots', path: at('%c0%ae%c0%ae/outside/secret.txt'), message: NOT_FOUND },
  { name: 'fullwidth-dots', path: at('\uff0e\uff0e/outside/secret.txt'), message: NOT_FOUND },
  { name: 'fullwidth-solidus', path: at('..\uff0foutside\uff0fsecret.txt'), message: NOT_FOUND },
  { name: 'two-dot-leader', path: at('\u2025/outside/secret.txt'), message: NOT_FOUND },
  { name: 'zero-width-in-dotdot', path: at('.\u200b./outside/secret.txt'), message: NOT_FOUND },
  { name: 'combining-dot', path: at('.\u0307./outside/secret.txt'), message: NOT_FOUND },
  { name: 'tilde-home', path: at('~/.bashrc'), message: OUTSIDE },
  // Not expanded: `~root` is a directory name inside the root, and `.ssh/` is on the deny list.
  { name: 'tilde-user', path: at('~root/.ssh/id_rsa'), message: DENIED },
  { name: 'proc-self-root', path: (fx) => `/proc/self/root${fx.outside}/secret.txt`, message: OUTSIDE },
  { name: 'proc-self-cwd', path: at('/proc/self/cwd/package.json'), message: OUTSIDE },
  { name: 'dev-stdin', path: at('/dev/stdin'), message: OUTSIDE },
  {
    name: 'long-dotdot',
    path: at(`${'sub/'.repeat(450)}${'../'.repeat(451)}outside/secret.txt`),
    message: OUTSIDE,
  },
  { name: 'over-length-limit', path: at(`${'../'.repeat(1400)}etc/passwd`), message: TOO_LONG },
  { name: 'deny-env', path: at('.env'), message: DENIED },
  { name: 'deny-env-dotdot', path: at('sub/../.env'), message: DENIED },
  { name: 'deny-env-uri', path: (fx) => `file://${fx.root}/.env`, message: DENIED },
  { name: 'deny-env-via-parent-link', path: at('link-parent/root/.env'), message: DENIED },
];

/**
 * Image paths for `read_media_file`, which refuses a non-media extension before it resolves the
 * path: an escape must carry an image name to reach the sandbox.
 */
const MEDIA_ESCAPES: readonly Escape[] = [
  { name: 'dotdot', path: at('../outside/pixel.png'), message: OUTSIDE },
  { name: 'absolute-outside', path: (fx) => path.join(fx.outside, 'pixel.png'), message: OUTSIDE },
  { name: 'prefix-sibling-relative', path: at('../root-evil/pixel.png'), message: OUTSIDE },
  { name: 'symlink-file-out', path: at('link-pixel.png'), message: OUTSIDE },
  { name: 'symlink-dir-out', path: at('link-dir-out/pixel.png'), message: OUTSIDE },
  { name: 'symlink-chain', path: at('chain-pixel.png'), message: OUTSIDE },
  { name: 'symlink-parent', path: at('link-parent/outside/pixel.png'), message: OUTSIDE },
  { name: 'hard-link-out', path: at('hard-pixel.png'), message: HARD_LINK },
  { name: 'file-uri', path: (fx) => `file://${fx.outside}/pixel.png`, message: OUTSIDE },
  {
    name: 'file-uri-encoded-dots',
    path: (fx) => `file://${fx.root}/%2e%2e/outside/pixel.png`,
    message: OUTSIDE,
  },
  { name: 'nul-byte', path: at('x.png\u0000/../../outside/pixel.png'), message: NUL },
  { name: 'proc-self-root', path: (fx) => `/proc/self/root${fx.outside}/pixel.png`, message: OUTSIDE },
  { name: 'tilde-home', path: at('~/pixel.png'), message: OUTSIDE },
];

/** Paths naming a directory outside the roots, for the tools that list or search one. */
const DIR_ESCAPES: readonly Escape[] = [
  { name: 'dotdot', path: at('..'), message: OUTSIDE },
  { name: 'dotdot-through-subdir', path: at('sub/../..'), message: OUTSIDE },
  { name: 'absolute-outside', path: (fx) => fx.outside, message: OUTSIDE },
  { name: 'absolute-system-root', path: at('/'), message: OUTSIDE },
  { name: 'absolute-etc', path: at('/etc'), message: OUTSIDE },
  { name: 'prefix-sibling', path: (fx) => fx.sibling, message: OUTSIDE },
  { name: 'prefix-sibling-relative', path: at('../root-evil'), message: OUTSIDE },
  { name: 'symlink-dir-out', path: at('link-dir-out'), message: OUTSIDE },
  { name: 'symlink-chain-dir', path: at('chain-dir'), message: OUTSIDE },
  { name: 'symlink-sibling', path: at('link-sibling'), message: OUTSIDE },
  { name: 'symlink-parent', path: at('link-parent'), message: OUTSIDE },
  { name: 'file-uri', path: (fx) => `file://${fx.outside}`, message: OUTSIDE },
  { name: 'file-uri-dotdot', path: (fx) => `file://${fx.root}/..`, message: OUTSIDE },
  { name: 'nul-byte', path: at('sub\u0000/../..'), message: NUL },
  { name: 'tilde-home', path: at('~'), message: OUTSIDE },
  { name: 'proc-self-root', path: at('/proc/self/root/etc'), message: OUTSIDE },
  { name: 'backslash-dotdot', path: at('..\\'), message: NOT_FOUND },
  { name: 'fullwidth-dots', path: at('\uff0e\uff0e'), message: NOT_FOUND },
];

/** Paths a write would create or change outside the roots (or in a read-only root, or a secret). */
const WRITE_ESCAPES: readonly Escape[] = [
  { name: 'dotdot-new', path: at('../outside/planted.txt'), message: OUTSIDE },
  { name: 'dotdot-overwrite', path: at('../outside/secret.txt'), message: OUTSIDE },
  { name: 'absolute-outside', path: (fx) => path.join(fx.outside, 'secret.txt'), message: OUTSIDE },
  { name: 'absolute-tmp', path: (fx) => path.join('/tmp', fx.plantedName), message: OUTSIDE },
  { name: 'tilde-home', path: (fx) => `~/${fx.plantedName}`, message: OUTSIDE },
  { name: 'prefix-sibling', path: (fx) => path.join(fx.sibling, 'planted.txt'), message: OUTSIDE },
  { name: 'symlink-file-out', path: at('link-file-out'), message: OUTSIDE, finalLink: true },
  { name: 'symlink-relative-out', path: at('link-rel-out'), message: OUTSIDE, finalLink: true },
  { name: 'symlink-dir-out', path: at('link-dir-out/planted.txt'), message: OUTSIDE },
  { name: 'symlink-chain', path: at('chain-a'), message: OUTSIDE, finalLink: true },
  { name: 'symlink-chain-dir', path: at('chain-dir/planted.txt'), message: OUTSIDE },
  { name: 'symlink-dangling-out', path: at('dangling-out'), message: OUTSIDE, finalLink: true },
  { name: 'symlink-sibling', path: at('link-sibling/planted.txt'), message: OUTSIDE },
  { name: 'symlink-parent', path: at('link-parent/outside/planted.txt'), message: OUTSIDE },
  { name: 'symlink-loop', path: at('loop-a'), message: LOOP, finalLink: true },
  { name: 'file-uri', path: (fx) => `file://${fx.outside}/planted.txt`, message: OUTSIDE },
  {
    name: 'file-uri-encoded-dots',
    path: (fx) => `file://${fx.root}/%2e%2e/outside/planted.txt`,
    message: OUTSIDE,
  },
  { name: 'nul-byte', path: at('planted.txt\u0000/../../outside/planted.txt'), message: NUL },
  {
    name: 'long-dotdot',
    path: at(`${'sub/'.repeat(450)}${'../'.repeat(451)}outside/planted.txt`),
    message: OUTSIDE,
  },
  { name: 'deny-env', path: at('.env'), message: DENIED },
  { name: 'read-only-root', path: (fx) => path.join(fx.readOnlyRoot, 'locked.txt'), message: READ_ONLY },
  { name: 'read-only-root-new', path: (fx) => path.join(fx.readOnlyRoot, 'planted.txt'), message: READ_ONLY },
];

function refused(message: RegExp): Expectation {
  return { kind: 'refused', message };
}

/** Refuses, and the file a successful exfiltration would have created inside the root is absent. */
function noStolenCopy(name: string) {
  return async (fx: Fx) =>
    existsSync(path.join(fx.root, name)) ? [`${name} was created inside the root`] : [];
}

const readCases: AttackCase<Fx>[] = FILE_ESCAPES.flatMap((way) => [
  {
    id: `path:${way.name}/read_text_file`,
    class: 'path',
    tool: 'read_text_file',
    arguments: (fx: Fx) => ({ path: way.path(fx) }),
    expect: refused(way.message),
  },
  {
    // A batch answers per file: the escape must fail inline while the good file is read.
    id: `path:${way.name}/read_multiple_files`,
    class: 'path',
    tool: 'read_multiple_files',
    arguments: (fx: Fx) => ({ paths: ['inside.txt', way.path(fx)] }),
    expect: { kind: 'contained', message: way.message },
  },
]);

const mediaCases: AttackCase<Fx>[] = MEDIA_ESCAPES.map((way) => ({
  id: `path:${way.name}/read_media_file`,
  class: 'path',
  tool: 'read_media_file',
  arguments: (fx: Fx) => ({ path: way.path(fx) }),
  expect: refused(way.message),
}));

const copySourceCases: AttackCase<Fx>[] = FILE_ESCAPES.filter((way) =>
  [
    'dotdot',
    'absolute-outside',
    'prefix-sibling',
    'symlink-file-out',
    'symlink-chain',
    'symlink-dir-out',
    'hard-link-out',
    'file-uri',
    'nul-byte',
    'deny-env',
  ].includes(way.name),
).flatMap((way) => [
  {
    id: `path:${way.name}/copy_file-source`,
    class: 'path' as const,
    tool: 'copy_file',
    arguments: (fx: Fx) => ({ source: way.path(fx), destination: 'stolen-by-copy.txt' }),
    expect: refused(way.message),
    verify: noStolenCopy('stolen-by-copy.txt'),
  },
]);

const infoCases: AttackCase<Fx>[] = [
  // The entry is the link itself, inside the root: its metadata may be shown, its outside target never.
  ...[
    'link-file-out',
    'link-rel-out',
    'link-dir-out',
    'chain-a',
    'chain-dir',
    'dangling-out',
    'link-sibling',
    'link-parent',
    'hard-secret',
    'loop-a',
  ].map(
    (name): AttackCase<Fx> => ({
      id: `path:link-target-hidden/get_file_info/${name}`,
      class: 'path',
      tool: 'get_file_info',
      arguments: { path: name },
      expect: { kind: 'contained' },
    }),
  ),
  ...FILE_ESCAPES.filter((way) =>
    [
      'dotdot',
      'absolute-outside',
      'prefix-sibling',
      'symlink-dir-out',
      'symlink-chain-dir',
      'symlink-parent',
      'file-uri',
      'file-uri-encoded-dots',
      'nul-byte',
      'deny-env',
    ].includes(way.name),
  ).map(
    (way): AttackCase<Fx> => ({
      id: `path:${way.name}/get_file_info`,
      class: 'path',
      tool: 'get_file_info',
      arguments: (fx) => ({ path: way.path(fx) }),
      expect: refused(way.message),
    }),
  ),
];

const DIR_TOOLS = [
  { tool: 'list_directory', args: (dir: string) => ({ path: dir }) },
  { tool: 'directory_tree', args: (dir: string) => ({ path: dir, max_depth: 3 }) },
  { tool: 'search_files', args: (dir: string) => ({ path: dir, pattern: '**/*' }) },
  { tool: 'search_content', args: (dir: string) => ({ path: dir, query: 'SECRET', literal: true }) },
] as const;

const dirCases: AttackCase<Fx>[] = DIR_ESCAPES.flatMap((way) =>
  DIR_TOOLS.map(
    ({ tool, args }): AttackCase<Fx> => ({
      id: `path:${way.name}/${tool}`,
      class: 'path',
      tool,
      arguments: (fx) => args(way.path(fx)),
      expect: refused(way.message),
    }),
  ),
);

/** Names an escaping walk would show: outside files seen through links. */
const WALK_LEAKS = ['keep.txt', 'secret.txt', 'link-dir-out/', 'chain-dir/', 'link-parent/', 'link-sibling/'];

const walkCases: AttackCase<Fx>[] = [
  {
    id: 'path:walk-no-follow/directory_tree',
    class: 'path',
    tool: 'directory_tree',
    arguments: { path: '.', max_depth: 8, include_ignored: true },
    expect: { kind: 'contained' },
    forbidden: () => WALK_LEAKS,
  },
  {
    id: 'path:walk-no-follow/search_files',
    class: 'path',
    tool: 'search_files',
    arguments: { path: '.', pattern: '**/*', include_ignored: true },
    expect: { kind: 'contained' },
    forbidden: () => WALK_LEAKS,
  },
  {
    id: 'path:walk-no-follow/list_directory',
    class: 'path',
    tool: 'list_directory',
    arguments: { path: '.', include_ignored: true },
    expect: { kind: 'contained' },
  },
  {
    id: 'path:glob-dotdot/search_files',
    class: 'path',
    tool: 'search_files',
    arguments: { path: '.', pattern: '../outside/*' },
    expect: refused(PATTERN_ESCAPE),
    forbidden: () => ['secret.txt'],
  },
  {
    id: 'path:glob-dotdot-globstar/search_files',
    class: 'path',
    tool: 'search_files',
    arguments: { path: '.', pattern: '../**/secret.txt' },
    expect: refused(PATTERN_ESCAPE),
    forbidden: () => ['/outside/secret.txt', '/root-evil/secret.txt', 'link-dir-out/secret.txt'],
  },
  {
    id: 'path:glob-absolute/search_files',
    class: 'path',
    tool: 'search_files',
    arguments: (fx) => ({ path: '.', pattern: `${fx.outside}/*` }),
    expect: refused(PATTERN_ESCAPE),
    forbidden: () => ['secret.txt'],
  },
  {
    id: 'path:glob-system/search_files',
    class: 'path',
    tool: 'search_files',
    arguments: { path: '.', pattern: '/etc/pass*' },
    expect: refused(PATTERN_ESCAPE),
    forbidden: () => ['passwd'],
  },
  {
    id: 'path:glob-brace-dotdot/search_files',
    class: 'path',
    tool: 'search_files',
    arguments: { path: '.', pattern: '{../outside,sub}/*' },
    expect: { kind: 'contained' },
    forbidden: () => ['secret.txt'],
  },
  {
    id: 'path:glob-through-link/search_files',
    class: 'path',
    tool: 'search_files',
    arguments: { path: '.', pattern: '**/keep.txt' },
    expect: { kind: 'contained' },
    forbidden: () => ['dir/keep.txt'],
  },
  {
    id: 'path:grep-through-links/search_content',
    class: 'path',
    tool: 'search_content',
    arguments: { path: '.', query: 'OUTSIDE-SECRET', literal: true, include_ignored: true },
    expect: { kind: 'contained' },
  },
  {
    id: 'path:grep-sibling/search_content',
    class: 'path',
    tool: 'search_content',
    arguments: { path: '.', query: 'SIBLING-SECRET', literal: true, include_ignored: true },
    expect: { kind: 'contained' },
  },
  {
    id: 'path:grep-deny-list/search_content',
    class: 'path',
    tool: 'search_content',
    arguments: { path: '.', query: 'ENV-SECRET', literal: true, include_ignored: true },
    expect: { kind: 'contained' },
  },
  {
    id: 'path:grep-include-dotdot/search_content',
    class: 'path',
    tool: 'search_content',
    arguments: { path: '.', query: '.', include: '../outside/**' },
    expect: refused(PATTERN_ESCAPE),
  },
  {
    id: 'path:grep-include-absolute/search_content',
    class: 'path',
    tool: 'search_content',
    arguments: { path: '.', query: 'root:', literal: true, include: '/etc/passwd' },
    expect: refused(PATTERN_ESCAPE),
  },
  {
    id: 'path:tree-exclude-dotdot/directory_tree',
    class: 'path',
    tool: 'directory_tree',
    arguments: { path: 'sub', exclude: ['../**'] },
    expect: refused(PATTERN_ESCAPE),
  },
];

const writeCases: AttackCase<Fx>[] = WRITE_ESCAPES.flatMap((way): AttackCase<Fx>[] => [
  {
    id: `path:${way.name}/write_file`,
    class: 'path',
    tool: 'write_file',
    arguments: (fx) => ({ path: way.path(fx), content: 'PWNED' }),
    expect: refused(way.message),
  },
  {
    id: `path:${way.name}/append_file`,
    class: 'path',
    tool: 'append_file',
    arguments: (fx) => ({ path: way.path(fx), content: 'PWNED' }),
    expect: refused(way.message),
  },
  {
    id: `path:${way.name}/edit_file`,
    class: 'path',
    tool: 'edit_file',
    arguments: (fx) => ({ path: way.path(fx), edits: [{ old_text: 'SECRET', new_text: 'PWNED' }] }),
    expect: refused(way.message),
  },
  {
    id: `path:${way.name}/copy_file-destination`,
    class: 'path',
    tool: 'copy_file',
    arguments: (fx) => ({ source: 'inside.txt', destination: way.path(fx), overwrite: true }),
    expect: refused(way.message),
  },
  {
    // Renaming onto a link replaces the link, inside the root (a symlink moves as a link); only
    // the post-check can tell that from a move through it.
    id: `path:${way.name}/move_file-destination`,
    class: 'path',
    tool: 'move_file',
    arguments: (fx) => ({ source: 'movable.txt', destination: way.path(fx), overwrite: true }),
    expect: way.finalLink ? { kind: 'contained' } : refused(way.message),
  },
]);

const directoryCases: AttackCase<Fx>[] = [
  { name: 'dotdot', path: at('../outside/made'), message: OUTSIDE },
  { name: 'absolute-outside', path: (fx: Fx) => path.join(fx.outside, 'made'), message: OUTSIDE },
  { name: 'absolute-tmp', path: (fx: Fx) => path.join('/tmp', fx.plantedName), message: OUTSIDE },
  { name: 'symlink-dir-out', path: at('link-dir-out/made'), message: OUTSIDE },
  { name: 'symlink-chain-dir', path: at('chain-dir/made'), message: OUTSIDE },
  { name: 'symlink-dangling-out', path: at('dangling-dir-out'), message: OUTSIDE },
  { name: 'symlink-dangling-out-nested', path: at('dangling-dir-out/deeper'), message: OUTSIDE },
  { name: 'symlink-parent', path: at('link-parent/made'), message: OUTSIDE },
  { name: 'file-uri', path: (fx: Fx) => `file://${fx.outside}/made`, message: OUTSIDE },
  { name: 'nul-byte', path: at('made\u0000/../../outside/made'), message: NUL },
  { name: 'read-only-root', path: (fx: Fx) => path.join(fx.readOnlyRoot, 'made'), message: READ_ONLY },
].map(
  (way): AttackCase<Fx> => ({
    id: `path:${way.name}/create_directory`,
    class: 'path',
    tool: 'create_directory',
    arguments: (fx) => ({ path: way.path(fx) }),
    expect: refused(way.message),
  }),
);

const moveSourceCases: AttackCase<Fx>[] = [
  { name: 'dotdot', path: at('../outside/secret.txt'), message: OUTSIDE },
  { name: 'absolute-outside', path: (fx: Fx) => path.join(fx.outside, 'secret.txt'), message: OUTSIDE },
  { name: 'prefix-sibling', path: (fx: Fx) => path.join(fx.sibling, 'secret.txt'), message: OUTSIDE },
  { name: 'symlink-dir-out', path: at('link-dir-out/secret.txt'), message: OUTSIDE },
  { name: 'symlink-chain-dir', path: at('chain-dir/secret.txt'), message: OUTSIDE },
  { name: 'symlink-parent', path: at('link-parent/outside'), message: OUTSIDE },
  { name: 'file-uri', path: (fx: Fx) => `file://${fx.outside}/secret.txt`, message: OUTSIDE },
  { name: 'read-only-root', path: (fx: Fx) => path.join(fx.readOnlyRoot, 'locked.txt'), message: READ_ONLY },
].map(
  (way): AttackCase<Fx> => ({
    id: `path:${way.name}/move_file-source`,
    class: 'path',
    tool: 'move_file',
    arguments: (fx) => ({ source: way.path(fx), destination: 'stolen-by-move.txt' }),
    expect: refused(way.message),
    verify: noStolenCopy('stolen-by-move.txt'),
  }),
);

const deleteCases: AttackCase<Fx>[] = [
  { name: 'dotdot', path: at('../outside/secret.txt'), message: OUTSIDE, recursive: false },
  { name: 'absolute-outside', path: (fx: Fx) => fx.outside, message: OUTSIDE, recursive: true },
  { name: 'prefix-sibling', path: (fx: Fx) => fx.sibling, message: OUTSIDE, recursive: true },
  { name: 'symlink-dir-out', path: at('link-dir-out/secret.txt'), message: OUTSIDE, recursive: false },
  { name: 'symlink-chain-dir', path: at('chain-dir/dir'), message: OUTSIDE, recursive: true },
  { name: 'symlink-parent', path: at('link-parent/outside'), message: OUTSIDE, recursive: true },
  {
    name: 'file-uri',
    path: (fx: Fx) => `file://${fx.outside}/secret.txt`,
    message: OUTSIDE,
    recursive: false,
  },
  { name: 'nul-byte', path: at('inside.txt\u0000/../../outside'), message: NUL, recursive: true },
  { name: 'root-itself', path: at('.'), message: ROOT_ITSELF, recursive: true },
  { name: 'root-itself-absolute', path: (fx: Fx) => fx.root, message: ROOT_ITSELF, recursive: true },
  { name: 'root-itself-dotdot', path: at('sub/..'), message: ROOT_ITSELF, recursive: true },
  {
    name: 'read-only-root',
    path: (fx: Fx) => path.join(fx.readOnlyRoot, 'locked.txt'),
    message: READ_ONLY,
    recursive: false,
  },
  { name: 'deny-env', path: at('.env'), message: DENIED, recursive: false },
].map(
  (way): AttackCase<Fx> => ({
    id: `path:${way.name}/delete_path`,
    class: 'path',
    tool: 'delete_path',
    arguments: (fx) => ({ path: way.path(fx), recursive: way.recursive }),
    expect: refused(way.message),
  }),
);

const controls: AttackCase<Fx>[] = [
  {
    id: 'path:control-read-inside/read_text_file',
    class: 'path',
    tool: 'read_text_file',
    arguments: { path: 'inside.txt' },
    expect: { kind: 'allowed', contains: 'INSIDE-' },
  },
  {
    id: 'path:control-read-only-root/read_text_file',
    class: 'path',
    tool: 'read_text_file',
    arguments: (fx) => ({ path: path.join(fx.readOnlyRoot, 'locked.txt') }),
    expect: { kind: 'allowed', contains: 'LOCKED-' },
  },
  {
    id: 'path:control-list-root/list_directory',
    class: 'path',
    tool: 'list_directory',
    arguments: { path: '.' },
    expect: { kind: 'allowed', contains: 'inside.txt' },
  },
  {
    id: 'path:control-grep-inside/search_content',
    class: 'path',
    tool: 'search_content',
    arguments: { path: '.', query: 'INSIDE-', literal: true },
    expect: { kind: 'allowed', contains: 'inside.txt' },
  },
  {
    id: 'path:control-tree-inside/directory_tree',
    class: 'path',
    tool: 'directory_tree',
    arguments: { path: '.' },
    expect: { kind: 'allowed', contains: 'sub/deep.txt' },
  },
  {
    id: 'path:control-write-inside/write_file',
    class: 'path',
    tool: 'write_file',
    arguments: { path: 'control-written.txt', content: 'written\n' },
    expect: { kind: 'allowed', contains: 'control-written.txt' },
  },
];

/** Writes to a name hard-linked to an outside file: refused, like reads, and the file unchanged. */
const hardLinkWrites: AttackCase<Fx>[] = [
  {
    id: 'path:hard-link-out/append_file',
    class: 'path',
    tool: 'append_file',
    arguments: { path: 'hard-secret', content: 'PWNED' },
    expect: refused(HARD_LINK),
  },
  {
    id: 'path:hard-link-out/edit_file',
    class: 'path',
    tool: 'edit_file',
    arguments: { path: 'hard-secret', edits: [{ old_text: 'SECRET', new_text: 'PWNED' }] },
    expect: refused(HARD_LINK),
  },
  {
    id: 'path:hard-link-out/write_file',
    class: 'path',
    tool: 'write_file',
    arguments: { path: 'hard-secret', content: 'PWNED' },
    expect: refused(HARD_LINK),
  },
];

/**
 * The filesystem's path-escape cases, in run order: controls, reads, listings, walks, writes.
 * The target puts back after every case whatever a permitted write replaced inside the root.
 */
export const FILESYSTEM_PATH_CASES: readonly AttackCase<Fx>[] = [
  ...controls,
  ...readCases,
  ...mediaCases,
  ...infoCases,
  ...dirCases,
  ...walkCases,
  ...copySourceCases,
  ...moveSourceCases,
  ...writeCases,
  ...directoryCases,
  ...deleteCases,
  ...hardLinkWrites,
];

/** Request paths of a refused or contained GitHub call must stay below `/repos/octo/` (see the target's post-check). */
const SEGMENT = /not a valid path segment|not a repository name/;

/** GitHub: traversal through repository paths, refs and names. */
export const GITHUB_PATH_CASES: readonly AttackCase<GitHubFixture>[] = [
  {
    id: 'path:github-control/get_file_contents',
    class: 'path',
    tool: 'get_file_contents',
    arguments: { repo: 'octo/hello', path: 'README.md' },
    expect: { kind: 'allowed', contains: 'content of README.md' },
  },
  ...(
    [
      ['dotdot', { repo: 'octo/hello', path: '../../../user' }],
      ['dotdot-to-other-repo', { repo: 'octo/hello', path: '../../../../evil/bait/contents/README.md' }],
      ['dotdot-after-segment', { repo: 'octo/hello', path: 'src/../../../../evil/bait' }],
      ['dot-segment', { repo: 'octo/hello', path: './../x' }],
      ['repo-dotdot', { repo: 'octo/hello/../../evil/bait', path: 'README.md' }],
      ['repo-dotdot-owner', { repo: '../evil', path: 'README.md' }],
      ['repo-dotdot-name', { repo: 'octo/..', path: 'README.md' }],
      ['repo-extra-segment', { repo: 'octo/hello/contents', path: 'x' }],
    ] as const
  ).map(
    ([name, args]): AttackCase<GitHubFixture> => ({
      id: `path:github-${name}/get_file_contents`,
      class: 'path',
      tool: 'get_file_contents',
      arguments: args,
      expect: refused(SEGMENT),
    }),
  ),
  {
    id: 'path:github-outside-allowlist/get_file_contents',
    class: 'path',
    tool: 'get_file_contents',
    arguments: { repo: 'evil/bait', path: 'README.md' },
    expect: refused(/outside the repositories this server may use/),
  },
  ...(
    [
      ['encoded-slash', 'get_file_contents', { repo: 'octo/hello', path: '..%2f..%2f..%2fuser' }],
      ['backslash', 'get_file_contents', { repo: 'octo/hello', path: '..\\..\\..\\user' }],
      ['encoded-dots', 'get_file_contents', { repo: 'octo/hello', path: '%2e%2e/%2e%2e/%2e%2e/user' }],
      ['ref-dotdot', 'get_file_contents', { repo: 'octo/hello', path: 'README.md', ref: '../../../../user' }],
      ['sha-dotdot', 'get_commit', { repo: 'octo/hello', sha: '../../../../user' }],
      ['tree-ref-dotdot', 'get_repository_tree', { repo: 'octo/hello', ref: '../../../../user' }],
      ['tree-prefix-dotdot', 'get_repository_tree', { repo: 'octo/hello', path_prefix: '../../..' }],
      ['commits-path-dotdot', 'list_commits', { repo: 'octo/hello', path: '../../../../user' }],
      ['commits-ref-dotdot', 'list_commits', { repo: 'octo/hello', ref: '../../../../user' }],
    ] as const
  ).map(
    ([name, tool, args]): AttackCase<GitHubFixture> => ({
      id: `path:github-${name}/${tool}`,
      class: 'path',
      tool,
      arguments: args,
      expect: { kind: 'contained' },
    }),
  ),
];
