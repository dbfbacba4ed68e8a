#!/usr/bin/env node
// The fixture's bin, started the way every Bulwark server's bin is: runtime's runServerCli parses
// the command line (the shared --http flags included) and serves the spec over stdio, or over the
// runtime's own Streamable HTTP transport with --http. Usage: node main.mjs --http 127.0.0.1:0
import * as runtime from '@bulwark/runtime';
import { createFixtureSpec, FIXTURE_NAME, FIXTURE_VERSION } from './spec.mjs';

const { parseCommandLine, runServerCli } = runtime;

const OPTIONS = {
  help: { type: 'boolean', short: 'h', help: 'Show this help.' },
  version: { type: 'boolean', help: 'Print the version.' },
};

runServerCli({
  bin: FIXTURE_NAME,
  name: FIXTURE_NAME,
  version: FIXTURE_VERSION,
  usage:
    'Usage: main.mjs [--http [HOST:]PORT]\n\nThe fixture server of the conformance suite (test/conformance).',
  options: OPTIONS,
  loadConfig() {
    const { values } = parseCommandLine(OPTIONS);
    if (values.help) return { help: true };
    if (values.version) return { version: true };
    return {};
  },
  createSpec: async (_config, logger) => createFixtureSpec(logger),
});
