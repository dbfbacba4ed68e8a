import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHelp } from '../../scripts/docs/render.mjs';

// Every ```json block of every server README is a host configuration a user pastes as is. Each
// must parse, run the published package through npx, use only flags the built bin accepts, and
// keep secrets in "env", never in "args" (argv is visible to every user through `ps`).
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The environment variable that carries each server's secret, when it has one. */
const SECRET_ENV: Record<string, string | undefined> = {
  filesystem: undefined,
  sqlite: undefined,
  postgres: 'DATABASE_URL',
  fetch: undefined,
  github: 'GITHUB_PERSONAL_ACCESS_TOKEN',
  slack: 'SLACK_BOT_TOKEN',
};

type Host = 'claude' | 'vscode' | 'cursor' | 'windows';

interface JsonBlock {
  /** The paragraph right above the block, which names the host. */
  intro: string;
  json: string;
}

interface ServerEntry {
  type?: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
}

/** Extracts every fenced ```json block with the paragraph that introduces it. */
function jsonBlocks(markdown: string): JsonBlock[] {
  const blocks: JsonBlock[] = [];
  for (const match of markdown.matchAll(/```json\n([\s\S]*?)\n```/g)) {
    const before = markdown.slice(0, match.index).trimEnd();
    const intro = before.slice(before.lastIndexOf('\n\n') + 2);
    blocks.push({ intro, json: match[1] ?? '' });
  }
  return blocks;
}

function hostOf(intro: string): Host | undefined {
  if (intro.includes('cmd /c')) return 'windows';
  if (intro.includes('claude_desktop_config.json')) return 'claude';
  if (intro.includes('.vscode/mcp.json')) return 'vscode';
  if (intro.includes('.cursor/mcp.json')) return 'cursor';
  return undefined;
}

/** Values that look like a secret: tokens by their prefixes, or a URL with credentials. */
const SECRET_SHAPE = /^(ghp_|gho_|github_pat_|xox[abposr]-)|:\/\/[^/@\s]+@/;

const servers = ['filesystem', 'sqlite', 'postgres', 'fetch', 'github', 'slack'];

describe.each(servers)('servers/%s/README.md host configurations', (name) => {
  const readme = readFileSync(path.join(repo, 'servers', name, 'README.md'), 'utf8');
  const pkg = JSON.parse(readFileSync(path.join(repo, 'servers', name, 'package.json'), 'utf8')) as {
    name: string;
  };
  const blocks = jsonBlocks(readme);

  it('has one for Claude Desktop, VS Code, Cursor and Windows (cmd /c), each valid JSON', () => {
    const hosts = blocks.map((block) => hostOf(block.intro));
    expect(new Set(hosts)).toEqual(new Set(['claude', 'vscode', 'cursor', 'windows']));
    for (const block of blocks) expect(() => JSON.parse(block.json), block.json).not.toThrow();
  });

  it('starts the published package through npx, with flags the bin accepts and secrets in env', () => {
    const help = spawnSync(process.execPath, [path.join(repo, 'servers', name, 'dist/main.js'), '--help'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    const flags = new Set(parseHelp(help.stderr).options.map((option) => `--${option.flag}`));
    expect(flags.size).toBeGreaterThan(2);
    expect(readme.startsWith(`# ${pkg.name}\n`)).toBe(true);

    for (const block of blocks) {
      const host = hostOf(block.intro);
      const config = JSON.parse(block.json) as {
        mcpServers?: Record<string, ServerEntry>;
        servers?: Record<string, ServerEntry>;
        inputs?: { id: string; type: string; password?: boolean }[];
      };
      const entries = Object.values((host === 'vscode' ? config.servers : config.mcpServers) ?? {});
      expect(entries, `${host}: ${block.json}`).toHaveLength(1);
      const entry = entries[0] as ServerEntry;
      const args = entry.args ?? [];
      if (host === 'windows') {
        expect(entry.command).toBe('cmd');
        expect(args.slice(0, 4)).toEqual(['/c', 'npx', '-y', pkg.name]);
      } else {
        expect(entry.command).toBe('npx');
        expect(args.slice(0, 2)).toEqual(['-y', pkg.name]);
      }
      if (host === 'vscode') expect(entry.type).toBe('stdio');
      else expect(entry.type).toBeUndefined();

      for (const arg of args) {
        expect(arg, `${host}: ${arg}`).not.toMatch(SECRET_SHAPE);
        if (arg.startsWith('--')) expect(flags, `${host}: unknown flag ${arg}`).toContain(arg);
      }
      const secret = SECRET_ENV[name];
      if (secret) expect(entry.env?.[secret], `${host}: ${secret} in env`).toBeTruthy();

      // VS Code keeps secrets it prompts for: every ${input:id} names a password input.
      for (const value of Object.values(entry.env ?? {})) {
        for (const [, id] of value.matchAll(/\$\{input:([^}]+)\}/g)) {
          const input = config.inputs?.find((candidate) => candidate.id === id);
          expect(input, `input ${id}`).toMatchObject({ type: 'promptString', password: true });
        }
      }
      if (host === 'vscode' && secret) expect(entry.env?.[secret]).toMatch(/^\$\{input:[^}]+\}$/);
    }
  });
});
