/**
 * Public API of `@bulwark/hardening`: pure security primitives with no MCP imports. Subpaths
 * (`/sandbox`, `/limits`, `/sanitize`, `/annotations`, `/sql`) export the same names by topic.
 * `/net` (the network guard and its HTTP client) is a subpath only, so that servers which make no
 * outbound requests never load undici; its error class is exported here for error mapping.
 */
export * from './annotations/index.js';
export * from './limits/index.js';
export { NetGuardError, type NetGuardRule } from './net/errors.js';
export * from './sandbox/index.js';
export * from './sanitize/index.js';
export * from './sql/index.js';
