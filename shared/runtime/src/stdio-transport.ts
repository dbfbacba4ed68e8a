import type { Readable, Writable } from 'node:stream';
import { PassThrough } from 'node:stream';
import {
  INVALID_REQUEST,
  type JSONRPCMessage,
  PARSE_ERROR,
  parseJSONRPCMessage,
  type Transport,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';

/**
 * Reported to `onerror` for each stdin line the transport refused or dropped: one line of what
 * was wrong, nothing of the line itself (it may be huge, or hold a secret).
 */
export class StdioFramingError extends Error {
  override readonly name = 'StdioFramingError';
}

/** A JSON-RPC id as the peer sent it, or null when it could not be read (JSON-RPC 2.0 §5). */
type ReadableId = string | number | null;

/**
 * The stdio transport of every Bulwark server: newline-delimited JSON-RPC 2.0 on stdin and
 * stdout, as the MCP stdio transport specifies, answering what the SDK's own transport drops.
 *
 * The SDK's `StdioServerTransport` skips a line that is not JSON and reports a line that is not a
 * JSON-RPC message only to its error callback, so a client that sent one waits for an answer that
 * never comes; and one line longer than its buffer closes the connection. This transport reads
 * stdin itself and, per JSON-RPC 2.0 §5:
 *
 * - a line that is not JSON is answered `-32700 Parse error` with id null;
 * - JSON that is not a JSON-RPC 2.0 message (wrong `jsonrpc`, a method that is not a string,
 *   params that are not an object, an unknown member, a batch array, which MCP does not use since
 *   2025-06-18) is answered `-32600 Invalid Request`, with the request's id when it is a string
 *   or an integer and the line has a string method, else with id null;
 * - a line longer than `maxLineBytes` is discarded up to its newline and answered `-32600` with
 *   id null; the connection stays open;
 * - blank lines are skipped, and a malformed response (no method, a `result` or `error` member)
 *   is never answered: JSON-RPC answers requests only.
 *
 * Every refused line is also reported to `onerror` (the runtime logs it on stderr). Messages the
 * schema accepts go to `onmessage` exactly as the SDK's transport would deliver them (the SDK's
 * own `parseJSONRPCMessage`). Writing is the SDK transport's: one JSON text and a newline per
 * message, nothing else on stdout.
 */
export class FramedStdioTransport implements Transport {
  /** Set by the SDK's stdio entry (serveStdio). */
  onmessage?: (message: JSONRPCMessage) => void;
  /** Set by the SDK's stdio entry; receives every refused line and every stream error. */
  onerror?: (error: Error) => void;
  /** Set by the SDK's stdio entry; called once when the connection ends. */
  onclose?: () => void;

  private readonly writer: StdioServerTransport;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;
  private started = false;
  private closed = false;

  /**
   * @param stdin - where messages arrive (process.stdin)
   * @param stdout - where answers go (process.stdout); nothing else is written to it
   * @param maxLineBytes - the longest line accepted, in bytes without its newline
   */
  constructor(
    private readonly stdin: Readable,
    stdout: Writable,
    private readonly maxLineBytes: number,
  ) {
    // The SDK transport only writes here: its own stdin is a stream that never carries data.
    this.writer = new StdioServerTransport(new PassThrough(), stdout);
    this.writer.onerror = (error) => this.onerror?.(error);
    this.writer.onclose = () => this.finish();
  }

  /**
   * Starts reading stdin (and the writer's stdout error handling).
   *
   * @throws Error when called twice
   */
  async start(): Promise<void> {
    if (this.started) throw new Error('FramedStdioTransport already started');
    this.started = true;
    await this.writer.start();
    this.stdin.on('data', this.onData);
    this.stdin.on('error', this.onStdinError);
    this.stdin.on('end', this.onStdinEnd);
    this.stdin.on('close', this.onStdinEnd);
    if (this.stdin.readableEnded || this.stdin.destroyed) setImmediate(this.onStdinEnd);
  }

  /**
   * Writes one message as a line of JSON (the SDK transport's writer, which waits for drain).
   * Per-message options (related request, resumption token) mean nothing on stdio.
   *
   * @param message - the message
   * @throws Error when the transport is closed or stdout fails
   */
  send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    return this.writer.send(message);
  }

  /** Stops reading stdin and closes the writer; `onclose` runs once. */
  async close(): Promise<void> {
    this.detach();
    await this.writer.close();
  }

  private readonly onData = (chunk: Buffer): void => {
    let start = 0;
    while (!this.closed) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) {
        this.hold(chunk.subarray(start));
        return;
      }
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      if (this.skipping || this.pendingBytes + piece.length > this.maxLineBytes) {
        this.dropPending();
        this.refuse(
          null,
          INVALID_REQUEST,
          `Invalid Request: a message longer than ${this.maxLineBytes} bytes was discarded; send smaller arguments.`,
        );
        continue;
      }
      const line = this.pendingBytes === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.dropPending();
      this.handleLine(line);
    }
  };

  private readonly onStdinError = (error: Error): void => {
    this.onerror?.(error);
  };

  private readonly onStdinEnd = (): void => {
    void this.close().catch((error: unknown) => this.onerror?.(toError(error)));
  };

  // Part of a line without its newline yet; past the limit, the rest of the line is skipped.
  private hold(part: Buffer): void {
    if (part.length === 0 || this.skipping) return;
    if (this.pendingBytes + part.length > this.maxLineBytes) {
      this.pending = [];
      this.pendingBytes = 0;
      this.skipping = true;
      return;
    }
    this.pending.push(part);
    this.pendingBytes += part.length;
  }

  private dropPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
  }

  private handleLine(line: Buffer): void {
    const text = line.toString('utf8').replace(/\r$/, '');
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.refuse(
        null,
        PARSE_ERROR,
        'Parse error: the line is not JSON; send one JSON-RPC 2.0 message per line.',
      );
      return;
    }
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(value);
    } catch {
      if (isResponseShaped(value)) {
        this.onerror?.(new StdioFramingError('dropped a malformed JSON-RPC response from the client'));
        return;
      }
      this.refuse(
        requestIdOf(value),
        INVALID_REQUEST,
        Array.isArray(value)
          ? 'Invalid Request: JSON-RPC batches are not part of MCP; send one message per line.'
          : 'Invalid Request: not a JSON-RPC 2.0 message (jsonrpc "2.0", a string method, params an object, id a string or integer, no other members).',
      );
      return;
    }
    this.onmessage?.(message);
  }

  private refuse(id: ReadableId, code: number, message: string): void {
    this.onerror?.(new StdioFramingError(`answered a stdin line with an error: ${message}`));
    // JSON-RPC 2.0 §5 answers with id null when the id could not be read; the SDK's message type
    // has no null id, so the error response is built here.
    const response = { jsonrpc: '2.0', id, error: { code, message } } as unknown as JSONRPCMessage;
    this.writer.send(response).catch((error: unknown) => this.onerror?.(toError(error)));
  }

  private detach(): void {
    this.stdin.off('data', this.onData);
    this.stdin.off('error', this.onStdinError);
    this.stdin.off('end', this.onStdinEnd);
    this.stdin.off('close', this.onStdinEnd);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.pending = [];
    this.pendingBytes = 0;
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.detach();
    this.onclose?.();
  }
}

/** The id to answer an invalid line with: the request's own when it is readable, else null. */
function requestIdOf(value: unknown): ReadableId {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { id, method } = value as { id?: unknown; method?: unknown };
  if (typeof method !== 'string') return null;
  if (typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id))) return id;
  return null;
}

/** An object without a method but with a result or error member: a response, never answered. */
function isResponseShaped(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return !('method' in value) && ('result' in value || 'error' in value);
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
