/**
 * Public API of `@bulwark/runtime/http`: the Streamable HTTP transport and its parts. A separate
 * entry point so that servers started over stdio never load its dependencies (jose, prom-client,
 * rate-limiter-flexible, ioredis). Every name exported here is public.
 */
export {
  ANONYMOUS_SUBJECT,
  type Authenticator,
  type AuthFailureReason,
  type Caller,
  createAuthenticator,
  insufficientScopeResponse,
  STATIC_TOKEN_SUBJECT,
} from './auth.js';
export { type CallOutcome, createMetrics, type HttpMetrics } from './metrics.js';
export {
  HTTP_CLI_OPTIONS,
  HTTP_ENV_HELP,
  HTTP_TOKEN_ENV,
  type HttpAuthConfig,
  type HttpConfig,
  type HttpRateLimitConfig,
  isLoopbackHost,
  parseHttpConfig,
  RATE_LIMIT_STORE_ENV,
} from './options.js';
export { createHttpHooks, type HttpPolicy, isWriteTool, rateLimitedResult, subjectOf } from './policy.js';
export { createRateLimits, type RateLimits, type RateLimitVerdict } from './rate-limit.js';
export {
  type HttpServerHandle,
  KNOWN_PROTOCOL_VERSIONS,
  MCP_PATH,
  serveHttp,
  startHttpServer,
} from './serve.js';
