import { appendFileSync } from 'node:fs';
import { currentRequestScope } from './request-scope.js';

/**
 * One audited write (or, over HTTP, one tool call): which tool ran, on what target, for whom,
 * and how it ended. Never a body, a message text or a credential.
 */
export interface AuditEntry {
  /** Tool name, e.g. `create_issue`. */
  tool: string;
  /**
   * What the write acted on, e.g. `octo/repo#12` or `C0123456`; `-` on the per-call entries the
   * HTTP transport records, whose redacted `arguments` say what the call acted on.
   */
  target: string;
  /**
   * `ok`, `denied` (a guard, a rate limit or the user refused) or `error` (the call failed or
   * the upstream call failed).
   */
  outcome: 'ok' | 'denied' | 'error';
  /** One line of detail, e.g. the refusal reason or the upstream status; no bodies. */
  detail?: string;
  /**
   * Who asked (the access token's subject over HTTP). When absent, {@link AuditLog.record}
   * fills it from the current request scope, so entries written while serving an HTTP request
   * always name the caller; stdio entries have none.
   */
  subject?: string;
  /** The call's arguments, already passed through `redactArguments` (never raw bodies or secrets). */
  arguments?: unknown;
  /** How long the call took, in milliseconds. */
  durationMs?: number;
}

/** Records audited writes; see {@link createAuditLog}. */
export interface AuditLog {
  record(entry: AuditEntry): void;
}

/**
 * Creates the audit log. Each entry is one JSON line `{"ts":ISO-8601,"server":…,"tool":…,
 * "target":…,"outcome":…,"detail"?:…,"subject"?:…,"arguments"?:…,"durationMs"?:…}`; `subject`
 * comes from the current request scope when the entry has none. Lines are appended synchronously to `file` when one is given
 * (so a crash cannot lose a recorded write), else written to stderr prefixed `[audit] `.
 * stdout is never used: it carries the protocol.
 *
 * @param server - server name stamped on every line (`bulwark-github`)
 * @param file - absolute path of a log file, created when missing; `undefined` logs to stderr
 * @param write - sink override for tests; receives each complete line with its newline
 * @returns the log
 */
export function createAuditLog(server: string, file?: string, write?: (line: string) => void): AuditLog {
  const sink =
    write ??
    (file
      ? (line: string) => appendFileSync(file, line, { mode: 0o600 })
      : (line: string) => process.stderr.write(`[audit] ${line}`));
  return {
    record(entry) {
      const subject = entry.subject ?? currentRequestScope()?.subject;
      const line = `${JSON.stringify({ ts: new Date().toISOString(), server, ...entry, ...(subject === undefined ? {} : { subject }) })}\n`;
      try {
        sink(line);
      } catch {
        // An unwritable audit file must not crash the server; say so on stderr instead.
        process.stderr.write(`[audit] could not write the audit log; entry: ${line}`);
      }
    },
  };
}
