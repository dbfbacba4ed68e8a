// The demo: starts the built filesystem server over stdio with a real MCP client on this
// repository's own tree and prints what a host would see. Run it with `pnpm demo`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStdioServer, structuredOf, textOf } from '../shared/testkit/dist/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'servers/filesystem/dist/main.js');

const bold = (text) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text);
const section = (title) => console.log(`\n${bold(`== ${title} ==`)}`);
const indent = (text, max = 30) => {
  const lines = text.split('\n');
  const shown = lines.slice(0, max).map((line) => `   ${line}`);
  if (lines.length > max) shown.push(`   ... (${lines.length - max} more lines)`);
  return shown.join('\n');
};

async function call(client, name, args) {
  const started = performance.now();
  const result = await client.callTool({ name, arguments: args });
  const ms = (performance.now() - started).toFixed(1);
  console.log(`${bold(`> ${name}`)} ${JSON.stringify(args)}  (${ms} ms${result.isError ? ', isError' : ''})`);
  return result;
}

const session = await startStdioServer({ args: [bin, `${repo}:ro`] });
try {
  const { client } = session;
  const server = client.getServerVersion();
  section(
    `Connected to ${server?.name} ${server?.version} (protocol ${client.getNegotiatedProtocolVersion()})`,
  );
  console.log(indent(client.getInstructions() ?? ''));

  section('Tools');
  const { tools } = await client.listTools();
  for (const tool of tools) {
    const hints = tool.annotations ?? {};
    const mode = hints.readOnlyHint ? 'read-only' : hints.destructiveHint ? 'destructive' : 'write';
    console.log(`   ${tool.name.padEnd(26)} ${mode.padEnd(12)} ${tool.title ?? ''}`);
  }
  console.log(`   (${tools.length} tools; the root was given as DIR:ro, so write tools refuse it)`);

  section('Glob search: every TypeScript file under shared/');
  const glob = await call(client, 'search_files', { path: 'shared', pattern: '**/*.ts', max_results: 12 });
  console.log(indent(textOf(glob)));

  section('Content search: where tools are declared');
  const grep = await call(client, 'search_content', {
    path: 'servers',
    query: 'defineTool({',
    literal: true,
    include: '**/*.ts',
    max_matches: 8,
  });
  console.log(indent(textOf(grep)));

  section('Head read: the first 12 lines of README.md');
  const head = await call(client, 'read_text_file', { path: 'README.md', head: 12 });
  const read = structuredOf(head);
  console.log(indent(read.content));
  console.log(
    `   [lines ${read.start_line}-${read.end_line} of ${read.total_lines}, sha256 ${read.sha256.slice(0, 16)}...]`,
  );

  section('Directory tree, two levels, node_modules excluded by .gitignore');
  const tree = await call(client, 'directory_tree', { path: '.', max_depth: 2, max_entries: 60 });
  console.log(indent(textOf(tree), 45));

  section('Refused: escape attempts');
  for (const attempt of ['../../../../etc/passwd', `${repo}-evil/secret.txt`, '/proc/self/environ']) {
    const refused = await call(client, 'read_text_file', { path: attempt });
    console.log(`   ${textOf(refused)}`);
  }
  const write = await call(client, 'write_file', { path: 'demo-output.txt', content: 'hello' });
  console.log(`   ${textOf(write)}`);
} finally {
  await session.close();
}
