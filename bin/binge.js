#!/usr/bin/env node
// Thin shim: the CLI lives in src/cli. `npm ci` compiles it to dist/ (the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const built = fileURLToPath(new URL('../dist/cli/run.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('binge: dist/ is missing. Run `npm ci` (or `npm run build`) in the project first.\n');
  process.exit(2);
}
await import(built);
