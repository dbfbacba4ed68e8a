// Preloaded into the packed servers by the e2e test (NODE_OPTIONS=--import=<this file>): records
// the URL of every module a server's bin loads, ECMAScript and CommonJS alike, one per line, in
// the file named by BULWARK_RECORD_LOADS. Only the bin itself records (npx, which reads the same
// NODE_OPTIONS, does not), and the variable is removed so that a forked child does not either.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.BULWARK_RECORD_LOADS;
if (file && /[\\/]dist[\\/]main\.js$/.test(process.argv[1] ?? '')) {
  delete process.env.BULWARK_RECORD_LOADS;
  registerHooks({
    load(url, context, nextLoad) {
      appendFileSync(file, `${url}\n`);
      return nextLoad(url, context);
    },
  });
}
