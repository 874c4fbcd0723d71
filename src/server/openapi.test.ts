import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../test-support/server.js';

test('the OpenAPI document is generated from the route schemas and lists every public route', async () => {
  const server = await startTestServer();
  try {
    const response = await fetch(`${server.url}/openapi.json`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { responses?: object }>> };
    assert.match(document.openapi, /^3\./);
    const documented = new Set(Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    // Every route registered with a schema appears, with its responses described.
    const routes = (server.app as unknown as { bingeRoutes: string[] }).bingeRoutes;
    assert.ok(routes.length > 0, 'routes were recorded');
    for (const route of routes) assert.ok(documented.has(route), `${route} is in the OpenAPI document`);
    const ingest = document.paths['/v1/events'].post;
    assert.ok(ingest.responses && '200' in ingest.responses && '413' in ingest.responses);
  } finally {
    await server.dispose();
  }
});
