import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpConnection } from './http-connection.js';

test('the load generator sends what node:http sends, reads each answer whole, and reuses one connection', async () => {
  const seen: { headers: IncomingHttpHeaders; body: string; socket: unknown }[] = [];
  let calls = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), socket: req.socket });
      calls++;
      const answer = calls === 2 ? JSON.stringify({ error: 'busy' }) : JSON.stringify({ accepted: 2, note: 'é'.repeat(40_000) });
      res.writeHead(calls === 2 ? 503 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const connection = await HttpConnection.open(port);
    const body = Buffer.from(JSON.stringify([{ a: 1 }, { b: 'x'.repeat(200_000) }]));
    const first = await connection.post('/v1/events', 'k1', body);
    assert.equal(first.status, 200);
    assert.equal((JSON.parse(first.body) as { note: string }).note.length, 40_000);
    assert.equal((await connection.post('/v1/events', 'k1', body)).status, 503);
    assert.equal((await connection.post('/v1/events', 'k1', body)).status, 200);
    connection.close();
    assert.equal(seen.length, 3);
    for (const s of seen) {
      assert.equal(s.body, body.toString());
      assert.equal(s.headers.authorization, 'Bearer k1');
      assert.equal(s.headers['content-type'], 'application/json');
      assert.equal(s.headers['content-length'], String(body.length));
      assert.equal(s.headers.host, `127.0.0.1:${port}`);
      assert.equal(s.headers.connection, 'keep-alive');
    }
    assert.ok(seen[0].socket === seen[2].socket, 'one keep-alive connection for every request');
  } finally {
    server.close();
  }
});

test('a closed connection fails the waiting request instead of hanging', async () => {
  const server = createServer((req) => req.socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const connection = await HttpConnection.open((server.address() as AddressInfo).port);
    await assert.rejects(connection.post('/v1/events', 'k', Buffer.from('[]')));
    connection.close();
  } finally {
    server.close();
  }
});
