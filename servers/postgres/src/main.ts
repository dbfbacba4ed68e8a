#!/usr/bin/env node
// The bin. Node's on-disk compile cache (node:module enableCompileCache, Node 22.1+) makes every
// start after the first skip parsing and compiling the server's modules; it must be enabled before
// they load, hence this short entry and a dynamic import of the real one.
import { enableCompileCache } from 'node:module';
import v8 from 'node:v8';

enableCompileCache?.();
// The guard's PostgreSQL parser is WebAssembly (libpg-query). V8 recompiles hot WebAssembly with
// its optimising tier, which briefly took this process from 70 MiB to 630 MiB (VmHWM, measured with
// Node 24); the baseline tier parses a statement in 0.07 ms instead of 0.04 ms. Set before the
// module loads; all three flags are needed when they are set at run time rather than on argv.
v8.setFlagsFromString('--liftoff-only --no-wasm-dynamic-tiering --no-wasm-tier-up');
await import('./cli.js');
