/** The server's command-line entry, loaded by main.ts. */
import { runServerCli } from '@bulwark/runtime';
import { CLI_OPTIONS, loadConfig, USAGE } from './config.js';
import { createSlackServer } from './server.js';
import { VERSION } from './version.js';

runServerCli({
  bin: 'bulwark-server-slack',
  name: 'bulwark-slack',
  version: VERSION,
  usage: USAGE,
  options: CLI_OPTIONS,
  loadConfig: () => loadConfig(),
  createSpec: createSlackServer,
});
