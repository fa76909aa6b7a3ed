import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { type Exchange, stringField } from './exchange';

/** What express adds to Node's request that the exchange reads: all absent on a plain Node request. */
interface ExpressRequest extends IncomingMessage {
  secure?: unknown;
  protocol?: unknown;
  originalUrl?: unknown;
  app?: { get?: (setting: string) => unknown };
}

/** An express (4 or 5) or plain Node `http` exchange: express's `req`/`res` are Node's, with extras. */
export class NodeExchange implements Exchange {
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse | undefined,
  ) {}

  /** express's `req.secure` (it honours `trust proxy`), else whether the socket is TLS. */
  get secure(): boolean {
    const viaExpress = (this.req as ExpressRequest).secure;
    return typeof viaExpress === 'boolean' ? viaExpress : this.encrypted;
  }

  /**
   * express: `req.protocol` and the host as express 5's `req.host` finds it (`X-Forwarded-Host`
   * only from a proxy `trust proxy` trusts; express 4 has no such getter), and `req.originalUrl`.
   * Plain Node: TLS or not, the `Host` header and `req.url`.
   */
  url(): string {
    const req = this.req as ExpressRequest;
    const scheme = typeof req.protocol === 'string' ? req.protocol : this.encrypted ? 'https' : 'http';
    const forwarded = this.fromTrustedProxy() ? firstValue(req.headers['x-forwarded-host']) : undefined;
    const path = typeof req.originalUrl === 'string' ? req.originalUrl : req.url;
    return `${scheme}://${forwarded || req.headers.host || ''}${path ?? ''}`;
  }

  bodyField(name: string): string | undefined {
    return stringField((this.req as { body?: unknown }).body, name);
  }

  setUser(user: unknown): void {
    (this.req as { user?: unknown }).user = user;
  }

  private get encrypted(): boolean {
    return Boolean((this.req.socket as TLSSocket | null)?.encrypted);
  }

  /** Whether express's `trust proxy` trusts the peer: express's own test for `X-Forwarded-*` (hop 0). */
  private fromTrustedProxy(): boolean {
    const trust = (this.req as ExpressRequest).app?.get?.('trust proxy fn');
    return typeof trust === 'function' && Boolean(trust(this.req.socket?.remoteAddress, 0));
  }
}

/** The first of a comma-separated header's values, trimmed. */
function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(',', 1)[0]?.trim();
}
