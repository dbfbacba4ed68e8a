// The conformance fixture server: the tools, resources, resource template, prompts, completions
// and subscriptions that the scenarios of @modelcontextprotocol/conformance look up by fixed name
// (test_simple_text, test://static-text, test_prompt_with_arguments, ...), declared on
// @bulwark/runtime the way every Bulwark server is (a ServerSpec for createServerFactory).
//
// Tools that only need their arguments, content blocks, errors and progress are runtime tools
// (defineTool: validation, structuredContent, error mapping, the throttled progress reporter). The
// ones that talk back to the client during a call (log messages, sampling, elicitation) need the
// SDK's per-request context, which ToolContext does not carry, so they are registered through
// the spec's `register` hook on the runtime-built McpServer, as are resources and prompts.
import * as annotations from '@bulwark/hardening/annotations';
import * as runtime from '@bulwark/runtime';
import * as sdk from '@modelcontextprotocol/server';
import * as z from 'zod';
import { tinyPng, tinyWav } from './media.mjs';

const { defineTool, ToolError, PROGRESS_INTERVAL_MS } = runtime;
const { READ_ONLY } = annotations;
const { ResourceTemplate, completable } = sdk;

/** The fixture's name in `serverInfo`. */
export const FIXTURE_NAME = 'bulwark-conformance-fixture';
/** The fixture's version in `serverInfo`. */
export const FIXTURE_VERSION = '0.0.0';

const PNG = tinyPng().toString('base64');
const WAV = tinyWav().toString('base64');
const NO_ARGS = z.object({});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const simpleText = defineTool({
  name: 'test_simple_text',
  title: 'Simple text',
  description: 'Returns one fixed text block (conformance scenario tools-call-simple-text).',
  input: NO_ARGS,
  output: z.object({ text: z.string().describe('The fixed text') }),
  annotations: READ_ONLY,
  async handler() {
    const text = 'This is a simple text response for testing.';
    return { structured: { text }, text };
  },
});

const imageContent = defineTool({
  name: 'test_image_content',
  title: 'Image content',
  description: 'Returns a 2x2 PNG as an image content block (scenario tools-call-image).',
  input: NO_ARGS,
  output: z.object({ mimeType: z.string().describe('MIME type of the image') }),
  annotations: READ_ONLY,
  async handler() {
    return {
      structured: { mimeType: 'image/png' },
      text: 'A 2x2 PNG image follows.',
      content: [{ type: 'image', data: PNG, mimeType: 'image/png' }],
    };
  },
});

const audioContent = defineTool({
  name: 'test_audio_content',
  title: 'Audio content',
  description: 'Returns 10 ms of WAV silence as an audio content block (scenario tools-call-audio).',
  input: NO_ARGS,
  output: z.object({ mimeType: z.string().describe('MIME type of the audio') }),
  annotations: READ_ONLY,
  async handler() {
    return {
      structured: { mimeType: 'audio/wav' },
      text: 'A short WAV clip follows.',
      content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }],
    };
  },
});

const embeddedResource = defineTool({
  name: 'test_embedded_resource',
  title: 'Embedded resource',
  description: 'Returns an embedded text resource (scenario tools-call-embedded-resource).',
  input: NO_ARGS,
  output: z.object({ uri: z.string().describe('URI of the embedded resource') }),
  annotations: READ_ONLY,
  async handler() {
    const uri = 'test://embedded-resource';
    return {
      structured: { uri },
      text: `Embedded resource ${uri} follows.`,
      content: [
        {
          type: 'resource',
          resource: { uri, mimeType: 'text/plain', text: 'This is an embedded resource content.' },
        },
      ],
    };
  },
});

