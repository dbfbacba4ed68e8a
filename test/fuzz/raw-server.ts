import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { idKey, type JsonRpcId, parseServerLine, preview } from './json-rpc.js';

/** How to start one server bin: node arguments (the bin first) and extra environment. */
export interface LaunchSpec {
  /** Node arguments: the built bin and its flags. */
  args: string[];
  /** Environment added to a minimal PATH/HOME environment (tokens, API URLs, DATABASE_URL). */
  env?: Record<string, string>;
}

/** Which protocol era the raw client speaks: 2025-11-25 (`initialize`) or 2026-07-28 (per-request `_meta`). */
export type Era = 'legacy' | 'modern';

/** A response as the driver files it. */
export type Reply =
  | { kind: 'result'; result: Record<string, unknown> }
  | { kind: 'error'; error: { code: number; message: string; data?: unknown } };

/** Longest wait for any one response; a server that takes longer is treated as hung. */
export const DEADLINE_MS = 10_000;

/** The reserved `_meta` keys of a 2026-07-28 request (the per-request envelope). */
export const ENVELOPE_KEYS = {
  version: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  capabilities: 'io.modelcontextprotocol/clientCapabilities',
} as const;

/** The modern protocol revision the servers answer. */
export const MODERN_REVISION = '2026-07-28';

/**
 * A valid 2026-07-28 per-request envelope (what the SDK v2 client puts in every request's
 * `params._meta`, as captured from `@modelcontextprotocol/client` 2.4.0 over stdio).
 *
 * @returns a fresh envelope object
 */
export function modernEnvelope(): Record<string, unknown> {
  return {
    [ENVELOPE_KEYS.version]: MODERN_REVISION,
    [ENVELOPE_KEYS.clientInfo]: { name: 'bulwark-fuzz', version: '0.0.0' },
    [ENVELOPE_KEYS.capabilities]: {},
  };
}

type Outstanding = { mode: 'await'; label: string } | { mode: 'silent'; label: string };

interface Waiter {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/**
 * One long-lived server process driven over raw stdio: the test writes arbitrary lines (valid
 * JSON-RPC or not) and reads stdout line by line. Every stdout line must be a JSON-RPC 2.0
 * message, every response must answer an id the driver sent, and an id the driver marked silent
 * must stay unanswered; each breach is recorded in {@link RawServer.faults}. Errors with id null
 * are counted in {@link RawServer.nullIdErrors}.
 * Ids are unique for the life of the driver, so a late or duplicate answer is never mistaken for
 * another request's.
 */
export class RawServer {
  /** Protocol breaches seen so far (non-JSON-RPC stdout lines, unsolicited or forbidden answers). */
  readonly faults: string[] = [];
  /** Codes of the errors with id null received so far (JSON-RPC 2.0 §5: the request's id was unreadable). */
  readonly nullIdErrors: number[] = [];
  /** Tool names of the first `tools/list` (filled by {@link RawServer.start} when it handshakes). */
  initialTools: string[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly outstanding = new Map<string, Outstanding>();
  private readonly arrived = new Map<string, Reply>();
  private readonly waiters = new Map<string, Waiter>();
  private partial: Buffer = Buffer.alloc(0);
  private stderrText = '';
  private exitInfo: string | undefined;
  private counter = 0;

  private constructor(
    readonly era: Era,
    spec: LaunchSpec,
    private readonly deadlineMs: number,
  ) {
    this.child = spawn(process.execPath, spec.args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...(spec.env ?? {}) },
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderrText = (this.stderrText + chunk.toString('utf8')).slice(-16_384);
    });
    this.child.stdin.on('error', () => {
      // EPIPE after an exit; the exit itself is what gets reported.
    });
    this.child.once('exit', (code, signal) => {
      this.exitInfo = `exited with code ${code} signal ${signal}`;
      for (const [key, waiter] of this.waiters) {
        waiter.reject(
          new Error(`server ${this.exitInfo} while waiting for ${key}; stderr: ${this.stderr()}`),
        );
      }
      this.waiters.clear();
    });
  }

