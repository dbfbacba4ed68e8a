/**
 * V8 flags for the read-only guard's PostgreSQL parser, which is WebAssembly (libpg-query). V8
 * recompiles hot WebAssembly with its optimising tier, which briefly took the server from 70 MiB
 * to 630 MiB (VmHWM, measured with Node 24); the baseline tier (Liftoff) parses a statement in
 * 0.07 ms instead of 0.04 ms and keeps the peak near 120 MiB. All three flags are needed when they
 * are set at run time rather than on argv.
 */
const LIFTOFF_ONLY = '--liftoff-only --no-wasm-dynamic-tiering --no-wasm-tier-up';

/**
 * Keeps WebAssembly compiled after this call on V8's baseline tier. The bin calls it right before
 * the parser first loads (the driver's `beforeParserLoad`), not at startup: changing V8's flags
 * makes the code caches built into Node (every Node module loaded afterwards) unusable, which cost
 * each start about 10 ms, and a server that never receives a statement never needs the parser.
 * The flags apply to the whole process, which is why the library export never sets them itself.
 */
export function limitParserTiering(): void {
  process.getBuiltinModule('node:v8').setFlagsFromString(LIFTOFF_ONLY);
}
