// A fuzz frame: one line sent to a server, with what the server must do about it. Frames are
// plain data (so fast-check prints a counterexample readably); fresh ids, 1–5 MB strings and
// 10k-deep values are filled in only when the frame is sent, from sentinels in the JSON.
import type { JsonRpcId } from './json-rpc.js';
import { preview } from './json-rpc.js';
import type { RawServer, Reply } from './raw-server.js';

/**
 * What a server must do with a frame. The rules are JSON-RPC 2.0's (§4, §5) as Bulwark's stdio
 * transport applies them (shared/runtime/src/stdio-transport.ts), and otherwise those of the MCP
 * TypeScript SDK v2 (2.4.0) that every Bulwark server serves through, read from its source and
 * confirmed on the wire:
 *
 * - `invalid-request`: JSON that is a request with a readable id (a string or safe integer) and a
 *   string method, but not a JSON-RPC 2.0 message the SDK accepts (`jsonrpc` other than "2.0",
 *   params or `_meta` that are not objects, an unknown top-level member): answered with that id
 *   and `-32600 Invalid Request`.
 * - `unreadable`: a line whose id cannot be read (not JSON, truncated, no method or one that is
 *   not a string, an id of a wrong type, a batch array, bare values): answered with id null and
 *   `-32700 Parse error` or `-32600 Invalid Request`, at least once (random text may hold several
 *   lines); an id the frame carries is never answered.
 * - `ignored`: what JSON-RPC never answers: a notification, a response nobody asked for. No
 *   answer at all, not even with id null.
 * - `protocol-error`: a JSON-RPC error response (unknown method, a notification method sent with
 *   an id, malformed params of a known method, an unknown tool, 2026-07-28 envelope faults).
 * - `tool-error`: a `CallToolResult` with `isError: true` whose text starts with "Input
 *   validation error" (arguments the tool's input schema refuses; SDK v2 reports these as tool
 *   execution errors so the model can correct itself, as the 2025-11-25 spec recommends).
 * - `answered`: any well-formed answer, success or error, where the spec leaves the outcome open
 *   (a request before `initialize`, an unknown cursor, a string id).
 */
export type Expectation =
  | 'invalid-request'
  | 'unreadable'
  | 'ignored'
  | 'protocol-error'
  | 'tool-error'
  | 'answered';

/** JSON-RPC 2.0 §5.1 codes for a line that is not JSON and for JSON that is not a request. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;

/**
 * Whether the frame's own id is answered (`await`) or must never be (`silent`).
 *
 * @param expect - the frame's expectation
 * @returns the driver's mode for the frame's id
 */
export function idMode(expect: Expectation): 'await' | 'silent' {
  return expect === 'unreadable' || expect === 'ignored' ? 'silent' : 'await';
}

/** The body of a frame: JSON with sentinels, a JSON text cut short, raw text, or raw bytes. */
export type FrameBody =
  | { json: unknown }
  | { truncate: unknown; keep: number }
  | { text: string }
  | { bytes: number[] };

/** One line to send and the expected outcome. */
export interface Frame {
  /** What the frame is (shown in counterexamples). */
  label: string;
  body: FrameBody;
  /** Kind of fresh id that replaces {@link ID} in the body; absent when nothing is tracked. */
  id?: 'number' | 'negative' | 'string';
  /** Text appended to a fresh string id (fuzzed characters). */
  idSuffix?: string;
  /** Append this many characters to a fresh string id instead (the 1–5 MB id). */
  hugeId?: number;
  expect: Expectation;
}

/** Sentinel for the frame's fresh id in a JSON body. */
export const ID = '\u0000id\u0000';

/**
 * Sentinel for a string of `length` characters, filled in at send time.
 *
 * @param length - characters (1–5 million in the huge-input property)
 * @returns the sentinel string
 */
export function huge(length: number): string {
  return `\u0000huge:${length}\u0000`;
}

/**
 * Sentinel for a value nested `depth` levels deep (`[[[...0]]]` or `{"a":{"a":...0}}`).
 *
 * @param kind - nested arrays or nested objects
 * @param depth - nesting levels (up to 10,000 in the deep-input property)
 * @returns the sentinel string
 */
export function deep(kind: 'array' | 'object', depth: number): string {
  return `\u0000deep:${kind}:${depth}\u0000`;
}

const SENTINEL = /"\\u0000(id|huge:(\d+)|deep:(array|object):(\d+))\\u0000"/g;

