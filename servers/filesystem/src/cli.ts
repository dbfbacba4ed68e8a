/** The server's command-line entry: parse config, build the server, serve stdio. Loaded by main.ts. */
import { CliUsageError, createLogger, createServerFactory, formatHelp, runStdio } from '@bulwark/runtime';
import { CLI_OPTIONS, loadConfig, USAGE } from './config.js';
import { createFilesystemServer } from './server.js';
import { VERSION } from './version.js';

const logger = createLogger('bulwark-filesystem');

async function main(): Promise<void> {
  const config = loadConfig();
  if ('help' in config) {
    process.stderr.write(formatHelp(USAGE, CLI_OPTIONS));
    return;
  }
  if ('version' in config) {
    process.stderr.write(`${VERSION}\n`);
    return;
  }
  const spec = await createFilesystemServer(config, logger);
  runStdio(createServerFactory(spec), logger);
}

main().catch((error: unknown) => {
  if (error instanceof CliUsageError) {
    process.stderr.write(`bulwark-server-filesystem: ${error.message}\n\n${formatHelp(USAGE, CLI_OPTIONS)}`);
    process.exit(2);
  }
  logger.error((error as Error).message);
  process.exit(1);
});
