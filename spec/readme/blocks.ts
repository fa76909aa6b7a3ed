import { block, compile } from './source';

/**
 * How each TypeScript block of README.md is compiled. Every ```ts block sits between
 * `<!-- name:start -->` and `<!-- name:end -->` markers and has an entry here, or
 * spec/readme/examples.spec.ts fails: a new example is compiled from the day it is written.
 *
 * - `program`: a complete file, compiled as it is (and run by a spec).
 * - `patch`: lines the README tells the reader to add to the quickstart; `replaceFrom` cuts
 *   the quickstart at that line first, `remove` deletes a line it says to. A `const manager = new LoginManager` statement
 *   replaces the quickstart's; its other lines go before `const server = app.listen(`.
 * - `fragment`: code that refers to things the README's text introduces; compiled after a
 *   prelude that declares them (and before its `tail`, for code that must sit in a function).
 */
export type Example =
  | { kind: 'program' }
  | { kind: 'patch'; replaceFrom?: string; remove?: string; imports?: string[] }
  | { kind: 'fragment'; prelude: Prelude };

export interface Prelude {
  head: string;
  tail?: string;
}

/** What the guides' fragments refer to: the quickstart's names and a few the text describes. */
const BASE = `import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { IsIn, IsOptional } from 'class-validator';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import {
  Body,
  ContentType,
  Controller,
  Get,
  HttpError,
  JsonController,
  OnUndefined,
  Post,
  Req,
  Res,
  useExpressServer,
} from 'routing-controllers';
import {
  InvalidCredentialsError,
  LoggedIn,
  LoginError,
  LoginManager,
  LoginThrottle,
  loginConfig,
  PasswordForm,
  RedisRevocationStore,
  RequireCsrf,
  User,
} from 'routing-controllers-login';

interface Account {
  email: string;
  name: string;
}
declare const app: express.Express;
declare const secret: string;
declare const users: { authenticate(email: string, password: string): Promise<Account | undefined> };
declare function loginPage(csrf: string): string;
`;

/** The quickstart's manager, as most guides use it. */
const APP: Prelude = { head: `${BASE}declare const manager: LoginManager<Account>;\n` };

/** The error handler's block makes its own manager, for the controller of the cookie block. */
const PAGES: Prelude = { head: `${BASE}declare class PagesController {}\n` };

/** A page's script: no DOM library here, so the one thing it reads is declared. */
const BROWSER: Prelude = {
  head: `export {};
declare const document: { cookie: string };
declare const body: string;
async function inThePage() {
`,
  tail: `}
void inThePage;
`,
};

export const EXAMPLES: Record<string, Example> = {
  quickstart: { kind: 'program' },
  openapi: {
    kind: 'patch',
    imports: [
      "import { getMetadataArgsStorage } from 'routing-controllers';",
      "import { withLoginSecurity } from 'routing-controllers-login';",
    ],
  },
  koa: { kind: 'patch', replaceFrom: 'const app = express();', remove: "import express from 'express';" },
  'plain-express': { kind: 'program' },
  'auth-service': { kind: 'patch' },
  'resource-service': { kind: 'program' },
  routes: { kind: 'fragment', prelude: APP },
  cookies: { kind: 'fragment', prelude: APP },
  'csrf-fetch': { kind: 'fragment', prelude: BROWSER },
  redirect: { kind: 'fragment', prelude: PAGES },
  sessions: { kind: 'fragment', prelude: APP },
  redis: { kind: 'fragment', prelude: APP },
  throttle: { kind: 'fragment', prelude: APP },
  keys: { kind: 'fragment', prelude: APP },
  issuers: { kind: 'fragment', prelude: APP },
};

const LISTEN = 'const server = app.listen(';

/** The quickstart with a patch block applied as the README says. */
function patched(name: string, example: Extract<Example, { kind: 'patch' }>): string {
  const lines = block(name).split('\n');
  const imports = [...(example.imports ?? []), ...lines.filter((line) => line.startsWith('import '))];
  let code = lines.filter((line) => !line.startsWith('import '));
  let quickstart = block('quickstart');
  if (example.remove !== undefined) {
    const line = `${example.remove}\n`;
    if (!quickstart.includes(line)) throw new Error(`the quickstart has no \`${example.remove}\` line`);
    quickstart = quickstart.replace(line, '');
  }

  const managerAt = code.findIndex((line) => line.startsWith('const manager = new LoginManager'));
  if (managerAt >= 0) {
    const end = code.findIndex((line, i) => i >= managerAt && line.endsWith('});'));
    const replacement = code.slice(managerAt, end + 1).join('\n');
    code = [...code.slice(0, managerAt), ...code.slice(end + 1)];
    const old = /^const manager = new LoginManager[^\n]*\}\);$/m;
    if (!old.test(quickstart))
      throw new Error('the quickstart has no one-line `const manager = new LoginManager(...)`');
    quickstart = quickstart.replace(old, replacement);
  }
  const body = code.join('\n').trim();
  if (example.replaceFrom) {
    const at = quickstart.indexOf(example.replaceFrom);
    if (at < 0) throw new Error(`the quickstart has no \`${example.replaceFrom}\` line`);
    return `${imports.join('\n')}\n${quickstart.slice(0, at)}${body}\n`;
  }
  const at = quickstart.indexOf(LISTEN);
  if (at < 0) throw new Error(`the quickstart starts its server with \`${LISTEN}\``);
  return `${imports.join('\n')}\n${quickstart.slice(0, at)}${body}\n\n${quickstart.slice(at)}`;
}

/** The source file that stands for README block `name`, as the registry says to build it. */
export function exampleSource(name: string): string {
  const example = EXAMPLES[name];
  if (!example) throw new Error(`README block ${name} is not in spec/readme/blocks.ts`);
  if (example.kind === 'program') return block(name);
  if (example.kind === 'patch') return patched(name, example);
  return `${example.prelude.head}\n${block(name)}\n${example.prelude.tail ?? ''}`;
}

let compiled: { workdir: string; diagnostics: string } | undefined;

/**
 * Every example compiled once per test run, each to `build/readme-examples/out/<name>.js`.
 * Fragments may leave names unused (a prelude declares more than one block needs).
 */
export function compileExamples(): { workdir: string; diagnostics: string } {
  compiled ??= compile(
    'readme-examples',
    Object.fromEntries(Object.keys(EXAMPLES).map((name) => [`${name}.ts`, exampleSource(name)])),
    { noUnusedLocals: false, noUnusedParameters: false },
  );
  return compiled;
}
