import type { Server } from 'node:http';
import { Get, JsonController } from 'routing-controllers';
import { LoggedIn, type LoginErrorCode, LoginManager, type LoginOptions, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from './app';

/** `GET /remote/me` (a login) and `GET /remote/orders` (scope `orders:read`). */
@LoggedIn()
@Service()
@JsonController('/remote')
export class RemoteController {
  @Get('/me')
  me(@User() user: { sub: string }) {
    return user;
  }

  @LoggedIn({ scopes: ['orders:read'] })
  @Get('/orders')
  orders() {
    return { orders: [] };
  }
}

/** A logger that keeps what it is told. */
export function recordingLogger() {
  const logger = {
    errors: [] as string[],
    warnings: [] as string[],
    error: (message: string) => {
      logger.errors.push(message);
      if (process.env.KEYS_DEBUG) console.error(message);
    },
    warn: (message: string) => void logger.warnings.push(message),
  };
  return logger;
}

/**
 * A real express app guarded by a manager built from `options` (a verify-only one, in
 * practice), listening on an ephemeral port, that records every refusal's code and logs.
 */
export async function verifierApp(options: Partial<LoginOptions<{ sub: string }>>) {
  const codes: LoginErrorCode[] = [];
  const logger = recordingLogger();
  const manager = new LoginManager<{ sub: string }>({
    tokenUrl: '/t',
    userLoader: (sub) => ({ sub }),
    onAuthFailure: (code) => void codes.push(code),
    logger,
    ...options,
  } as LoginOptions<{ sub: string }>);
  const server: Server = appWith(manager, { controllers: [RemoteController] }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const get = (token: string, path = '/remote/me') => request(server).get(path).set('Authorization', `Bearer ${token}`);
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { manager, server, codes, logger, get, close };
}
