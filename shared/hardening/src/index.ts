/**
 * Public API of `@bulwark/hardening`: pure security primitives with no MCP imports. Subpaths
 * (`/sandbox`, `/limits`, `/sanitize`, `/annotations`, `/sql`) export the same names by topic.
 */
export * from './annotations/index.js';
export * from './limits/index.js';
export * from './sandbox/index.js';
export * from './sanitize/index.js';
export * from './sql/index.js';
