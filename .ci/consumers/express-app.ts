// A consumer's app, compiled in a throwaway project from the packed tarball (.ci/consumers/run.mjs):
// a protected controller route and a plain express route guarded by requireLogin(), with req.user typed
// through the opt-in entry point; it prints its port and a token, the runner asks each for 401 then 200.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Get, JsonController, useContainer, useExpressServer } from 'routing-controllers';
import { LoggedIn, LoginManager, loginConfig, User } from 'routing-controllers-login';
import type { LoggedInRequest } from 'routing-controllers-login/express';
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

const app = express();
app.get('/plain', manager.requireLogin(), (req, res) => {
  const { user } = req as LoggedInRequest<Account>;
  res.json({ sub: user.sub, name: user.name });
});
useExpressServer(app, loginConfig({ controllers: [MeController] }, manager));
// routing-controllers answers errors, then still calls next(err): stop there.
app.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
  if (!res.headersSent) next(error);
});

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ port, token: manager.createAccessToken({ data: { sub: 'ada' } }) }));
});
