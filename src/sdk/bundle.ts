// The browser bundle of the SDK: browser.ts and what it imports, as one minified ES module
// (Vite's library mode). `npm run build:sdk` writes dist/sdk-bundle/binge-player.js; the Chromium test
// builds it the same way into a temporary folder and loads it in a page.

import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUNDLE_NAME = 'binge-player.js';

export interface BuiltBundle {
  path: string;
  bytes: number;
  gzipBytes: number;
}

/** Builds the browser bundle into `outDir` and says its size. */
export async function buildSdkBundle(outDir: string): Promise<BuiltBundle> {
  const { build } = await import('vite');
  const here = dirname(fileURLToPath(import.meta.url));
  // From the sources (src/sdk) or the compiled files (dist/sdk): the entry beside this file.
  const entry = join(here, here.includes(`${join('dist', 'sdk')}`) ? 'browser.js' : 'browser.ts');
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      lib: { entry, formats: ['es'], fileName: () => BUNDLE_NAME },
      // Vite keeps whitespace in an ES library (for other bundlers); players load this file as it is.
      rolldownOptions: { output: { minify: true } },
    },
  });
  const path = join(outDir, BUNDLE_NAME);
  const code = readFileSync(path);
  return { path, bytes: code.length, gzipBytes: gzipSync(code).length };
}

// `node dist/sdk/bundle.js [outDir]` (npm run build:sdk).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'sdk-bundle');
  buildSdkBundle(outDir).then(
    (b) => console.log(`${b.path}: ${b.bytes} bytes, ${b.gzipBytes} gzipped`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
