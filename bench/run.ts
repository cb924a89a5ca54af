/**
 * Runs one benchmark: `npm run bench -- NAME [args…]` imports bench/NAME.ts and awaits its default
 * export with the remaining arguments. Each benchmark prints one JSON line per measurement on
 * stdout (progress and notes go to stderr). Without a name, lists the benchmarks.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = () =>
  readdirSync(here)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort();

async function main() {
  const [name, ...args] = process.argv.slice(2);
  if (!name || name === '--help' || name === '-h') {
    console.error(`usage: npm run bench -- NAME [args…]\nbenchmarks: ${available().join(', ') || '(none)'}`);
    process.exit(name ? 0 : 2);
  }
  const file = join(here, `${name}.ts`);
  if (!/^[A-Za-z0-9_-]+$/.test(name) || name === 'run' || !existsSync(file)) {
    console.error(`unknown benchmark "${name}"; available: ${available().join(', ')}`);
    process.exit(2);
  }
  const mod = (await import(pathToFileURL(file).href)) as { default?: (args: string[]) => unknown };
  if (typeof mod.default !== 'function') {
    console.error(`bench/${name}.ts has no default export to run`);
    process.exit(2);
  }
  await mod.default(args);
}

main().then(
  // open handles (database pools, timers) must not keep a finished benchmark alive
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
