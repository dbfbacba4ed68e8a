// Entry point of the side-by-side benchmarks: `node test/bench/run.mjs [name ...]`
// (or `pnpm bench <name>`, one of the keys below). Without a name, every bench runs.
const BENCHES = {
  fetch: () => import('./fetch.mjs'),
  filesystem: () => import('./filesystem.mjs'),
  github: () => import('./github.mjs'),
  postgres: () => import('./postgres.mjs'),
  slack: () => import('./slack.mjs'),
  sqlite: () => import('./sqlite.mjs'),
  startup: () => import('./startup.mjs'),
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')}; available: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}

let failed = false;
for (const name of requested.length > 0 ? requested : Object.keys(BENCHES)) {
  console.log(`== bench: ${name} ==`);
  try {
    const bench = await BENCHES[name]();
    await bench.run();
  } catch (error) {
    failed = true;
    console.error(`bench ${name} failed: ${error?.stack ?? error}`);
  }
}
process.exit(failed ? 1 : 0);
