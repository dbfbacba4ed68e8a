import { CliUsageError } from '@bulwark/runtime';
import type { AnyGitHubTool } from './define.js';
import { ALL_TOOLS, isWriteTool } from './index.js';
import type { ToolsetName } from './toolsets.js';

/** What decides the tool list (a subset of the server config). */
export interface ToolSelection {
  toolsets: readonly ToolsetName[] | undefined;
  tools: readonly string[];
  excludeTools: readonly string[];
  allowWrite: boolean;
}

/**
 * The tools to register: those of the chosen toolsets plus the ones named with `--tools`, minus
 * `--exclude-tools`; write tools only with `--allow-write` (without it they are not registered at
 * all, so a client cannot even see them).
 *
 * @param selection - from the config
 * @returns the tools, in README order
 * @throws CliUsageError for an unknown tool name, or a write tool named in `--tools` without `--allow-write`
 */
export function selectTools(selection: ToolSelection): AnyGitHubTool[] {
  const known = new Map(ALL_TOOLS.map((tool) => [tool.name, tool]));
  for (const name of [...selection.tools, ...selection.excludeTools]) {
    if (!known.has(name))
      throw new CliUsageError(`Unknown tool "${name}"; see --help and the README for the list.`);
  }
  for (const name of selection.tools) {
    const tool = known.get(name)!;
    if (isWriteTool(tool) && !selection.allowWrite) {
      throw new CliUsageError(`${name} writes to GitHub; it needs --allow-write.`);
    }
  }
  const toolsets = new Set(selection.toolsets ?? []);
  return ALL_TOOLS.filter(
    (tool) =>
      (toolsets.has(tool.toolset) || selection.tools.includes(tool.name)) &&
      !selection.excludeTools.includes(tool.name) &&
      (selection.allowWrite || !isWriteTool(tool)),
  );
}
