import {
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';

/**
 * Thrown inside a handler to ask the client for input on the 2026-07-28 era (multi-round-trip
 * requests): the wrapper returns `result` and the client retries with the responses.
 */
export class InputNeeded {
  /** @param result - the `input_required` result to return */
  constructor(readonly result: InputRequiredResult) {}
}

/** Input-request keys this runtime assigns (the client echoes them back in `inputResponses`). */
export const INPUT_KEYS = { roots: 'bulwark_roots', confirm: 'bulwark_confirm' } as const;

/**
 * The client capabilities that apply to one request: the per-request envelope on the
 * 2026-07-28 era, the `initialize`-scoped ones on the 2025 era.
 *
 * @param ctx - the handler context
 * @param server - the server instance handling it
 * @returns the capabilities and whether the request is of the modern era
 */
export function clientCapabilitiesOf(
  ctx: ServerContext,
  server: McpServer,
): { capabilities: ClientCapabilities | undefined; modern: boolean } {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const modern = envelope?.[CLIENT_CAPABILITIES_META_KEY] !== undefined;
  const capabilities = modern
    ? (envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities)
    : server.server.getClientCapabilities();
  return { capabilities, modern };
}

/**
 * Reads client roots carried by a retried 2026-07-28 request, if any.
 *
 * @returns the root URIs, or undefined when the request carried no roots response
 */
export function rootsFromInputResponses(ctx: ServerContext): string[] | undefined {
  const view = inputResponse(ctx.mcpReq.inputResponses, INPUT_KEYS.roots);
  if (view.kind !== 'roots') return undefined;
  return view.roots.map((root) => root.uri).filter((uri): uri is string => typeof uri === 'string');
}

/** The `input_required` result that asks a 2026-07-28 client for its roots. */
export function requestRoots(): InputRequiredResult {
  return inputRequired({ inputRequests: { [INPUT_KEYS.roots]: inputRequired.listRoots() } });
}

function confirmSchema() {
  return {
    type: 'object' as const,
    properties: { confirm: { type: 'boolean' as const, title: 'Confirm', description: 'Allow this action' } },
    required: ['confirm'],
  };
}

/**
 * Asks the user to confirm an action through form elicitation, on either era.
 *
 * @param message - what will happen, in one or two sentences
 * @returns true when confirmed, or when the client does not support elicitation; false when declined
 * @throws InputNeeded on the 2026-07-28 era, the first time (the client retries with the answer)
 */
export async function confirmThroughElicitation(
  ctx: ServerContext,
  server: McpServer,
  message: string,
): Promise<boolean> {
  const { capabilities, modern } = clientCapabilitiesOf(ctx, server);
  if (modern) {
    const view = inputResponse(ctx.mcpReq.inputResponses, INPUT_KEYS.confirm);
    if (view.kind === 'elicit') return view.action === 'accept' && view.content?.confirm === true;
    if (!capabilities?.elicitation) return true;
    throw new InputNeeded(
      inputRequired({
        inputRequests: {
          [INPUT_KEYS.confirm]: inputRequired.elicit({ message, requestedSchema: confirmSchema() }),
        },
      }),
    );
  }
  if (!capabilities?.elicitation) return true;
  const answer = await ctx.mcpReq.elicitInput({ mode: 'form', message, requestedSchema: confirmSchema() });
  return answer.action === 'accept' && answer.content?.confirm === true;
}
