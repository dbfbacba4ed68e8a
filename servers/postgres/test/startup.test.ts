import { spawn } from 'node:child_process';
import { startTestPostgres, type TestPostgres } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './helpers.js';

// The privilege check runs while the server starts, and the server reads stdin only once it has
// finished: a client that writes `initialize` and closes stdin at once still gets the answer, with
// the check's warning in the instructions (both test databases connect as a superuser).
let db: TestPostgres;

beforeAll(async () => {
  db = await startTestPostgres();
}, 120_000);

afterAll(async () => {
  await db?.close();
});

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});

describe('startup', () => {
  it('answers an initialize whose stdin is closed at once, with the privilege warning', async () => {
    const child = spawn(process.execPath, [BIN], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.stdin.end(`${INITIALIZE}\n`);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0] ?? '{}') as { id?: number; result?: { instructions?: string } };
    expect(answer.id).toBe(1);
    expect(answer.result?.instructions).toMatch(/Warning: the database role "\w+" is a superuser/);
    // The warning, then the line that says the server is serving, as before the check ran concurrently.
    expect(stderr).toMatch(/warning: the database role "\w+" is a superuser[^\n]*\n[^\n]*info: serving /);
  });
});
