import { BudgetExceededError, SandboxError } from '@bulwark/hardening';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  CliUsageError,
  createLogger,
  createProgressReporter,
  formatHelp,
  parseCommandLine,
  ToolError,
  toErrorResult,
} from '../src/index.js';
import { withCachedJsonSchema } from '../src/schema-cache.js';

const quiet = createLogger('test', 'error', () => {});
const textOf = (result: { content: { type: string; text?: string }[] }) => result.content[0]?.text ?? '';

describe('parseCommandLine', () => {
  const options = {
    'read-only': { type: 'boolean', env: 'X_READ_ONLY', help: 'read only' },
    deny: { type: 'string', multiple: true, env: 'X_DENY', help: 'deny' },
    level: { type: 'string', env: 'X_LEVEL', help: 'level' },
  } as const;

  it('config:flags-over-env — a flag overrides its environment variable', () => {
    const parsed = parseCommandLine(options, ['--level', 'debug', 'dir'], { X_LEVEL: 'info' });
    expect(parsed.values.level).toBe('debug');
    expect(parsed.positionals).toEqual(['dir']);
  });

  it('config:env — absent flags come from the environment (booleans and comma lists)', () => {
    const parsed = parseCommandLine(options, [], { X_READ_ONLY: 'yes', X_DENY: '*.key, .env ,' });
    expect(parsed.values['read-only']).toBe(true);
    expect(parsed.values.deny).toEqual(['*.key', '.env']);
  });

  it('config:strict — unknown flags and malformed booleans are usage errors', () => {
    expect(() => parseCommandLine(options, ['--no-such-flag'], {})).toThrow(CliUsageError);
    expect(() => parseCommandLine(options, [], { X_READ_ONLY: 'maybe' })).toThrow(/must be true or false/);
  });

  it('renders help with each flag and its environment variable', () => {
    const help = formatHelp('tool [options]', options);
    expect(help).toContain('--read-only');
    expect(help).toContain('[env X_DENY]');
  });
});

describe('createProgressReporter', () => {
  it('progress:throttle — sends at most one notification per interval, always the final one, never decreasing', async () => {
    let now = 0;
    const sent: number[] = [];
    const report = createProgressReporter(
      async (progress) => {
        sent.push(progress);
      },
      () => now,
    );
    await report(1, 10);
    now = 50;
    await report(2, 10);
    now = 150;
    await report(3, 10);
    await report(2, 10);
    await report(10, 10);
    expect(sent).toEqual([1, 3, 10]);
  });

  it('progress:no-token — is a no-op when the request carried no progress token', async () => {
    await expect(createProgressReporter(undefined)(1, 2)).resolves.toBeUndefined();
  });
});

describe('toErrorResult', () => {
  it('errors:expected — keeps the one-line message of expected failures', () => {
    for (const error of [
      new ToolError('Bad thing; do this.\nsecond line'),
      new SandboxError('denied', 'Access denied: x.'),
      new BudgetExceededError('time', 'Time budget ran out.'),
    ]) {
      const result = toErrorResult(error, 'tool', quiet);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(error.message.split('\n')[0]);
    }
  });

  it('errors:no-paths — errno errors lose the path Node puts in their message', () => {
    const error = Object.assign(new Error("ENOENT: no such file or directory, open '/secret/place'"), {
      code: 'ENOENT',
    });
    const text = textOf(toErrorResult(error, 'tool', quiet));
    expect(text).toBe('The file or directory does not exist; check the path.');
    expect(text).not.toContain('/secret');
  });

  it('errors:no-stack — unexpected errors become a generic line and go to the log with their stack', () => {
    const lines: string[] = [];
    const logger = createLogger('test', 'debug', (line) => lines.push(line));
    const text = textOf(toErrorResult(new TypeError('token=abc123 leaked'), 'read_text_file', logger));
    expect(text).toMatch(/^Internal error in read_text_file/);
    expect(text).not.toContain('abc123');
    expect(lines.join('')).toContain('TypeError');
  });
});

describe('withCachedJsonSchema', () => {
  it('schema:cache — converts once, drops the default $schema, and validates like the original', async () => {
    const schema = z.object({ path: z.string().min(1), depth: z.number().default(3) });
    const cached = withCachedJsonSchema(schema);
    const standard = (cached as unknown as { '~standard': { jsonSchema: { input: (o: object) => object } } })[
      '~standard'
    ];
    const first = standard.jsonSchema.input({ target: 'draft-2020-12' });
    const second = standard.jsonSchema.input({ target: 'draft-2020-12' });
    expect(first).toEqual(second);
    expect(first).not.toBe(second);
    expect(first).not.toHaveProperty('$schema');
    expect(first).toMatchObject({ type: 'object', required: ['path'] });
    expect(cached.parse({ path: 'a' })).toEqual({ path: 'a', depth: 3 });
    expect(cached.safeParse({ path: '' }).success).toBe(false);
    const validated = await (cached as unknown as { '~standard': { validate: (v: unknown) => unknown } })[
      '~standard'
    ].validate({ path: 'b' });
    expect(validated).toEqual({ value: { path: 'b', depth: 3 } });
  });
});

describe('createLogger', () => {
  it('logging:stderr — writes lines at or above its level to its sink only', () => {
    const lines: string[] = [];
    const logger = createLogger('srv', 'warning', (line) => lines.push(line));
    logger.info('hidden');
    logger.warning('shown', { a: 1 });
    expect(lines).toEqual(['[srv] warning: shown {"a":1}\n']);
  });
});
