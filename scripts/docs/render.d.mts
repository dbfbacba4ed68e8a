/** Types of render.mjs, for the TypeScript tests that import it. */

/** One MCP tool annotation as a table column. */
export interface HintColumn {
  key: 'readOnlyHint' | 'destructiveHint' | 'idempotentHint' | 'openWorldHint';
  header: string;
  name: string;
}

/** One row of the tool table. */
export interface DocTool {
  name: string;
  title?: string;
  description?: string;
  annotations?: Partial<Record<HintColumn['key'], boolean>>;
  /** Markdown of the "enabled by" cell. */
  enabledBy: string;
  group?: string;
}

/** One option row of `--help`. */
export interface HelpOption {
  flag: string;
  short?: string;
  /** The option takes a value (`--flag VALUE`). */
  value: boolean;
  env?: string;
  help: string;
}

/** What {@link parseHelp} reads from `--help`. */
export interface ParsedHelp {
  usage: string;
  options: HelpOption[];
  remote: HelpOption[];
  remoteEnv: string[];
}

export declare const HINT_COLUMNS: readonly HintColumn[];
export declare function firstSentence(description: string): string;
export declare function escapeCell(text: string): string;
export declare function wrapParagraph(text: string, width?: number): string;
export declare function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string;
export declare function renderToolsSection(
  tools: readonly DocTool[],
  options?: { groupHeader?: string },
): string;
export declare function parseHelp(help: string): ParsedHelp;
export declare function renderOptionsSection(help: ParsedHelp): string;
export declare function replaceBetweenMarkers(readme: string, name: string, body: string): string;
