#!/usr/bin/env node
// The bin. Node's on-disk compile cache (node:module enableCompileCache, Node 22.1+) makes every
// start after the first skip parsing and compiling the server's modules; it must be enabled before
// they load, hence this short entry and a dynamic import of the real one. The V8 flags for the
// guard's WebAssembly parser are set later, right before the parser first loads (see
// parser-tiering.ts): set here, they cost every start about 10 ms.
import { enableCompileCache } from 'node:module';

enableCompileCache?.();
await import('./cli.js');
