/**
 * Secret deny list: the default patterns, operator changes, and the sandbox refusing secrets inside
 * the roots (by canonical path, so a symlink with an innocent name does not help).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDenyList, DEFAULT_DENY_PATTERNS, type Sandbox } from '../src/index.js';
import { expectSandboxError, makeSandbox, makeTempTree, removeTempTree, type TempTree } from './fixtures.js';

describe('createDenyList (pattern matching on canonical paths)', () => {
  const defaults = createDenyList();

  it('sandbox:deny-list — .env and .env.* are denied at any depth', () => {
    for (const file of ['/p/.env', '/p/a/b/c/.env', '/p/.env.local', '/p/.env.production', '/.env']) {
      expect(defaults.isDenied(file), file).toBe(true);
    }
  });

  it('sandbox:deny-list — .env templates stay readable', () => {
    for (const file of ['/p/.env.example', '/p/.env.sample', '/p/.env.template', '/p/a/.env.example']) {
      expect(defaults.isDenied(file), file).toBe(false);
    }
  });

  it('sandbox:deny-list — names that only contain "env" are not denied', () => {
    for (const file of ['/p/env', '/p/my.env.ts', '/p/.envrc-notes/readme.md', '/p/environment.ts']) {
      expect(defaults.isDenied(file), file).toBe(false);
    }
  });

  it('sandbox:deny-list — .ssh is denied as a directory and for everything inside it', () => {
    expect(defaults.isDenied('/home/u/.ssh', true)).toBe(true);
    expect(defaults.isDenied('/home/u/.ssh/id_rsa')).toBe(true);
    expect(defaults.isDenied('/home/u/.ssh/known_hosts')).toBe(true);
    expect(defaults.isDenied('/home/u/.ssh/sub/dir/file')).toBe(true);
  });

  it('sandbox:deny-list — private keys, credentials and token files are denied wherever they are', () => {
    for (const file of [
      '/p/id_rsa',
      '/p/id_ed25519',
      '/p/keys/id_ecdsa_sk',
      '/p/server.pem',
      '/p/tls/server.key',
      '/p/cert.p12',
      '/p/store.jks',
      '/home/u/.aws/credentials',
      '/home/u/.aws/config',
      '/home/u/.docker/config.json',
      '/home/u/.kube/config',
      '/home/u/.config/gh/hosts.yml',
      '/p/repo/.git/config',
      '/home/u/.git-credentials',
      '/home/u/.netrc',
      '/home/u/.pgpass',
      '/p/.npmrc',
      '/p/.pypirc',
    ]) {
      expect(defaults.isDenied(file), file).toBe(true);
    }
    expect(defaults.isDenied('/home/u/.gnupg', true)).toBe(true);
    expect(defaults.isDenied('/home/u/.gnupg/private-keys-v1.d/x.key')).toBe(true);
  });

  it('sandbox:deny-list — ordinary files, public keys outside .ssh and look-alikes are allowed', () => {
    for (const file of [
      '/p/README.md',
      '/p/src/index.ts',
      '/p/deploy/id_rsa.pub',
      '/p/repo/.git/HEAD',
      '/p/.gitconfig-notes.md',
      '/p/keys.txt',
      '/p/config.json',
      '/p/aws/credentials.md',
    ]) {
      expect(defaults.isDenied(file), file).toBe(false);
    }
  });

  it('sandbox:deny-list — matching ignores case, so .ENV and ID_RSA are still secrets', () => {
    expect(defaults.isDenied('/p/.ENV')).toBe(true);
    expect(defaults.isDenied('/p/ID_RSA')).toBe(true);
    expect(defaults.isDenied('/p/Server.PEM')).toBe(true);
  });

  it('sandbox:deny-list — the file system root itself is never denied', () => {
    expect(defaults.isDenied('/')).toBe(false);
    expect(defaults.isDenied('/', true)).toBe(false);
  });

  it('sandbox:deny-list — the defaults are the documented list, in order', () => {
    expect(defaults.patterns).toEqual(DEFAULT_DENY_PATTERNS);
    expect(DEFAULT_DENY_PATTERNS).toContain('.env');
    expect(DEFAULT_DENY_PATTERNS).toContain('!.env.example');
    expect(DEFAULT_DENY_PATTERNS).toContain('.ssh/');
  });

  it('sandbox:deny-list — operator allow re-allows a default secret', () => {
    const list = createDenyList({ allow: ['.npmrc', '.env'] });
    expect(list.isDenied('/home/u/app/.npmrc')).toBe(false);
    expect(list.isDenied('/p/.env')).toBe(false);
    expect(list.isDenied('/p/.env.local')).toBe(true);
    expect(list.isDenied('/p/id_rsa')).toBe(true);
    expect(list.patterns.slice(-2)).toEqual(['!.npmrc', '!.env']);
  });

  it('sandbox:deny-list — operator deny adds patterns on top of the defaults', () => {
    const list = createDenyList({ deny: ['*.sqlite', 'private/'] });
    expect(list.isDenied('/p/data.sqlite')).toBe(true);
    expect(list.isDenied('/p/private/notes.md')).toBe(true);
    expect(list.isDenied('/p/.env')).toBe(true);
    expect(list.isDenied('/p/public/notes.md')).toBe(false);
  });

  it('sandbox:deny-list — useDefaults:false starts from nothing', () => {
    const empty = createDenyList({ useDefaults: false });
    expect(empty.patterns).toEqual([]);
    expect(empty.isDenied('/p/.env')).toBe(false);
    expect(empty.isDenied('/home/u/.ssh/id_rsa')).toBe(false);
    const only = createDenyList({ useDefaults: false, deny: ['*.secret'] });
    expect(only.patterns).toEqual(['*.secret']);
    expect(only.isDenied('/p/a.secret')).toBe(true);
    expect(only.isDenied('/p/.env')).toBe(false);
  });
});

describe('Sandbox with the deny list (real files)', () => {
  let tree: TempTree;
  let root: string;
  let sandbox: Sandbox;

  beforeEach(async () => {
    tree = await makeTempTree();
    root = tree.root;
    sandbox = makeSandbox([root]);
  });

  afterEach(async () => {
    await removeTempTree(tree);
  });

  it('sandbox:denied — .env inside the root is refused for read and write', async () => {
    await fs.writeFile(path.join(root, '.env'), 'TOKEN=1');
    await expectSandboxError(sandbox.resolve('.env', 'read'), 'denied');
    await expectSandboxError(sandbox.resolve('.env', 'write'), 'denied');
    await expectSandboxError(sandbox.resolve('sub/.env.local', 'write'), 'denied');
  });

  it('sandbox:denied — .env.example inside the root is allowed', async () => {
    await fs.writeFile(path.join(root, '.env.example'), 'TOKEN=');
    const resolved = await sandbox.resolve('.env.example', 'read');
    const verified = await sandbox.open(resolved, 'file');
    try {
      expect(await verified.handle.readFile('utf8')).toBe('TOKEN=');
    } finally {
      await verified.handle.close();
    }
  });

  it('sandbox:denied — .ssh/id_rsa, the .ssh directory and new files in it are refused', async () => {
    await fs.mkdir(path.join(root, '.ssh'));
    await fs.writeFile(path.join(root, '.ssh', 'id_rsa'), 'PRIVATE');
    await fs.writeFile(path.join(root, '.ssh', 'config'), 'Host *');
    await expectSandboxError(sandbox.resolve('.ssh/id_rsa', 'read'), 'denied');
    await expectSandboxError(sandbox.resolve('.ssh/config', 'read'), 'denied');
    await expectSandboxError(sandbox.resolve('.ssh', 'read'), 'denied');
    await expectSandboxError(sandbox.resolve('.ssh/authorized_keys', 'write'), 'denied');
  });

  it('sandbox:denied — a symlink with an innocent name that points at a secret is refused', async () => {
    await fs.writeFile(path.join(root, '.env'), 'TOKEN=1');
    await fs.symlink('.env', path.join(root, 'notes.txt'));
    await expectSandboxError(sandbox.resolve('notes.txt', 'read'), 'denied');
    await fs.mkdir(path.join(root, '.ssh'));
    await fs.symlink('.ssh', path.join(root, 'keys'));
    await expectSandboxError(sandbox.resolve('keys', 'read'), 'denied');
    await expectSandboxError(sandbox.resolve('keys/new', 'write'), 'denied');
  });

  it('sandbox:denied — the operator allow list re-allows a secret through the sandbox', async () => {
    await fs.writeFile(path.join(root, '.env'), 'TOKEN=1');
    const box = makeSandbox([root], { denyList: createDenyList({ allow: ['.env'] }) });
    const verified = await box.open(await box.resolve('.env', 'read'), 'file');
    try {
      expect(await verified.handle.readFile('utf8')).toBe('TOKEN=1');
    } finally {
      await verified.handle.close();
    }
  });

  it('sandbox:denied — useDefaults:false lets the sandbox read .env', async () => {
    await fs.writeFile(path.join(root, '.env'), 'TOKEN=1');
    const box = makeSandbox([root], { denyList: createDenyList({ useDefaults: false }) });
    expect((await box.resolve('.env', 'read')).real).toBe(path.join(root, '.env'));
  });
});

describe('deny list relative to the operator root', () => {
  it('sandbox:deny-list — patterns match below the base only, so a root under a secret-like directory works', () => {
    const list = createDenyList();
    expect(list.isDenied('/srv/.env/app/main.py', false, '/srv/.env/app')).toBe(false);
    expect(list.isDenied('/srv/.env/app/.env', false, '/srv/.env/app')).toBe(true);
    expect(list.isDenied('/srv/app.key/src/x.ts', false, '/srv/app.key')).toBe(false);
    expect(list.isDenied('/elsewhere/x', false, '/srv/app')).toBe(false);
  });

  it('sandbox:deny-list — a sandbox whose root lives inside a directory named .env can read its files', async () => {
    const base = await makeTempTree();
    try {
      const root = path.join(base.base, '.env', 'project');
      await fs.mkdir(root, { recursive: true });
      await fs.writeFile(path.join(root, 'main.py'), 'print(1)\n');
      await fs.writeFile(path.join(root, '.env'), 'TOKEN=x\n');
      const sandbox = makeSandbox([root]);
      expect((await sandbox.resolve('main.py', 'read')).real).toBe(path.join(root, 'main.py'));
      await expectSandboxError(sandbox.resolve('.env', 'read'), 'denied');
    } finally {
      await removeTempTree(base);
    }
  });
});
