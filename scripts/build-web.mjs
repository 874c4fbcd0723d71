// `npm run build` (and `npm ci`, through prepare): builds the member web app into dist/web with
// Vite, after tsc has compiled dist/ (the build function lives in src/server/web-app.ts).
import { buildWebApp } from '../dist/server/web-app.js';
import { fileURLToPath } from 'node:url';

await buildWebApp(fileURLToPath(new URL('../dist/web', import.meta.url)));
