import type { SqlLimits } from '../deps.js';
import type { SqlDriver } from '../driver.js';

/**
 * What a tool's declaration depends on: the dialect its descriptions name and the limits they
 * state (and its schema bounds). Pass the same limits as `SqlDeps.limits`.
 */
export interface SqlToolOptions {
  dialect: SqlDriver['dialect'];
  limits: SqlLimits;
}

/**
 * Formats a byte count for a description (`256 KiB`).
 *
 * @param bytes - a byte count
 */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
