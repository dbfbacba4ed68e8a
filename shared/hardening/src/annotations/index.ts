/**
 * Tool annotations (MCP `ToolAnnotations`, spec 2025-11-25 server/tools). The four hints are all
 * required here, so forgetting one is a compile error: hosts use them to decide what to confirm.
 */
export interface ToolHints {
  /** The tool changes nothing in its environment. */
  readOnlyHint: boolean;
  /** The tool may delete or overwrite (meaningful only when not read-only). */
  destructiveHint: boolean;
  /** Calling it twice with the same arguments has no further effect. */
  idempotentHint: boolean;
  /** The tool reaches an open world (the internet, other people's data) rather than a closed one. */
  openWorldHint: boolean;
}

/** Reads a closed world (files, a database) and changes nothing. */
export const READ_ONLY: ToolHints = Object.freeze({
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
});

/** Reads the open world (web pages, public repositories) and changes nothing. */
export const READ_ONLY_OPEN_WORLD: ToolHints = Object.freeze({ ...READ_ONLY, openWorldHint: true });

/** Creates something new without touching what exists (create a directory). */
export const ADDITIVE: ToolHints = Object.freeze({
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
});

/** Adds to what exists and repeats add again (append to a file, post a message). */
export const ADDITIVE_REPEATABLE: ToolHints = Object.freeze({ ...ADDITIVE, idempotentHint: false });

/** Overwrites to a given state: the same call twice leaves the same result (write a file). */
export const OVERWRITE_IDEMPOTENT: ToolHints = Object.freeze({
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
});

/** Changes or removes what exists and may not be repeatable (edit, move, delete). */
export const DESTRUCTIVE: ToolHints = Object.freeze({
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: false,
});
