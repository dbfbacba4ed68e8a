import type { Client } from '@modelcontextprotocol/client';

/**
 * The tool definitions a client sees (tools/list), as the JSON text committed under a server's
 * `__toolsnaps__/<tool>.json`. A test compares each with `toMatchFileSnapshot`, so a change to a
 * schema or description is always a reviewed diff (`vitest -u` updates them).
 *
 * @param clients - connected clients (several when modes register different tools)
 * @returns the snapshot text of each distinct tool, by name, and the compact byte size of the
 *   largest tools/list seen (for the definition budget)
 */
export async function toolSnapshots(
  clients: readonly Client[],
): Promise<{ snapshots: Map<string, string>; largestListBytes: number }> {
  const snapshots = new Map<string, string>();
  let largestListBytes = 0;
  for (const client of clients) {
    const { tools } = await client.listTools();
    largestListBytes = Math.max(largestListBytes, JSON.stringify(tools).length);
    for (const tool of tools) snapshots.set(tool.name, `${JSON.stringify(tool, null, 2)}\n`);
  }
  return { snapshots, largestListBytes };
}
