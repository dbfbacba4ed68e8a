#!/usr/bin/env node
// The bin. Node's on-disk compile cache (node:module enableCompileCache, Node 22.1+) makes every
// start after the first skip parsing and compiling the server's modules; it must be enabled before
// they load, hence this two-line entry and a dynamic import of the real one.
import { enableCompileCache } from 'node:module';

enableCompileCache?.();
await import('./cli.js');
