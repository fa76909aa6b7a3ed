// A consumer's Koa app, compiled in a throwaway project from the packed tarball (.ci/consumers/run.mjs):
// one protected route; it prints its port and a token, the runner asks for 401 then 200.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { Get, JsonController, useContainer, useKoaServer } from 'routing-controllers';
import { LoggedIn, LoginManager, loginConfig, User } from 'routing-controllers-login';
import { Container, Service } from 'typedi';

interface Account {
  sub: string;
  name: string;
}

useContainer(Container);

const manager = new LoginManager<Account>({
  secret: 'consumer-check-Qx7Lk2Vb9Tz4Hw8Rj5Nc3Pm6',
  tokenUrl: '/auth/token',
  userLoader: (sub) => (sub === 'ada' ? { sub, name: 'Ada' } : undefined),
});

@LoggedIn()
@Service()
@JsonController('/me')
class MeController {
  @Get('/')
  me(@User() user: Account) {
    return user;
  }
}

const app = new Koa();
useKoaServer(app, loginConfig({ controllers: [MeController] }, manager));

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ port, token: manager.createAccessToken({ data: { sub: 'ada' } }) }));
});
