import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { type Exchange, stringField } from './exchange';

/** An express (4 or 5) or plain Node `http` exchange: express's `req`/`res` are Node's, with extras. */
export class NodeExchange implements Exchange {
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse | undefined,
  ) {}

  /** express's `req.secure` (it honours `trust proxy`), else whether the socket is TLS. */
  get secure(): boolean {
    const viaExpress = (this.req as { secure?: unknown }).secure;
    return typeof viaExpress === 'boolean' ? viaExpress : Boolean((this.req.socket as TLSSocket | null)?.encrypted);
  }

  bodyField(name: string): string | undefined {
    return stringField((this.req as { body?: unknown }).body, name);
  }

  setUser(user: unknown): void {
    (this.req as { user?: unknown }).user = user;
  }
}
