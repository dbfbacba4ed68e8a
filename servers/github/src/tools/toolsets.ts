/** The toolsets, in the order `--help` and the README list them. */
export const TOOLSET_NAMES = ['context', 'repos', 'issues', 'pull_requests', 'actions', 'users'] as const;

/** One toolset name. */
export type ToolsetName = (typeof TOOLSET_NAMES)[number];
