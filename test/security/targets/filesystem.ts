/**
 * The filesystem server with one writable root and one read-only root, next to the things an
 * escape would reach: a secret directory outside, a sibling whose name has the root's name as a
 * prefix, and links of every kind from inside to outside. Planted below `smuggle/<kind>/` are
 * files and directories whose names and contents carry hidden characters.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, lstat, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTempTree, type TreeSpec, writeTree } from '@bulwark/testkit';
import { startServer } from '../lib/servers.js';
import { plant, SMUGGLE_KINDS, type SmuggleKind } from '../lib/smuggle.js';
import { diffSnapshots, snapshotTree } from '../lib/snapshot.js';
import type { StartedTarget, Target } from '../lib/types.js';

/** Paths and markers the filesystem cases compute their arguments from. */
export interface FilesystemFixture {
  /** The temporary directory holding everything below. */
  base: string;
  /** The writable root (first root: relative paths resolve against it). */
  root: string;
  /** The read-only root (`:ro`). */
  readOnlyRoot: string;
  /** Outside every root: `secret.txt`, `pixel.png` and `dir/keep.txt`. */
  outside: string;
  /** Outside, and named like the root plus a suffix (`root-evil`). */
  sibling: string;
  /** The user's home directory, which `~/` expands to. */
  home: string;
  /** Random per run, part of every marker. */
  nonce: string;
  /** Content of `outside/secret.txt`. */
  outsideSecret: string;
  /** Content of `root-evil/secret.txt`. */
  siblingSecret: string;
  /** Content of `root/inside.txt`. */
  insideMarker: string;
  /** A file name an absolute write outside the roots would create (in /tmp and in the home directory). */
  plantedName: string;
  /** The names and contents planted below `smuggle/<kind>/`, relative to the root. */
  smuggle: Record<SmuggleKind, SmuggledFiles>;
}

/** What is planted in one `smuggle/<kind>/` directory. */
export interface SmuggledFiles {
  /** The directory, relative to the root. */
  dir: string;
  /** A file whose name hides the payload (content `NEEDLE`). */
  fileName: { raw: string; visible: string };
  /** A directory whose name hides the payload (holding `inner.txt`). */
  dirName: { raw: string; visible: string };
  /** The line inside `content.txt`. */
  contentLine: { raw: string; visible: string };
  /** Absolute canonical path of the file whose name hides the payload. */
  fileReal: string;
}

/** A 1×1 PNG: the outside file a media read would leak. */
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Files a case may create inside the root when a copy or move is let through; reset() removes them. */
export const STRAY_NAMES: readonly string[] = [
  'stolen-by-copy.txt',
  'stolen-by-move.txt',
  'stolen-by-copy.png',
];

/** The planted entries of one `smuggle/<kind>/` directory, and what they hide. */
function smuggleSpec(kind: SmuggleKind): { spec: TreeSpec; files: Omit<SmuggledFiles, 'fileReal' | 'dir'> } {
  const fileName = plant('file-', kind, { suffix: '.txt' });
  const dirName = plant('dir-', kind);
  const contentLine = plant('line-', kind);
  return {
    spec: {
      [fileName.raw]: 'NEEDLE\n',
      [dirName.raw]: { 'inner.txt': 'inner\n' },
      'content.txt': `${contentLine.raw}\n`,
      'link.txt': { symlink: fileName.raw },
    },
    files: { fileName, dirName, contentLine },
  };
}

/** How to start the filesystem target. */
export interface FilesystemTargetOptions {
  /**
   * Give the server the directory that holds the root and everything outside it as its root: a
   * deliberately wrong configuration under which the corpus must report escapes (it tests the
   * judge, not the server).
   */
  misconfigured?: boolean;
}

/**
 * The filesystem server over its fixture (see the module comment).
 *
 * @param options - the deliberately wrong configuration, for testing the judge
 * @returns the target
 */
export function createFilesystemTarget(options: FilesystemTargetOptions = {}): Target<FilesystemFixture> {
  return {
    name: options.misconfigured ? 'filesystem-misconfigured' : 'filesystem',
    server: 'filesystem',
    description: options.misconfigured
      ? 'filesystem BASE (the parent of ROOT and OUTSIDE: wrong on purpose)'
      : 'filesystem ROOT ROOT-RO:ro (write tools on), links and a hard link to OUTSIDE',
    start: () => startFilesystem(options),
  };
}

/** The filesystem server over its fixture, configured as documented. */
export const filesystemTarget: Target<FilesystemFixture> = createFilesystemTarget();

