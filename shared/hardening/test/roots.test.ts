/**
 * Operator roots and client roots: parsing, canonical resolution, and the rule that client roots
 * narrow the operator's roots but never widen them or lift a read-only flag.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  expandHome,
  intersectClientRoots,
  parseRootSpec,
  resolveOperatorRoots,
  type Sandbox,
  splitRootList,
} from '../src/index.js';
import { expectSandboxError, makeSandbox, makeTempTree, removeTempTree, type TempTree } from './fixtures.js';

let tree: TempTree;
let root: string;
let outside: string;

beforeEach(async () => {
  tree = await makeTempTree();
  ({ root, outside } = tree);
});

afterEach(async () => {
  await removeTempTree(tree);
});

const uri = (directory: string): string => pathToFileURL(directory).href;

describe('splitRootList', () => {
  it('roots:list — keeps each :ro / :rw suffix on its directory when the delimiter is a colon', () => {
    expect(splitRootList('/data:ro:/notes', ':')).toEqual(['/data:ro', '/notes']);
    expect(splitRootList('/a:/b:rw:/c:ro', ':').map(parseRootSpec)).toEqual([
      { path: '/a', readOnly: false },
      { path: '/b', readOnly: false },
      { path: '/c', readOnly: true },
    ]);
    expect(splitRootList('~/project::~/notes:ro:', ':')).toEqual(['~/project', '~/notes:ro']);
    // A leading `ro` has no directory to belong to, so it is a directory; `./ro` says so plainly.
    expect(splitRootList('ro:./ro:ro', ':')).toEqual(['ro', './ro:ro']);
  });

  it('roots:list — splits on the Windows delimiter, where drive letters hold colons', () => {
    expect(splitRootList('C:\\data:ro;D:\\notes;', ';').map(parseRootSpec)).toEqual([
      { path: 'C:\\data', readOnly: true },
      { path: 'D:\\notes', readOnly: false },
    ]);
  });

  it("roots:list — defaults to this platform's path.delimiter and drops empty entries", () => {
    expect(splitRootList('')).toEqual([]);
    expect(splitRootList(['/a', '/b'].join(path.delimiter))).toEqual(['/a', '/b']);
  });
});

describe('parseRootSpec and expandHome', () => {
  it('roots:spec — DIR, DIR:ro and DIR:rw', () => {
    expect(parseRootSpec('/data')).toEqual({ path: '/data', readOnly: false });
    expect(parseRootSpec('/data:ro')).toEqual({ path: '/data', readOnly: true });
    expect(parseRootSpec('/data:rw')).toEqual({ path: '/data', readOnly: false });
    expect(parseRootSpec('~/notes:ro')).toEqual({ path: '~/notes', readOnly: true });
  });

  it('roots:spec — only a trailing :ro or :rw is a flag', () => {
    expect(parseRootSpec('C:\\data')).toEqual({ path: 'C:\\data', readOnly: false });
    expect(parseRootSpec('/a:b:ro')).toEqual({ path: '/a:b', readOnly: true });
    expect(parseRootSpec('/data:ro/sub')).toEqual({ path: '/data:ro/sub', readOnly: false });
    expect(parseRootSpec('/data:RO')).toEqual({ path: '/data:RO', readOnly: false });
    expect(parseRootSpec(':ro')).toEqual({ path: ':ro', readOnly: false });
  });

  it('roots:spec — expandHome expands ~ and resolves relative paths against cwd', () => {
    expect(expandHome('~')).toBe(os.homedir());
    expect(expandHome('~/notes')).toBe(path.join(os.homedir(), 'notes'));
    expect(expandHome('notes', '/base')).toBe('/base/notes');
    expect(expandHome('../x', '/base/dir')).toBe('/base/x');
    expect(expandHome('/abs/./a/../b', '/base')).toBe('/abs/b');
    expect(expandHome('~user/x', '/base')).toBe('/base/~user/x');
  });
});

describe('resolveOperatorRoots', () => {
  it('roots:operator — roots are canonicalised through symlinks', async () => {
    await fs.symlink(root, path.join(tree.base, 'alias'));
    const { roots, rejected } = await resolveOperatorRoots([
      { path: path.join(tree.base, 'alias'), readOnly: true },
    ]);
    expect(roots).toEqual([{ path: root, readOnly: true }]);
    expect(rejected).toEqual([]);
  });

  it('roots:operator — missing roots and files are reported, not silently dropped', async () => {
    await fs.writeFile(path.join(tree.base, 'file.txt'), 'x');
    const missing = path.join(tree.base, 'missing');
    const file = path.join(tree.base, 'file.txt');
    const { roots, rejected } = await resolveOperatorRoots([
      { path: missing, readOnly: false },
      { path: file, readOnly: false },
      { path: root, readOnly: false },
    ]);
    expect(roots).toEqual([{ path: root, readOnly: false }]);
    expect(rejected).toEqual([
      { path: missing, reason: 'ENOENT' },
      { path: file, reason: 'not a directory' },
    ]);
  });

  it('roots:operator — the same directory named twice becomes one root', async () => {
    await fs.symlink(root, path.join(tree.base, 'alias'));
    const { roots } = await resolveOperatorRoots([
      { path: root, readOnly: true },
      { path: path.join(tree.base, 'alias'), readOnly: true },
    ]);
    expect(roots).toEqual([{ path: root, readOnly: true }]);
  });
});

describe('client roots (intersected, never widened)', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    await fs.mkdir(path.join(root, 'client'));
    await fs.mkdir(path.join(root, 'other'));
    await fs.writeFile(path.join(root, 'client', 'in.txt'), 'in');
    await fs.writeFile(path.join(root, 'other', 'x.txt'), 'x');
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    sandbox = makeSandbox([root]);
  });

  it('sandbox:client-roots — a client root at the parent of the operator root does not widen', async () => {
    const effective = await sandbox.applyClientRoots([uri(tree.base)]);
    expect(effective).toEqual([{ path: root, readOnly: false }]);
    expect(sandbox.roots).toEqual(sandbox.policy.roots);
    await expectSandboxError(sandbox.resolve(path.join(outside, 'secret.txt'), 'read'), 'outside-roots');
    await expectSandboxError(sandbox.resolve('../outside/secret.txt', 'read'), 'outside-roots');
  });

  it('sandbox:client-roots — a client root at / does not widen', async () => {
    expect(await sandbox.applyClientRoots(['file:///'])).toEqual([{ path: root, readOnly: false }]);
    await expectSandboxError(sandbox.resolve('/etc/passwd', 'read'), 'outside-roots');
  });

  it('sandbox:client-roots — a client root inside the operator root narrows it', async () => {
    const client = path.join(root, 'client');
    expect(await sandbox.applyClientRoots([uri(client)])).toEqual([{ path: client, readOnly: false }]);
    await expectSandboxError(sandbox.resolve(path.join(root, 'other', 'x.txt'), 'read'), 'outside-roots');
    await expectSandboxError(sandbox.resolve(root, 'read'), 'outside-roots');
    expect((await sandbox.resolve(path.join(client, 'in.txt'), 'read')).root.path).toBe(client);
    // Relative paths now resolve against the narrowed root.
    expect((await sandbox.resolve('in.txt', 'read')).real).toBe(path.join(client, 'in.txt'));
    await expectSandboxError(sandbox.resolve('../other/x.txt', 'read'), 'outside-roots');
  });

  it('sandbox:no-roots — a disjoint client root leaves nothing accessible', async () => {
    expect(await sandbox.applyClientRoots([uri(outside)])).toEqual([]);
    await expectSandboxError(sandbox.resolve(path.join(root, 'client', 'in.txt'), 'read'), 'no-roots');
    await expectSandboxError(sandbox.resolve(path.join(outside, 'secret.txt'), 'read'), 'no-roots');
    await expectSandboxError(sandbox.resolve('in.txt', 'read'), 'no-roots');
  });

  it('sandbox:client-roots — an empty list or undefined restores the operator roots', async () => {
    await sandbox.applyClientRoots([uri(outside)]);
    expect(await sandbox.applyClientRoots([])).toEqual([{ path: root, readOnly: false }]);
    await sandbox.applyClientRoots([uri(path.join(root, 'client'))]);
    expect(await sandbox.applyClientRoots(undefined)).toEqual([{ path: root, readOnly: false }]);
    expect((await sandbox.resolve(path.join(root, 'other', 'x.txt'), 'read')).root.path).toBe(root);
  });

  it('sandbox:client-roots — non-file URIs are ignored', async () => {
    const client = path.join(root, 'client');
    expect(
      await sandbox.applyClientRoots([
        'https://example.com/',
        `http://localhost${root}`,
        'not a uri',
        uri(client),
      ]),
    ).toEqual([{ path: client, readOnly: false }]);
    // A list of only ignored URIs overlaps nothing: no roots.
    expect(await sandbox.applyClientRoots(['https://example.com/'])).toEqual([]);
    await expectSandboxError(sandbox.resolve('client/in.txt', 'read'), 'no-roots');
  });

  it('sandbox:client-roots — missing directories, files and remote-host file URIs are ignored', async () => {
    const effective = await sandbox.applyClientRoots([
      uri(path.join(root, 'missing')),
      uri(path.join(root, 'client', 'in.txt')),
      `file://example.com${root}`,
    ]);
    expect(effective).toEqual([]);
  });

  it('sandbox:client-roots — a client root through a symlink pointing outside does not widen', async () => {
    await fs.symlink(outside, path.join(root, 'escape'));
    expect(await sandbox.applyClientRoots([uri(path.join(root, 'escape'))])).toEqual([]);
  });

  it('sandbox:client-roots — a client root through a symlink pointing inside is canonicalised', async () => {
    await fs.symlink(path.join(root, 'client'), path.join(tree.base, 'client-alias'));
    expect(await sandbox.applyClientRoots([uri(path.join(tree.base, 'client-alias'))])).toEqual([
      { path: path.join(root, 'client'), readOnly: false },
    ]);
  });

  it('sandbox:client-roots — percent-encoded client URIs are decoded', async () => {
    const spaced = path.join(root, 'my dir');
    await fs.mkdir(spaced);
    expect(await sandbox.applyClientRoots([uri(spaced)])).toEqual([{ path: spaced, readOnly: false }]);
  });

  it('sandbox:read-only — a :ro operator root stays read-only through a client root inside it', async () => {
    const box = makeSandbox([{ path: root, readOnly: true }]);
    const client = path.join(root, 'client');
    expect(await box.applyClientRoots([uri(client)])).toEqual([{ path: client, readOnly: true }]);
    await expectSandboxError(box.resolve('new.txt', 'write'), 'read-only');
    expect((await box.resolve('in.txt', 'read')).real).toBe(path.join(client, 'in.txt'));
  });

  it('sandbox:read-only — a :ro operator root nested in a writable one stays read-only through a client root', async () => {
    const locked = path.join(root, 'client');
    const inner = path.join(locked, 'inner');
    await fs.mkdir(inner);
    const box = makeSandbox([root, { path: locked, readOnly: true }]);
    await expectSandboxError(box.resolve(path.join(inner, 'new.txt'), 'write'), 'read-only');
    expect(await box.applyClientRoots([uri(inner)])).toEqual([{ path: inner, readOnly: true }]);
    await expectSandboxError(box.resolve(path.join(inner, 'new.txt'), 'write'), 'read-only');
  });

  it('sandbox:client-roots — a client root covering several operator roots keeps each with its access', async () => {
    const second = path.join(tree.base, 'second');
    await fs.mkdir(second);
    const box = makeSandbox([root, { path: second, readOnly: true }]);
    expect(await box.applyClientRoots([uri(tree.base)])).toEqual([
      { path: root, readOnly: false },
      { path: second, readOnly: true },
    ]);
    await expectSandboxError(box.resolve(path.join(outside, 'secret.txt'), 'read'), 'outside-roots');
  });

  it('sandbox:client-roots — intersectClientRoots never returns a path outside the operator roots', async () => {
    const operator = [{ path: path.join(root, 'client'), readOnly: false }];
    const effective = await intersectClientRoots(operator, [
      uri(root),
      uri(outside),
      uri(tree.base),
      'file:///',
    ]);
    expect(effective).toEqual(operator);
  });
});

describe('resolveOperatorRoots: the same directory twice', () => {
  it('sandbox:read-only — naming one directory as :ro and as read-write keeps it read-only', async () => {
    const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'bulwark-dup-')));
    try {
      for (const order of [
        [true, false],
        [false, true],
      ]) {
        const { roots } = await resolveOperatorRoots(order.map((readOnly) => ({ path: dir, readOnly })));
        expect(roots).toEqual([{ path: dir, readOnly: true }]);
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
