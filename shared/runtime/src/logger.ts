/** Log levels in increasing severity (RFC 5424 names as MCP uses them, minus the rarely useful ones). */
export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warning: 2, error: 3 };

/** Writes human-readable lines to stderr. stdout carries only protocol messages. */
export interface Logger {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warning(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

/**
 * Creates a logger that writes `[name] level: message` lines to stderr.
 *
 * @param name - server name, prefixed to every line
 * @param level - lowest level written (default `info`, or `BULWARK_LOG_LEVEL`)
 * @param write - sink, for tests (default: process.stderr)
 * @returns the logger
 */
export function createLogger(
  name: string,
  level: LogLevel = (process.env.BULWARK_LOG_LEVEL as LogLevel | undefined) ?? 'info',
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const threshold = ORDER[level] ?? ORDER.info;
  const emit = (at: LogLevel, message: string, detail?: unknown) => {
    if (ORDER[at] < threshold) return;
    let suffix = '';
    if (detail instanceof Error) suffix = ` ${detail.stack ?? detail.message}`;
    else if (detail !== undefined) suffix = ` ${JSON.stringify(detail)}`;
    write(`[${name}] ${at}: ${message}${suffix}\n`);
  };
  return {
    debug: (message, detail) => emit('debug', message, detail),
    info: (message, detail) => emit('info', message, detail),
    warning: (message, detail) => emit('warning', message, detail),
    error: (message, detail) => emit('error', message, detail),
  };
}