const mixedContent = defineTool({
  name: 'test_multiple_content_types',
  title: 'Mixed content',
  description: 'Returns text, an image and an embedded JSON resource (scenario tools-call-mixed-content).',
  input: NO_ARGS,
  output: z.object({ blocks: z.number().int().describe('Number of content blocks returned') }),
  annotations: READ_ONLY,
  async handler() {
    return {
      structured: { blocks: 3 },
      text: 'Multiple content types test:',
      content: [
        { type: 'image', data: PNG, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    };
  },
});

const errorHandling = defineTool({
  name: 'test_error_handling',
  title: 'Error result',
  description:
    'Always fails with an isError result, through the runtime error mapping (scenario tools-call-error).',
  input: NO_ARGS,
  output: z.object({}),
  annotations: READ_ONLY,
  async handler() {
    throw new ToolError('This tool intentionally returns an error for testing');
  },
});

const withProgress = defineTool({
  name: 'test_tool_with_progress',
  title: 'Progress',
  description:
    'Reports progress 0, 50 and 100 of 100 through the runtime progress reporter, pausing just over its throttle interval between steps (scenario tools-call-with-progress).',
  input: NO_ARGS,
  output: z.object({ steps: z.number().int().describe('Progress notifications attempted') }),
  annotations: READ_ONLY,
  async handler(_args, { progress }) {
    await progress(0, 100);
    await sleep(PROGRESS_INTERVAL_MS + 20);
    await progress(50, 100);
    await sleep(PROGRESS_INTERVAL_MS + 20);
    await progress(100, 100);
    return { structured: { steps: 3 }, text: 'Progress test completed.' };
  },
});

/** Runtime tools (defineTool), in the order they are listed. */
export const FIXTURE_TOOLS = [
  simpleText,
  imageContent,
  audioContent,
  embeddedResource,
  mixedContent,
  errorHandling,
  withProgress,
];

const text = (value) => ({ content: [{ type: 'text', text: value }] });

/** Tools that send requests or notifications to the client while they run (SDK context). */
function registerInteractiveTools(server) {
  server.registerTool(
    'test_tool_with_logging',
    {
      title: 'Logging',
      description: 'Sends three info log messages 50 ms apart (scenario tools-call-with-logging).',
      inputSchema: NO_ARGS,
      annotations: READ_ONLY,
    },
    async (_args, ctx) => {
      await ctx.mcpReq.log('info', 'Tool execution started');
      await sleep(50);
      await ctx.mcpReq.log('info', 'Tool processing data');
      await sleep(50);
      await ctx.mcpReq.log('info', 'Tool execution completed');
      return text('Logging test completed.');
    },
  );
  server.registerTool(
    'test_sampling',
    {
      title: 'Sampling',
      description: 'Asks the client to sample an LLM with the given prompt (scenario tools-call-sampling).',
      inputSchema: z.object({ prompt: z.string().max(10_000).describe('The prompt to send') }),
      annotations: READ_ONLY,
    },
    async ({ prompt }, ctx) => {
      const reply = await ctx.mcpReq.requestSampling({
        messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
        maxTokens: 100,
      });
      const content = Array.isArray(reply.content) ? reply.content[0] : reply.content;
      return text(`LLM response: ${content?.type === 'text' ? content.text : JSON.stringify(content)}`);
    },
  );
  server.registerTool(
    'test_elicitation',
    {
      title: 'Elicitation',
      description: 'Asks the user for a username and email (scenario tools-call-elicitation).',
      inputSchema: z.object({ message: z.string().max(2_000).describe('The message to show the user') }),
      annotations: READ_ONLY,
    },
    async ({ message }, ctx) => {
      const answer = await ctx.mcpReq.elicitInput({
        mode: 'form',
        message,
        requestedSchema: {
          type: 'object',
          properties: {
            username: { type: 'string', description: "User's response" },
            email: { type: 'string', description: "User's email address" },
          },
          required: ['username', 'email'],
        },
      });
      return text(`User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`);
    },
  );
  server.registerTool(
    'test_elicitation_sep1034_defaults',
    {
      title: 'Elicitation defaults',
      description: 'Elicits a form whose fields of every primitive type carry defaults (SEP-1034).',
      inputSchema: NO_ARGS,
      annotations: READ_ONLY,
    },
    async (_args, ctx) => {
      const answer = await ctx.mcpReq.elicitInput({
        mode: 'form',
        message: 'Confirm or change the defaults.',
        requestedSchema: {
          type: 'object',
          properties: {
            name: { type: 'string', title: 'Name', default: 'John Doe' },
            age: { type: 'integer', title: 'Age', minimum: 0, default: 30 },
            score: { type: 'number', title: 'Score', default: 95.5 },
            status: {
              type: 'string',
              title: 'Status',
              enum: ['active', 'inactive', 'pending'],
              default: 'active',
            },
            verified: { type: 'boolean', title: 'Verified', default: true },
          },
        },
      });
      return text(
        `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`,
      );
    },
  );
  server.registerTool(
    'test_elicitation_sep1330_enums',
    {
      title: 'Elicitation enums',
      description: 'Elicits a form with the five enum shapes of SEP-1330.',
      inputSchema: NO_ARGS,
      annotations: READ_ONLY,
    },
    async (_args, ctx) => {
      const answer = await ctx.mcpReq.elicitInput({
        mode: 'form',
        message: 'Pick options.',
        requestedSchema: {
          type: 'object',
          properties: {
            untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
            titledSingle: {
              type: 'string',
              oneOf: [
                { const: 'value1', title: 'First Option' },
                { const: 'value2', title: 'Second Option' },
                { const: 'value3', title: 'Third Option' },
              ],
            },
            legacyEnum: {
              type: 'string',
              enum: ['opt1', 'opt2', 'opt3'],
              enumNames: ['Option One', 'Option Two', 'Option Three'],
            },
            untitledMulti: {
              type: 'array',
              items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
            },
            titledMulti: {
              type: 'array',
              items: {
                anyOf: [
                  { const: 'value1', title: 'First Choice' },
                  { const: 'value2', title: 'Second Choice' },
                  { const: 'value3', title: 'Third Choice' },
                ],
              },
            },
          },
        },
      });
      return text(
        `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`,
      );
    },
  );
}

/** Static resources, the `test://template/{id}/data` template, and subscriptions. */
function registerResources(server, deps) {
  server.registerResource(
    'static-text',
    'test://static-text',
    { title: 'Static text', description: 'A fixed text resource.', mimeType: 'text/plain' },
    async (uri) => ({
      contents: [
        { uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' },
      ],
    }),
  );
  server.registerResource(
    'static-binary',
    'test://static-binary',
    { title: 'Static binary', description: 'A fixed 2x2 PNG.', mimeType: 'image/png' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: PNG }] }),
  );
  server.registerResource(
    'watched-resource',
    'test://watched-resource',
    { title: 'Watched', description: 'A resource clients may subscribe to.', mimeType: 'text/plain' },
    async (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content.' }],
    }),
  );
  server.registerResource(
    'template-data',
    new ResourceTemplate('test://template/{id}/data', { list: undefined }),
    { title: 'Template data', description: 'JSON data for one id.', mimeType: 'application/json' },
    async (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
        },
      ],
    }),
  );
  server.server.registerCapabilities({ resources: { subscribe: true } });
  server.server.setRequestHandler('resources/subscribe', async (request) => {
    deps.subscriptions.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', async (request) => {
    deps.subscriptions.delete(request.params.uri);
    return {};
  });
}

