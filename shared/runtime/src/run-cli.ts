import { type CliOption, CliUsageError, formatHelp, formatOptionRows, parseCommandLine } from './cli.js';
import { HTTP_CLI_OPTIONS, HTTP_ENV_HELP, parseHttpConfig } from './http/options.js';
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
  /**
   * The server's option table, the same object its `loadConfig` parses with. `runServerCli`
   * adds the shared HTTP options (`--http`, `--allowed-hosts`, `--oauth-issuer`, ...) to it
   * before `loadConfig` runs, so every server accepts them; a name the server already declares
   * keeps the server's meaning.
   */
  options: Record<string, CliOption>;
  /** Parses argv and the environment; throws CliUsageError for a bad command line. */
  loadConfig(): Config | { help: true } | { version: true };
  /** Builds the server from its config. */
  createSpec(config: Config, logger: Logger): Promise<ServerSpec<Deps>>;
}

/**
 * The whole life of a server's bin: parse the command line, answer `--help` and `--version` on
 * stderr, build the server and serve it over stdio, or over Streamable HTTP when `--http`
 * (or `BULWARK_HTTP`) is given. A bad command line prints the problem and the help and exits 2;
 * a failure to start exits 1 with one line on stderr. Nothing is written to stdout but protocol
 * messages. The HTTP transport and its dependencies are loaded only when `--http` is used.
 * When the spec's instructions are a promise (a startup check still running), no message is read
 * from stdin, and no port is opened, until it has settled.
 *
 * @param cli - the server's config loader, spec builder and identity
 */
export function runServerCli<Config, Deps>(cli: ServerCli<Config, Deps>): void {
  const logger = createLogger(cli.name);
  const ownOptions = { ...cli.options };
  const httpOptions: Record<string, CliOption> = {};
  const extensible = Object.isExtensible(cli.options);
  for (const [name, option] of Object.entries(HTTP_CLI_OPTIONS)) {
    if (!extensible || name in cli.options) continue;
    cli.options[name] = option;
    httpOptions[name] = option;
  }
  const help = () =>
    `${formatHelp(cli.usage, ownOptions)}\nRemote deployment (Streamable HTTP; see docs/deploy.md):\n${formatOptionRows(httpOptions)}\n${HTTP_ENV_HELP}\n`;
  const start = async () => {
    const config = cli.loadConfig();
    if (typeof config === 'object' && config !== null && 'help' in config) {
      process.stderr.write(help());
      return;
    }
    if (typeof config === 'object' && config !== null && 'version' in config) {
      process.stderr.write(`${cli.version}\n`);
      return;
    }
    const http = parseHttpConfig(parseCommandLine(cli.options).values);
    const spec = await cli.createSpec(config as Config, logger);
    if (http) {
      // Startup work behind the instructions finishes before the port opens.
      const [{ serveHttp }] = await Promise.all([import('./http/serve.js'), spec.instructions]);
      await serveHttp(spec, http, logger);
      return;
    }
    runStdio(
      createServerFactory(spec),
      logger,
      spec.instructions instanceof Promise ? spec.instructions : undefined,
    );
  };
  start().catch((error: unknown) => {
    if (error instanceof CliUsageError) {
      process.stderr.write(`${cli.bin}: ${error.message}\n\n${help()}`);
      process.exit(2);
    }
    logger.error((error as Error).message);
    process.exit(1);
  });
}
