// Runs the attack corpora (see runner.ts) with Node's own TypeScript support. The sources import
// each other as `.js`, as the workspace's TypeScript settings require; this hook maps a relative
// `.js` import that does not exist to its `.ts` source.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!/^\.\.?\//.test(specifier) || !specifier.endsWith('.js')) throw error;
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
  },
});

const { main } = await import('./runner.ts');
process.exitCode = await main(process.argv.slice(2));
