// What a server may write to stdout: one JSON-RPC 2.0 message per line and nothing else
// (MCP stdio transport; JSON-RPC 2.0 §4 and §5 for the message shapes). The fuzz driver checks
// every line it reads against this.

/** A JSON-RPC id as JSON-RPC 2.0 allows it on the wire. */
export type JsonRpcId = string | number | null;

/** One stdout line, classified. */
export type ServerMessage =
  | { kind: 'result'; id: string | number; result: Record<string, unknown> }
  | { kind: 'error'; id: JsonRpcId; error: { code: number; message: string; data?: unknown } }
  | { kind: 'request'; id: string | number; method: string; params?: unknown }
  | { kind: 'notification'; method: string; params?: unknown };

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const isId = (value: unknown): value is string | number =>
  typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));

/**
 * Parses one stdout line as a JSON-RPC 2.0 message from a server: a success response (`result`
 * object), an error response (`error` with an integer `code` and a string `message`; `id` may be
 * null, as JSON-RPC 2.0 §5 prescribes when the request's id could not be read), a request or a
 * notification. A server never writes batches.
 *
 * @param line - one line of stdout, without its newline
 * @returns the classified message
 * @throws Error naming the fault when the line is not a JSON-RPC 2.0 message
 * @example
 * parseServerLine('{"jsonrpc":"2.0","id":1,"result":{}}'); // { kind: 'result', id: 1, result: {} }
 */
export function parseServerLine(line: string): ServerMessage {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`stdout line is not JSON: ${preview(line)}`);
  }
  if (!isObject(value)) throw new Error(`stdout line is not a JSON object: ${preview(line)}`);
  if (value.jsonrpc !== '2.0') throw new Error(`stdout message lacks jsonrpc "2.0": ${preview(line)}`);
  const hasResult = 'result' in value;
  const hasError = 'error' in value;
  if (typeof value.method === 'string') {
    if (hasResult || hasError) throw new Error(`stdout message mixes method and response: ${preview(line)}`);
    if ('id' in value) {
      if (!isId(value.id)) throw new Error(`stdout request has an invalid id: ${preview(line)}`);
      return { kind: 'request', id: value.id, method: value.method, params: value.params };
    }
    return { kind: 'notification', method: value.method, params: value.params };
  }
  if (hasResult === hasError) throw new Error(`stdout message is neither result nor error: ${preview(line)}`);
  if (hasResult) {
    if (!isId(value.id)) throw new Error(`stdout result has an invalid id: ${preview(line)}`);
    if (!isObject(value.result)) throw new Error(`stdout result is not an object: ${preview(line)}`);
    return { kind: 'result', id: value.id, result: value.result };
  }
  const error = value.error;
  if (!(value.id === null || isId(value.id)))
    throw new Error(`stdout error has an invalid id: ${preview(line)}`);
  if (!isObject(error) || !Number.isInteger(error.code) || typeof error.message !== 'string') {
    throw new Error(`stdout error object is malformed: ${preview(line)}`);
  }
  return {
    kind: 'error',
    id: value.id as JsonRpcId,
    error: { code: error.code as number, message: error.message, data: error.data },
  };
}

/**
 * The key a response is filed under: the JSON text of its id, so `1` and `"1"` stay apart.
 *
 * @param id - a JSON-RPC id
 * @returns its JSON text
 */
export function idKey(id: JsonRpcId): string {
  return JSON.stringify(id);
}

/**
 * A short, single-line preview of a possibly huge text, for failure messages.
 *
 * @param text - any text
 * @param max - characters kept (default 200)
 * @returns the text cut to `max` characters, with its full length when cut
 */
export function preview(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}... (${text.length} chars)` : flat;
}
