/** The server's command-line entry, loaded by main.ts. */
import { runServerCli } from '@bulwark/runtime';
import { CLI_OPTIONS, loadConfig, USAGE } from './config.js';
import { limitParserTiering } from './parser-tiering.js';
import { createPostgresServer } from './server.js';
import { VERSION } from './version.js';

runServerCli({
  bin: 'bulwark-server-postgres',
  name: 'bulwark-postgres',
  version: VERSION,
  usage: USAGE,
  options: CLI_OPTIONS,
  loadConfig: () => loadConfig(),
  createSpec: async (config, logger) =>
    (await createPostgresServer(config, logger, { beforeParserLoad: limitParserTiering })).spec,
});
