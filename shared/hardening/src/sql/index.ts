/**
 * Public API of `@bulwark/hardening/sql`: read-only guards for SQLite (statement properties and a
 * kind allowlist) and PostgreSQL (the real PostgreSQL parser, a whole-tree walk and a function
 * allowlist).
 */
export { SqlGuardError, type SqlGuardRule } from './errors.js';
export { assertReadOnlyPostgres, type PostgresGuardOptions, type PostgresStatementInfo } from './postgres.js';
export { POSTGRES_SAFE_FUNCTIONS } from './postgres-functions.js';
export {
  assertReadOnlySqlite,
  assertWriteStatementSqlite,
  SQLITE_SAFE_PRAGMAS,
  type SqliteStatementInfo,
  sqliteParameters,
} from './sqlite.js';