function nested(kind: string, depth: number): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}0${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`;
}

/**
 * Turns a frame into the bytes to send, with a fresh id from the server driver.
 *
 * @param frame - the frame
 * @param server - supplies fresh ids
 * @returns the line (without newline) and the id it carries, if tracked
 */
export function materialize(frame: Frame, server: RawServer): { data: string | Buffer; id?: JsonRpcId } {
  const suffix = frame.hugeId === undefined ? frame.idSuffix : 'h'.repeat(frame.hugeId);
  const id = frame.id ? server.freshId(frame.id, suffix) : undefined;
  const fill = (json: unknown) =>
    JSON.stringify(json).replace(
      SENTINEL,
      (_match, what: string, length?: string, kind?: string, depth?: string) => {
        if (what === 'id') return JSON.stringify(id ?? null);
        if (length) return JSON.stringify('h'.repeat(Number(length)));
        return nested(kind ?? 'array', Number(depth));
      },
    );
  const body = frame.body;
  if ('bytes' in body) return { data: Buffer.from(body.bytes) };
  if ('text' in body) return { data: body.text };
  if ('truncate' in body) {
    const text = fill(body.truncate);
    return {
      data: text.slice(0, Math.max(1, Math.min(body.keep, text.length - 1))),
      ...(id === undefined ? {} : { id }),
    };
  }
  return { data: fill(body.json), ...(id === undefined ? {} : { id }) };
}

/**
 * Sends one frame, waits for its answer when one is due (within the driver's deadline), checks
 * the answer against the frame's expectation, then proves the server still serves and that
 * nothing it wrote so far broke the protocol.
 *
 * @param server - the driver
 * @param frame - the frame
 * @returns the answer, when one was due
 * @throws Error describing the first broken rule
 */
export async function exchange(server: RawServer, frame: Frame): Promise<Reply | undefined> {
  const { data, id } = materialize(frame, server);
  const nullErrorsBefore = server.nullIdErrors.length;
  if (id !== undefined) server.expect(id, idMode(frame.expect), frame.label);
  await server.write(data);
  let reply: Reply | undefined;
  if (idMode(frame.expect) === 'await') {
    if (id === undefined) throw new Error(`frame "${frame.label}" expects an answer but carries no id`);
    reply = await server.reply(id);
    checkReply(frame.label, frame.expect, reply);
  }
  // The liveness probe is sent after the frame, so an id-null error for the frame is in by now.
  await server.assertResponsive();
  if (server.faults.length > 0)
    throw new Error(`protocol faults after "${frame.label}": ${server.faults.join(' | ')}`);
  checkNullIdErrors(frame, server.nullIdErrors.slice(nullErrorsBefore));
  return reply;
}

/**
 * Checks the id-null errors a frame drew: at least one, each a Parse error or Invalid Request,
 * for an `unreadable` frame; none for any other.
 *
 * @param frame - the frame sent
 * @param codes - error codes of the id-null errors that arrived after it
 * @throws Error when the frame drew the wrong ones
 */
export function checkNullIdErrors(frame: Frame, codes: readonly number[]): void {
  if (frame.expect !== 'unreadable') {
    if (codes.length > 0) {
      throw new Error(`"${frame.label}" drew an error with id null (codes ${codes.join(', ')})`);
    }
    return;
  }
  if (codes.length === 0) {
    throw new Error(`"${frame.label}" was dropped without a JSON-RPC error (id null)`);
  }
  const wrong = codes.filter((code) => code !== PARSE_ERROR && code !== INVALID_REQUEST);
  if (wrong.length > 0) {
    throw new Error(`"${frame.label}" drew id-null errors other than -32700/-32600: ${wrong.join(', ')}`);
  }
}

/**
 * Checks one answer against an expectation.
 *
 * @param label - what was sent, for the message
 * @param expect - the expected outcome
 * @param reply - the answer
 * @throws Error when the answer breaks the expectation
 */
export function checkReply(label: string, expect: Expectation, reply: Reply): void {
  const shown = () => preview(JSON.stringify(reply), 300);
  if (expect === 'protocol-error' && reply.kind !== 'error') {
    throw new Error(`"${label}" got a success result instead of a JSON-RPC error: ${shown()}`);
  }
  if (expect === 'invalid-request' && (reply.kind !== 'error' || reply.error.code !== INVALID_REQUEST)) {
    throw new Error(`"${label}" was not answered -32600 Invalid Request: ${shown()}`);
  }
  if (expect === 'tool-error') {
    if (reply.kind !== 'result' || reply.result.isError !== true) {
      throw new Error(`"${label}" was not refused with an isError tool result: ${shown()}`);
    }
    const text = (reply.result.content as { text?: string }[] | undefined)?.[0]?.text ?? '';
    if (!text.startsWith('Input validation error')) {
      throw new Error(`"${label}" passed input validation (refused later, or not at all): ${shown()}`);
    }
  }
}
