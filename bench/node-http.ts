import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

const socket = new Socket();

/** A real Node request (as the HTTP parser leaves it, on an unconnected socket) and its response. */
export function exchangeWith(headers: Record<string, string>): { request: IncomingMessage; response: ServerResponse } {
  const request = new IncomingMessage(socket);
  request.method = 'GET';
  request.url = '/me';
  request.headers = { host: 'bench', ...headers };
  request.rawHeaders = ['Host', 'bench', ...Object.entries(headers).flat()];
  return { request, response: new ServerResponse(request) };
}
