import { expect } from 'chai';
import express from 'express';
import { LoginManager } from 'routing-controllers-login';
import request from 'supertest';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader, quietLogger } from '../helpers/users';

describe('manager.middleware()', () => {
  const users = accountLoader();
  const manager = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    userLoader: users.load,
    logger: quietLogger,
  });
  const app = express();
  app.use(manager.middleware());
  app.get('/', (req, res) => {
    res.json({ user: (req as unknown as { user: Account | null }).user });
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: error.message, cause: (error.cause as Error | undefined)?.message });
  });
  const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });

  beforeEach(() => {
    users.failWith = undefined;
  });

  it('sets req.user to the logged-in user', async () => {
    const response = await request(app).get('/').set('Authorization', `Bearer ${token}`).expect(200);
    expect(response.body.user).to.deep.equal({ email: 'john@example.com', name: 'John' });
  });

  it('sets req.user to null without a login and never rejects the request', async () => {
    await request(app).get('/').expect(200, { user: null });
    await request(app).get('/').set('Authorization', 'Bearer garbage').expect(200, { user: null });
    const ghost = manager.createAccessToken({ data: { sub: 'ghost@example.com' } });
    await request(app).get('/').set('Authorization', `Bearer ${ghost}`).expect(200, { user: null });
  });

  it('passes a loader exception to next(err) as a UserLoaderError, with the original as its cause', async () => {
    users.failWith = new Error('database down');
    await request(app)
      .get('/')
      .set('Authorization', `Bearer ${token}`)
      .expect(500, { error: 'The user could not be loaded', cause: 'database down' });
  });
});
