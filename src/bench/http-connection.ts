// A keep-alive HTTP/1.1 client connection for load generators (ingest-http, serving): one request
// at a time, written in one go, the answer read by its Content-Length. `post` sends what
// node:http's client sends for the same request (Host, Connection, Content-Type, Content-Length,
// Authorization), so the server does the same work; it only costs the client less (no
// ClientRequest, IncomingMessage or agent bookkeeping per request). Answers must carry a
// Content-Length (binge's JSON answers do); a chunked answer is refused with an error.

import { connect, type Socket } from 'node:net';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** An answer as its bytes, for callers that compare bodies without decoding them. */
export interface RawHttpAnswer {
  status: number;
  body: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');

export class HttpConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (answer: RawHttpAnswer) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly port: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.answer();
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the server closed the connection')));
  }

  static open(port: number, host = '127.0.0.1'): Promise<HttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new HttpConnection(socket, port));
      });
    });
  }

  /** POSTs a JSON body and resolves with the answer (any status). */
  async post(path: string, bearer: string, body: Buffer): Promise<HttpAnswer> {
    const head =
      `POST ${path} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
      `Authorization: Bearer ${bearer}\r\nHost: 127.0.0.1:${this.port}\r\nConnection: keep-alive\r\n\r\n`;
    const answer = await this.send(head, body);
    return { status: answer.status, body: answer.body.toString('utf8') };
  }

  /** Sends a request written out whole (head, then the body if any) and resolves with the answer's bytes (any status). */
  send(head: Buffer | string, body?: Buffer): Promise<RawHttpAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiting) return Promise.reject(new Error('one request at a time on a connection'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.cork();
      this.socket.write(head);
      if (body) this.socket.write(body);
      this.socket.uncork();
    });
  }

  close(): void {
    this.socket.destroy();
  }

  /** Resolves the waiting request once its whole answer is buffered. */
  private answer(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    const headEnd = this.buffered.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const head = this.buffered.toString('latin1', 0, headEnd);
    const status = /^HTTP\/1\.1 (\d{3})/.exec(head);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!status || !length) {
      this.waiting = undefined;
      waiting.reject(new Error(`an answer without a status or Content-Length: ${head.slice(0, 300)}`));
      this.socket.destroy();
      return;
    }
    const bodyStart = headEnd + HEAD_END.length;
    const bodyEnd = bodyStart + Number(length[1]);
    if (this.buffered.length < bodyEnd) return;
    const body = this.buffered.subarray(bodyStart, bodyEnd);
    this.buffered = this.buffered.subarray(bodyEnd);
    this.waiting = undefined;
    waiting.resolve({ status: Number(status[1]), body });
  }
}
