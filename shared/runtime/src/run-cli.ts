import { type CliOption, CliUsageError, formatHelp } from './cli.js';
import { createLogger, type Logger } from './logger.js';
import { createServerFactory, type ServerSpec } from './server.js';
import { runStdio } from './stdio.js';

/** What a server's bin needs to hand the runtime. */
export interface ServerCli<Config, Deps> {
  /** The bin's name, for messages (`bulwark-server-filesystem`). */
  bin: string;
  /** The logger's name (`bulwark-filesystem`). */
  name: string;
  version: string;
  usage: string;
  options: Record<string, CliOption>;
  /** Parses argv and the environment; throws CliUsageError for a bad command line. */
  loadConfig(): Config | { help: true } | { version: true };
  /** Builds the server from its config. */
  createSpec(config: Config, logger: Logger): Promise<ServerSpec<Deps>>;
}

/**
 * The whole life of a server's bin: parse the command line, answer `--help` and `--version` on
 * stderr, build the server and serve it over stdio. A bad command line prints the problem and the
 * help and exits 2; a failure to start exits 1 with one line on stderr. Nothing is written to
 * stdout but protocol messages.
 *
 * @param cli - the server's config loader, spec builder and identity
 */
export function runServerCli<Config, Deps>(cli: ServerCli<Config, Deps>): void {
  const logger = createLogger(cli.name);
  const start = async () => {
    const config = cli.loadConfig();
    if (typeof config === 'object' && config !== null && 'help' in config) {
      process.stderr.write(formatHelp(cli.usage, cli.options));
      return;
    }
    if (typeof config === 'object' && config !== null && 'version' in config) {
      process.stderr.write(`${cli.version}\n`);
      return;
    }
    const spec = await cli.createSpec(config as Config, logger);
    runStdio(createServerFactory(spec), logger);
  };
  start().catch((error: unknown) => {
    if (error instanceof CliUsageError) {
      process.stderr.write(`${cli.bin}: ${error.message}\n\n${formatHelp(cli.usage, cli.options)}`);
      process.exit(2);
    }
    logger.error((error as Error).message);
    process.exit(1);
  });
}
