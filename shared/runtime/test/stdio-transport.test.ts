/**
 * FramedStdioTransport over in-memory streams: what reaches `onmessage`, what is answered with a
 * JSON-RPC error (JSON-RPC 2.0 §5), what is skipped, and how the connection ends. The servers'
 * own stdio behaviour is covered end to end by the fuzz suites (test/fuzz).
 */
import { PassThrough } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { FramedStdioTransport, StdioFramingError } from '../src/stdio-transport.js';

interface Harness {
  stdin: PassThrough;
  transport: FramedStdioTransport;
  received: JSONRPCMessage[];
  errors: Error[];
  /** Every line written to stdout so far, parsed. */
  written(): unknown[];
  closed(): boolean;
}

let open: Harness | undefined;

async function harness(maxLineBytes = 1024): Promise<Harness> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let output = '';
  stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const transport = new FramedStdioTransport(stdin, stdout, maxLineBytes);
  const received: JSONRPCMessage[] = [];
  const errors: Error[] = [];
  let closed = false;
  transport.onmessage = (message) => received.push(message);
  transport.onerror = (error) => errors.push(error);
  transport.onclose = () => {
    closed = true;
  };
  await transport.start();
  open = {
    stdin,
    transport,
    received,
    errors,
    written: () =>
      output
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as unknown),
    closed: () => closed,
  };
  return open;
}

/** Lets the stream deliver what was written (data events are asynchronous). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

afterEach(async () => {
  await open?.transport.close();
  open = undefined;
});

const ping = (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' });

describe('FramedStdioTransport', () => {
  it('delivers valid messages, joined across chunks, with CRLF endings, skipping blank lines', async () => {
    const h = await harness();
    const text = `${JSON.stringify(ping(1))}\r\n\n   \n${JSON.stringify(ping(2))}\n`;
    for (const part of [text.slice(0, 7), text.slice(7, 30), text.slice(30)]) h.stdin.write(part);
    await settle();
    expect(h.received).toEqual([ping(1), ping(2)]);
    expect(h.written()).toEqual([]);
    expect(h.errors).toEqual([]);
  });

  it('answers a line that is not JSON with -32700 and id null, then serves on', async () => {
    const h = await harness();
    h.stdin.write(`{"jsonrpc":"2.0","id":3,"method":"ping"\n${JSON.stringify(ping(4))}\n`);
    await settle();
    expect(h.written()).toEqual([
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: expect.stringMatching(/^Parse error/) } },
    ]);
    expect(h.received).toEqual([ping(4)]);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]).toBeInstanceOf(StdioFramingError);
  });

  it('answers JSON that is not a JSON-RPC message with -32600, with the id when it can be read', async () => {
    const h = await harness();
    const lines = [
      { jsonrpc: '1.0', id: 5, method: 'ping' },
      { jsonrpc: '2.0', id: 'six', method: 'ping', params: 7 },
      { jsonrpc: '2.0', id: 8, method: 'ping', extra: true },
      { jsonrpc: '2.0', id: 2.5, method: 'ping' },
      { jsonrpc: '2.0', id: 9, method: 10 },
      [ping(11)],
      42,
    ];
    h.stdin.write(`${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
    await settle();
    const invalid = (id: unknown) => ({
      jsonrpc: '2.0',
      id,
      error: { code: -32600, message: expect.stringMatching(/^Invalid Request/) },
    });
    expect(h.written()).toEqual([
      invalid(5),
      invalid('six'),
      invalid(8),
      invalid(null),
      invalid(null),
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringMatching(/batches/) } },
      invalid(null),
    ]);
    expect(h.received).toEqual([]);
  });

  it('never answers a response, valid or not; a valid one is delivered', async () => {
    const h = await harness();
    h.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} })}\n${JSON.stringify({ jsonrpc: '2.0', id: 2, result: {}, extra: 1 })}\n`,
    );
    await settle();
    expect(h.written()).toEqual([]);
    expect(h.received).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);
    expect(h.errors.map((error) => error.message)).toEqual([
      'dropped a malformed JSON-RPC response from the client',
    ]);
  });

  it('discards a line over the limit, wherever it is split, answers -32600 and keeps the connection', async () => {
    const h = await harness(64);
    h.stdin.write(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"${'x'.repeat(40)}`);
    h.stdin.write(`${'y'.repeat(200)}`);
    h.stdin.write(`"}}\n${JSON.stringify(ping(2))}\n`);
    // Exactly at the limit is accepted; one byte more is not.
    const exact = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping', params: { p: '' } });
    const padded = exact.replace('"p":""', `"p":"${'z'.repeat(64 - exact.length)}"`);
    expect(Buffer.byteLength(padded)).toBe(64);
    h.stdin.write(`${padded}\n${padded.replace('"p":"', '"p":"z')}\n`);
    await settle();
    expect(h.received.map((message) => (message as { id: number }).id)).toEqual([2, 3]);
    const tooLarge = {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: expect.stringMatching(/longer than 64 bytes was discarded/) },
    };
    expect(h.written()).toEqual([tooLarge, tooLarge]);
    expect(h.closed()).toBe(false);
  });

  it('closes once when stdin ends, and writes nothing after', async () => {
    const h = await harness();
    let closes = 0;
    h.transport.onclose = () => {
      closes += 1;
    };
    h.stdin.end(`${JSON.stringify(ping(1))}\n`);
    await settle();
    await settle();
    expect(h.received).toEqual([ping(1)]);
    expect(closes).toBe(1);
    await h.transport.close();
    expect(closes).toBe(1);
    await expect(h.transport.send({ jsonrpc: '2.0', id: 1, result: {} })).rejects.toThrow(/closed/);
  });
});
