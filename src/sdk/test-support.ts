// A real HTTP proxy in front of the real server, for the SDK's failure tests: it forwards each
// request, or fails it the way networks and servers fail (a 500, a connection cut before or after
// the server stored the batch). No mocked fetch: the client talks HTTP to it like to binge.

import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'pass' | 'status-500' | 'cut-before' | 'cut-after';

export interface SeenRequest {
  events: number;
  bytes: number;
  fault: Fault;
  status: number | undefined;
}

export interface FaultProxy {
  url: string;
  /** Every request, in arrival order. */
  seen: SeenRequest[];
  /** The faults for the next requests, in order; then 'pass'. */
  faults: Fault[];
  close(): Promise<void>;
}

export async function startFaultProxy(target: () => string): Promise<FaultProxy> {
  const seen: SeenRequest[] = [];
  const faults: Fault[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const fault = faults.shift() ?? 'pass';
      let events = 0;
      try {
        events = (JSON.parse(body.toString('utf8')) as unknown[]).length;
      } catch {
        events = -1;
      }
      const record: SeenRequest = { events, bytes: body.length, fault, status: undefined };
      seen.push(record);
      if (fault === 'status-500') {
        record.status = 500;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'BINGE_INTERNAL', message: 'a fault of the test proxy', requestId: 'proxy' } }));
        return;
      }
      if (fault === 'cut-before') {
        req.socket.destroy();
        return;
      }
      const upstream = new URL(req.url ?? '/', target());
      const forward = httpRequest(upstream, { method: req.method, headers: { ...req.headers, host: upstream.host } }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => {
          record.status = answer.statusCode;
          // The server has answered (and stored the batch): the client never hears it.
          if (fault === 'cut-after') {
            req.socket.destroy();
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(parts));
        });
      });
      forward.on('error', () => req.socket.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
