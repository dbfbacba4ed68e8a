/** The shape of a tool result as a client receives it. */
interface ResultLike {
  content?: unknown;
  structuredContent?: unknown;
  isError?: boolean;
}

/**
 * The concatenated text blocks of a tool result.
 *
 * @param result - from `client.callTool`
 */
export function textOf(result: ResultLike): string {
  const blocks = Array.isArray(result.content) ? result.content : [];
  return blocks
    .filter((block): block is { type: 'text'; text: string } => block?.type === 'text')
    .map((block) => block.text)
    .join('\n');
}

/**
 * The structured content of a successful tool result; throws with the error text otherwise, so a
 * test fails with the server's own message.
 *
 * @param result - from `client.callTool`
 */
export function structuredOf<T = Record<string, unknown>>(result: ResultLike): T {
  if (result.isError) throw new Error(`tool returned an error: ${textOf(result)}`);
  return result.structuredContent as T;
}

/**
 * The content of an untrusted-content envelope (see `wrapUntrusted` in @bulwark/hardening): the
 * text between its opening and closing delimiter lines. Throws when the text is not wrapped, so a
 * test also proves that the envelope is there.
 *
 * @param text - a text block that should be wrapped
 */
export function unwrapUntrusted(text: string): string {
  const lines = text.split('\n');
  const open = /^<untrusted-content-([0-9a-f]+) [^>]*>$/.exec(lines[0] ?? '');
  if (!open || lines.at(-1) !== `</untrusted-content-${open[1]}>`) {
    throw new Error(`expected an untrusted-content envelope, got: ${text.slice(0, 80)}`);
  }
  return lines.slice(1, -1).join('\n');
}
