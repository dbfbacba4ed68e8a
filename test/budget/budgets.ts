// The tool-definition budget of every server in every mode: the most bytes its tools/list may
// take (the `tools` array as compact JSON, UTF-8). Every byte here is context a host spends on
// each conversation before the model does anything, so growth is a decision, not a drift.
//
// Each budget was set at the size measured when it was added, plus about 10%, rounded up to
// 256 bytes (measured sizes in the comments). To raise one: change the number in the same
// commit as the tool change that needs it, with the new measured size in the comment and the
// reason in the commit message, so the reviewer sees what the extra context buys. Lowering a
// budget after a trim needs no reason. tool-definitions.test.ts prints the measured sizes.
import type { ServerName } from '../fuzz/targets.js';

/** Largest allowed tools/list size in bytes, by server and mode (the modes of test/fuzz/targets.ts). */
export const TOOL_DEFINITION_BUDGETS: Readonly<Record<ServerName, Readonly<Record<string, number>>>> = {
  filesystem: {
    read: 16_384, // measured 14721 B
    write: 29_696, // measured 26821 B
  },
  sqlite: {
    read: 8_960, // measured 7917 B
    write: 11_008, // measured 9943 B
  },
  postgres: {
    read: 9_728, // measured 8815 B
    write: 12_032, // measured 10844 B
  },
  fetch: {
    read: 4_096, // measured 3500 B
  },
  github: {
    default: 23_808, // measured 21516 B
    'default+write': 32_768, // measured 29784 B
    all: 29_952, // measured 27045 B
    'all+write': 38_912, // measured 35313 B
  },
  slack: {
    read: 12_800, // measured 11443 B
    'read+search': 16_384, // measured 14713 B
    'post:C0000001': 22_528, // measured 20325 B
    'post:*': 22_528, // measured 20325 B
    'post:*+edit': 25_344, // measured 22953 B
  },
};
