import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the key server answers: normally, by dropping the connection, never, or with a 500. */
export type KeyServerMode = 'ok' | 'down' | 'hang' | 'error';

/**
 * A local HTTP server playing an identity provider: it serves a JWK Set, a discovery
 * document and anything else set in `routes`, and counts the requests per path.
 */
export interface KeyServer {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** `<origin>/jwks.json`. */
  jwksUri: string;
  /** Path → body (an object is sent as JSON, a string or Buffer as is). */
  routes: Record<string, unknown>;
  /** Path → extra response headers. */
  headers: Record<string, Record<string, string>>;
  mode: KeyServerMode;
  /** Path → number of requests received. */
  hits: Record<string, number>;
  /** Requests received on `path` (0 when none). */
  count(path: string): number;
  /** Resolves when the next request on `path` arrives; rejects if none does within `withinMs`. */
  nextRequest(path: string, withinMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startKeyServer(jwks: unknown = { keys: [] }): Promise<KeyServer> {
  const sockets = new Set<Socket>();
  const waiting: Array<{ path: string; arrived: () => void }> = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', state.origin).pathname;
    for (const waiter of waiting.filter((entry) => entry.path === path)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.arrived();
    }
    answer(state, request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state: KeyServer = {
    origin,
    jwksUri: `${origin}/jwks.json`,
    routes: { '/jwks.json': jwks },
    headers: {},
    mode: 'ok',
    hits: {},
    count: (path) => state.hits[path] ?? 0,
    nextRequest: (path, withinMs = 2000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no request on ${path} within ${withinMs} ms`)), withinMs);
        const arrived = () => {
          clearTimeout(timer);
          resolve();
        };
        waiting.push({ path, arrived });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return state;
}

function answer(state: KeyServer, request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? '/', state.origin).pathname;
  state.hits[path] = state.count(path) + 1;
  if (state.mode === 'down') {
    request.socket.destroy();
    return;
  }
  if (state.mode === 'hang') return;
  const body = state.routes[path];
  if (state.mode === 'error' || body === undefined) {
    response.writeHead(state.mode === 'error' ? 500 : 404).end();
    return;
  }
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  response.writeHead(200, { 'content-type': 'application/json', ...state.headers[path] });
  response.end(raw);
}
