// Instructions given as a promise: a startup check whose result goes into them (PostgreSQL's
// privilege check) runs while the server is set up, and nothing is served until it has settled.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { createLogger, createServerFactory, type ServerSpec } from '../src/index.js';

const FIXTURE_BIN = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures/deferred-instructions-bin.mjs',
);

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});

const quiet = createLogger('test', 'error', () => {});

function specWith(instructions: ServerSpec<object>['instructions']): ServerSpec<object> {
  return {
    name: 'bulwark-test',
    version: '0.0.0',
    instructions,
    tools: [],
    createDeps: () => ({}),
    logger: quiet,
  };
}

/** Builds one instance with `factory` and connects a real client to it in memory. */
async function connectClient(factory: ReturnType<typeof createServerFactory>): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = await factory();
  await server.connect(serverSide);
  const client = new Client({ name: 'runtime-test', version: '0.0.0' });
  await client.connect(clientSide);
  return client;
}

/** Runs the fixture bin, writes `input` and closes its stdin at once; resolves with its stdout lines. */
function runOneShot(input: string, checkMs: number): Promise<{ code: number | null; lines: string[] }> {
  const child = spawn(process.execPath, [FIXTURE_BIN], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', CHECK_MS: String(checkMs) },
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stdin.end(`${input}\n`);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve({ code, lines: stdout.split('\n').filter(Boolean) }));
  });
}

describe('instructions', () => {
  it('instructions:deferred — the factory builds nothing until the promise settles, then sends them', async () => {
    let resolve: (text: string) => void = () => {};
    const pending = new Promise<string>((settle) => {
      resolve = settle;
    });
    let built = false;
    const client = connectClient(createServerFactory(specWith(pending))).then((connected) => {
      built = true;
      return connected;
    });
    for (let turn = 0; turn < 5; turn += 1) await new Promise((next) => setImmediate(next));
    expect(built).toBe(false);
    resolve('Read the notes first. Warning: the check found a problem.');
    const connected = await client;
    expect(connected.getInstructions()).toBe('Read the notes first. Warning: the check found a problem.');
    await connected.close();
  });

  it('instructions:string — plain instructions are sent as they are, and none when absent', async () => {
    const withText = await connectClient(createServerFactory(specWith('Use list_tables first.')));
    expect(withText.getInstructions()).toBe('Use list_tables first.');
    await withText.close();
    const without = await connectClient(createServerFactory(specWith(undefined)));
    expect(without.getInstructions()).toBeUndefined();
    await without.close();
  });

  it('instructions:stdin-order — over stdio, an initialize sent with stdin closed at once is answered after the check', async () => {
    // The bin reads stdin only once the check has settled, so the end of stdin cannot overtake
    // the initialize request (the SDK drops a request whose instance is still being built when
    // stdin ends).
    const { code, lines } = await runOneShot(INITIALIZE, 200);
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0] ?? '{}') as { id?: number; result?: { instructions?: string } };
    expect(answer.id).toBe(1);
    expect(answer.result?.instructions).toBe('Checked after 200 ms.');
  });
});
