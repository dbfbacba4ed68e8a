/**
 * Public API of `@bulwark/runtime`: how a Bulwark server starts and how its tools are declared.
 * Every name exported here is public; removing one is a deliberate, visible change.
 */
export { type AuditEntry, type AuditLog, createAuditLog } from './audit.js';
export {
  type CliOption,
  CliUsageError,
  formatHelp,
  formatOptionRows,
  type ParsedCommandLine,
  parseCommandLine,
  parseSecondsOption,
  parseWholeNumberOption,
} from './cli.js';
export { INPUT_KEYS, InputNeeded } from './client-input.js';
export {
  createProgressReporter,
  PROGRESS_INTERVAL_MS,
  type ProgressReporter,
  type ToolContext,
} from './context.js';
export { type AnyToolDefinition, defineTool, type ToolDefinition, type ToolOutput } from './define-tool.js';
export { isExpectedError, promptError, resourceReadError, ToolError, toErrorResult } from './errors.js';
export { createLogger, type Logger, type LogLevel } from './logger.js';
export { type RedactOptions, redactArguments } from './redact.js';
export { currentRequestScope, type RequestScope, runInRequestScope } from './request-scope.js';
export { runServerCli, type ServerCli } from './run-cli.js';
export {
  createServerFactory,
  type ServerFactory,
  type ServerHooks,
  type ServerSpec,
  type ToolCall,
  type ToolCallOutcome,
  type ToolInfo,
} from './server.js';
export { runStdio } from './stdio.js';