  /**
   * Starts a server and, unless told not to, opens the connection in its era: the 2025-11-25
   * `initialize` request and `initialized` notification, or (2026-07-28) a first enveloped
   * request, which pins the connection to the modern era. Then records the listed tool names.
   *
   * @param spec - bin and environment
   * @param era - which era to speak
   * @param options - `handshake: false` leaves the connection unopened (for pre-initialize
   *   frames); `deadlineMs` is the longest wait for any answer (default {@link DEADLINE_MS})
   * @returns the running driver
   * @throws when the handshake or the first tools/list gets no success result in time
   */
  static async start(
    spec: LaunchSpec,
    era: Era,
    options: { handshake?: boolean; deadlineMs?: number } = {},
  ): Promise<RawServer> {
    const server = new RawServer(era, spec, options.deadlineMs ?? DEADLINE_MS);
    if (options.handshake !== false) await server.open();
    return server;
  }

  /**
   * Opens the connection (see {@link RawServer.start}) and records the tool names.
   *
   * @throws when the server answers the opening with an error or not at all
   */
  async open(): Promise<void> {
    if (this.era === 'legacy') {
      const init = await this.call('initialize', {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'bulwark-fuzz', version: '0.0.0' },
      });
      if (init.kind !== 'result') throw new Error(`initialize failed: ${JSON.stringify(init.error)}`);
      await this.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    }
    this.initialTools = await this.toolNames();
  }

  /** The process has not exited. */
  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last 1,500 characters the server wrote to stderr, on one line. */
  stderr(): string {
    return this.stderrText.slice(-1500).replace(/\s+/g, ' ');
  }

  /**
   * A new id nobody used before on this connection.
   *
   * @param kind - `number` (positive or negative integer) or `string` (with `suffix` appended)
   * @param suffix - any text to append to a string id (fuzzed ids, huge ids)
   * @returns the id
   */
  freshId(kind: 'number' | 'negative' | 'string', suffix = ''): string | number {
    this.counter += 1;
    if (kind === 'number') return 1_000_000 + this.counter;
    if (kind === 'negative') return -(1_000_000 + this.counter);
    return `fz${this.counter}:${suffix}`;
  }

  /**
   * Params with the 2026-07-28 envelope merged into `_meta` when this driver speaks the modern era.
   *
   * @param params - request params (must be an object)
   * @returns params ready to send
   */
  params(params: Record<string, unknown> = {}): Record<string, unknown> {
    if (this.era === 'legacy') return params;
    const meta = (params._meta ?? {}) as Record<string, unknown>;
    return { ...params, _meta: { ...modernEnvelope(), ...meta } };
  }

  /**
   * Writes one line (a newline is added) and waits until it is handed to the pipe.
   *
   * @param line - what to send: any text (written as UTF-8), or raw bytes
   * @throws when the server has exited
   */
  async write(line: string | Buffer): Promise<void> {
    if (!this.alive) throw new Error(`cannot write: server ${this.exitInfo}; stderr: ${this.stderr()}`);
    const data = typeof line === 'string' ? `${line}\n` : Buffer.concat([line, Buffer.from('\n')]);
    await new Promise<void>((resolve, reject) => {
      this.child.stdin.write(data, (error) => (error ? reject(error) : resolve()));
    });
  }

  /**
   * Registers an id the next frame carries: `await` for one whose answer the test reads with
   * {@link RawServer.reply}, `silent` for one the server must never answer (its id is unreadable,
   * or the frame is a notification or response).
   *
   * @param id - the id as it will appear on the wire
   * @param mode - await or silent
   * @param label - what the frame was, for failure messages
   */
  expect(id: JsonRpcId, mode: Outstanding['mode'], label: string): void {
    this.outstanding.set(idKey(id), { mode, label });
  }

  /**
   * Waits for the answer to an id registered with `await`.
   *
   * @param id - the id sent
   * @param deadlineMs - longest wait (default: the driver's deadline)
   * @returns the response
   * @throws when no answer arrives in time or the server exits
   */
  reply(id: JsonRpcId, deadlineMs = this.deadlineMs): Promise<Reply> {
    const key = idKey(id);
    const ready = this.arrived.get(key);
    if (ready) {
      this.arrived.delete(key);
      return Promise.resolve(ready);
    }
    if (!this.alive) return Promise.reject(new Error(`server ${this.exitInfo}; stderr: ${this.stderr()}`));
    const label = this.outstanding.get(key)?.label ?? preview(key);
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        reject(new Error(`no response to ${label} within ${deadlineMs} ms; stderr: ${this.stderr()}`));
      }, deadlineMs);
      this.waiters.set(key, {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  /**
   * Sends a well-formed request with a fresh id (enveloped in the modern era) and waits for it.
   *
   * @param method - the JSON-RPC method
   * @param params - its params
   * @param deadlineMs - longest wait
   * @returns the response
   */
  async call(
    method: string,
    params: Record<string, unknown> = {},
    deadlineMs = this.deadlineMs,
  ): Promise<Reply> {
    const id = this.freshId('number');
    this.expect(id, 'await', method);
    await this.write(JSON.stringify({ jsonrpc: '2.0', id, method, params: this.params(params) }));
    return this.reply(id, deadlineMs);
  }

  /**
   * Proves the server still serves, within the deadline: `ping` on the 2025-11-25 era,
   * `tools/list` on the 2026-07-28 era (which has no ping; it answers Method not found).
   *
   * @throws when the answer is missing, late or not a success
   */
  async assertResponsive(): Promise<void> {
    if (this.era === 'modern') {
      await this.toolNames();
      return;
    }
    const pong = await this.call('ping');
    if (pong.kind !== 'result') throw new Error(`ping failed: ${JSON.stringify(pong.error)}`);
  }

  /**
   * The names `tools/list` returns now.
   *
   * @throws when tools/list does not succeed in time
   */
  async toolNames(): Promise<string[]> {
    const listed = await this.call('tools/list');
    if (listed.kind !== 'result') throw new Error(`tools/list failed: ${JSON.stringify(listed.error)}`);
    return (listed.result.tools as { name: string }[]).map((tool) => tool.name);
  }

  /**
   * The tools as `tools/list` sends them on the wire (name, schemas, annotations).
   *
   * @throws when tools/list does not succeed in time
   */
  async tools(): Promise<{ name: string; inputSchema: Record<string, unknown> }[]> {
    const listed = await this.call('tools/list');
    if (listed.kind !== 'result') throw new Error(`tools/list failed: ${JSON.stringify(listed.error)}`);
    return listed.result.tools as { name: string; inputSchema: Record<string, unknown> }[];
  }

  /** Closes stdin (the MCP stdio way to stop a server) and waits for the exit; kills after 5 s. */
  async close(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private onStdout(chunk: Buffer): void {
    let data = this.partial.length > 0 ? Buffer.concat([this.partial, chunk]) : chunk;
    let newline = data.indexOf(0x0a);
    while (newline !== -1) {
      this.onLine(data.subarray(0, newline).toString('utf8'));
      data = data.subarray(newline + 1);
      newline = data.indexOf(0x0a);
    }
    this.partial = Buffer.from(data);
  }

  private onLine(line: string): void {
    let message: ReturnType<typeof parseServerLine>;
    try {
      message = parseServerLine(line);
    } catch (error) {
      this.faults.push((error as Error).message);
      return;
    }
    if (message.kind === 'notification') return;
    if (message.kind === 'request') {
      // The fuzz client declares no capabilities, so nothing should ask it anything; answer so
      // the server does not wait, and note it.
      this.faults.push(`server sent a request to a client without capabilities: ${message.method}`);
      void this.write(
        JSON.stringify({
          jsonrpc: '2.0',
          id: message.id,
          error: { code: -32601, message: 'Method not found' },
        }),
      ).catch(() => undefined);
      return;
    }
    // JSON-RPC 2.0 §5: an error for a request whose id could not be read carries id null.
    if (message.kind === 'error' && message.id === null) {
      this.nullIdErrors.push(message.error.code);
      return;
    }
    const key = idKey(message.id);
    const outstanding = this.outstanding.get(key);
    if (!outstanding) {
      this.faults.push(`response to an id that was not sent or already answered: ${preview(key)}`);
      return;
    }
    this.outstanding.delete(key);
    if (outstanding.mode === 'silent') {
      this.faults.push(`the server answered an id it should not (${outstanding.label}): ${preview(line)}`);
      return;
    }
    const reply: Reply =
      message.kind === 'result'
        ? { kind: 'result', result: message.result }
        : { kind: 'error', error: message.error };
    const waiter = this.waiters.get(key);
    if (waiter) {
      this.waiters.delete(key);
      waiter.resolve(reply);
    } else this.arrived.set(key, reply);
  }
}