async function startFilesystem(options: FilesystemTargetOptions): Promise<StartedTarget<FilesystemFixture>> {
  const nonce = randomBytes(4).toString('hex');
  const tree = await createTempTree({}, 'bulwark-attack-fs-');
  const base = tree.dir;
  const root = path.join(base, 'root');
  const outside = path.join(base, 'outside');
  const sibling = path.join(base, 'root-evil');
  const readOnlyRoot = path.join(base, 'ro-root');
  const smuggle = {} as Record<SmuggleKind, SmuggledFiles>;
  const smuggleTree: TreeSpec = {};
  for (const kind of SMUGGLE_KINDS) {
    const { spec, files } = smuggleSpec(kind);
    smuggleTree[kind] = spec;
    smuggle[kind] = {
      ...files,
      dir: `smuggle/${kind}`,
      fileReal: path.join(root, 'smuggle', kind, files.fileName.raw),
    };
  }
  const fixture: FilesystemFixture = {
    base,
    root,
    readOnlyRoot,
    outside,
    sibling,
    home: os.homedir(),
    nonce,
    outsideSecret: `OUTSIDE-SECRET-${nonce}`,
    siblingSecret: `SIBLING-SECRET-${nonce}`,
    insideMarker: `INSIDE-${nonce}`,
    plantedName: `bulwark-attack-planted-${nonce}.txt`,
    smuggle,
  };
  // Links from inside the root, by name: what a case may replace and reset() puts back.
  const links: Record<string, string> = {
    'link-file-out': path.join(outside, 'secret.txt'),
    'link-rel-out': '../outside/secret.txt',
    'link-dir-out': outside,
    'chain-b': 'link-file-out',
    'chain-a': 'chain-b',
    'chain-dir': 'link-dir-out',
    'dangling-out': path.join(outside, 'created-through-link.txt'),
    'dangling-dir-out': path.join(outside, 'made-through-link'),
    'link-sibling': '../root-evil',
    'link-parent': '..',
    'loop-a': 'loop-b',
    'loop-b': 'loop-a',
    'link-pixel.png': path.join(outside, 'pixel.png'),
    'chain-pixel.png': 'link-pixel.png',
  };
  const files: Record<string, string> = {
    'inside.txt': `${fixture.insideMarker}\n`,
    'movable.txt': 'movable\n',
  };
  // Hard links inside the root to outside files: same inode, so no link to resolve.
  const hardLinks: Record<string, string> = {
    'hard-secret': path.join(outside, 'secret.txt'),
    'hard-pixel.png': path.join(outside, 'pixel.png'),
  };
  await writeTree(base, {
    outside: {
      'secret.txt': `${fixture.outsideSecret}\n`,
      'pixel.png': PIXEL_PNG,
      dir: { 'keep.txt': `keep ${nonce}\n` },
    },
    'root-evil': { 'secret.txt': `${fixture.siblingSecret}\n` },
    'ro-root': { 'locked.txt': `LOCKED-${nonce}\n` },
    root: {
      ...files,
      sub: { 'deep.txt': 'deep\n' },
      '.env': `ENV-SECRET-${nonce}\n`,
      ...Object.fromEntries(Object.entries(links).map(([name, target]) => [name, { symlink: target }])),
      smuggle: smuggleTree,
    },
  });
  // Misconfigured, the outside files are inside the root: a second name would only make the
  // server refuse them as hard-linked, which would hide what the judge is tested for.
  if (!options.misconfigured) {
    for (const [name, target] of Object.entries(hardLinks)) await link(target, path.join(root, name));
  }
  const session = await startServer(
    'filesystem',
    options.misconfigured ? [base] : [root, `${readOnlyRoot}:ro`],
  );
  const planted = [path.join(os.tmpdir(), fixture.plantedName), path.join(fixture.home, fixture.plantedName)];
  const watched = { outside, 'root-evil': sibling, 'ro-root': readOnlyRoot };
  return {
    session,
    fixture,
    forbidden: [
      fixture.outsideSecret,
      fixture.siblingSecret,
      `ENV-SECRET-${nonce}`,
      'root:x:0:0',
      outside,
      sibling,
    ],
    async watch() {
      const before = await Promise.all(Object.values(watched).map((dir) => snapshotTree(dir)));
      const names = (await readdir(base)).sort().join(',');
      return async () => {
        const after = await Promise.all(Object.values(watched).map((dir) => snapshotTree(dir)));
        const changes = Object.keys(watched).flatMap((label, index) =>
          diffSnapshots(label, before[index] ?? new Map(), after[index] ?? new Map()),
        );
        const namesNow = (await readdir(base)).sort().join(',');
        if (namesNow !== names) changes.push(`entries next to the root changed: ${names} -> ${namesNow}`);
        if (!existsSync(root)) changes.push('the root is gone');
        for (const file of planted) if (existsSync(file)) changes.push(`${file} was created`);
        return changes;
      };
    },
    async reset() {
      for (const [name, target] of Object.entries(links)) {
        const entry = path.join(root, name);
        if (
          await readlink(entry).then(
            (now) => now === target,
            () => false,
          )
        )
          continue;
        await rm(entry, { recursive: true, force: true });
        await symlink(target, entry);
      }
      for (const [name, content] of Object.entries(files)) {
        const entry = path.join(root, name);
        if (
          await readFile(entry, 'utf8').then(
            (now) => now === content,
            () => false,
          )
        )
          continue;
        await rm(entry, { recursive: true, force: true });
        await writeFile(entry, content);
      }
      for (const [name, target] of Object.entries(options.misconfigured ? {} : hardLinks)) {
        const entry = path.join(root, name);
        const [mine, theirs] = await Promise.all([lstat(entry).catch(() => undefined), lstat(target)]);
        if (mine?.ino === theirs.ino) continue;
        await rm(entry, { recursive: true, force: true });
        await link(target, entry);
      }
      for (const stray of STRAY_NAMES) await rm(path.join(root, stray), { recursive: true, force: true });
    },
    async close() {
      await session.close();
      await tree.remove();
      await Promise.all(planted.map((file) => rm(file, { force: true })));
    },
  };
}
