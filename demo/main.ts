import type { AddressInfo } from 'node:net';
import { createDemoApp } from './app';

const server = createDemoApp().listen(Number(process.env.PORT ?? 8000), () => {
  const { port } = server.address() as AddressInfo;
  console.log(
    `Demo listening on http://localhost:${port}: open /login, or POST /auth/token with username=johndoe@e.mail&password=hunter2`,
  );
});
