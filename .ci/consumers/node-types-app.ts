// A consumer's file that imports only the library and node:fs: nothing of it pulls in Node's types the way
// express's do, so it compiles only when the tsconfig names them, as TypeScript 7 includes no `@types`
// package by itself. Compiled with the README's tsconfig under TypeScript 7 and 5.9 (.ci/consumers/run.mjs,
// spec/readme-tsconfig.spec.ts); run, it prints the user of a token it made and verified.
import { readFileSync } from 'node:fs';
import { LoginManager } from 'routing-controllers-login';

const manager = new LoginManager<{ sub: string }>({
  secret: readFileSync('secret.txt'),
  tokenUrl: '/auth/token',
  userLoader: (sub) => ({ sub }),
});

const token = manager.createAccessToken({ data: { sub: 'ada' } });
manager.getCurrentUser(token).then((user) => console.log(JSON.stringify(user)));