const COMPLETIONS = ['paris', 'park', 'party', 'test-alpha', 'test-beta'];

/** The four fixture prompts; `arg1` of test_prompt_with_arguments completes. */
function registerPrompts(server) {
  const user = (content) => ({ messages: [{ role: 'user', content }] });
  server.registerPrompt(
    'test_simple_prompt',
    { title: 'Simple prompt', description: 'A prompt without arguments.' },
    async () => user({ type: 'text', text: 'This is a simple prompt for testing.' }),
  );
  server.registerPrompt(
    'test_prompt_with_arguments',
    {
      title: 'Prompt with arguments',
      description: 'A prompt that substitutes two arguments.',
      argsSchema: z.object({
        arg1: completable(z.string().max(200).describe('First test argument'), (value) =>
          COMPLETIONS.filter((option) => option.startsWith(value ?? '')),
        ),
        arg2: z.string().max(200).describe('Second test argument'),
      }),
    },
    async ({ arg1, arg2 }) =>
      user({ type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` }),
  );
  server.registerPrompt(
    'test_prompt_with_embedded_resource',
    {
      title: 'Prompt with embedded resource',
      description: 'A prompt that embeds the resource it is given.',
      argsSchema: z.object({ resourceUri: z.string().max(500).describe('URI of the resource to embed') }),
    },
    async ({ resourceUri }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: {
              uri: resourceUri,
              mimeType: 'text/plain',
              text: 'Embedded resource content for testing.',
            },
          },
        },
        { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
      ],
    }),
  );
  server.registerPrompt(
    'test_prompt_with_image',
    { title: 'Prompt with image', description: 'A prompt that carries an image.' },
    async () => ({
      messages: [
        { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
        { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
      ],
    }),
  );
}

/**
 * The fixture as a runtime ServerSpec.
 *
 * @param {object} logger - a runtime Logger (`createLogger`): lines to stderr
 * @returns {object} a runtime ServerSpec whose per-connection deps are `{ subscriptions: Set<string> }`
 */
export function createFixtureSpec(logger) {
  return {
    name: FIXTURE_NAME,
    version: FIXTURE_VERSION,
    title: 'Bulwark conformance fixture',
    instructions: 'Fixtures for @modelcontextprotocol/conformance; not a real server.',
    tools: FIXTURE_TOOLS,
    createDeps: () => ({ subscriptions: new Set() }),
    register(server, deps) {
      registerInteractiveTools(server);
      registerResources(server, deps);
      registerPrompts(server);
    },
    capabilities: { resources: {}, prompts: {} },
    logger,
  };
}
