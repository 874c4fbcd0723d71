// The member web app (src/web/app/): built by Vite into a folder (dist/web by default) and served
// here as static files at /app/, with the headers of every answer (the onRequest hook of app.ts
// sets them, Content-Security-Policy "default-src 'self'" included). The pages carry no member
// data: everything they show comes from the API with the member's own token.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { BingeError } from '../errors.js';

/** Where the pages' sources live (this file is in src/server or dist/server). */
export const WEB_SOURCE_DIR = fileURLToPath(new URL('../../src/web/app', import.meta.url));
export const WEB_PREFIX = '/app/';
/** Where Vite puts the built files named by their content's hash. */
export const ASSETS_PREFIX = `${WEB_PREFIX}assets/`;
export const IMMUTABLE_ASSET = 'public, max-age=31536000, immutable';

/** Builds the pages into `outDir` with Vite's JS API (Vite is a dev dependency: loaded only here). */
export async function buildWebApp(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: WEB_SOURCE_DIR,
    base: WEB_PREFIX,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      // Content-Security-Policy "default-src 'self'": no inline scripts or styles, not even small assets as data: URLs.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      sourcemap: false,
    },
  });
}

export async function webAppRoutes(app: FastifyInstance, webDir: string): Promise<void> {
  for (const path of ['/', WEB_PREFIX.slice(0, -1)]) app.get(path, { schema: { hide: true } }, async (_request, reply) => reply.redirect(WEB_PREFIX, 302));
  if (!existsSync(join(webDir, 'index.html'))) {
    // The API works without the pages; say how to get them.
    app.get(`${WEB_PREFIX}*`, { schema: { hide: true } }, async () => {
      throw new BingeError('BINGE_NOT_FOUND', `the web app is not built (no ${join(webDir, 'index.html')}); run npm run build`);
    });
    return;
  }
  // In a scope of their own, so that the hook below sees only the files' answers.
  await app.register(async (files) => {
    // Vite names every built asset by a hash of its content (assets/index-<hash>.js): a browser may
    // keep one for good, and a new build is a new name that index.html points to. index.html and
    // the other files keep the "cache-control: no-store" of every answer (headers.ts), so a new
    // build is seen at once.
    files.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode === 200 && request.url.startsWith(ASSETS_PREFIX)) reply.header('cache-control', IMMUTABLE_ASSET);
      return payload;
    });
    await files.register(fastifyStatic, {
      root: webDir,
      prefix: WEB_PREFIX,
      cacheControl: false,
      lastModified: false,
      etag: true,
      dotfiles: 'deny',
      index: ['index.html'],
    });
  });
}
