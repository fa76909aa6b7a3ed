import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express from 'express';
import Koa from 'koa';
import { type RoutingControllersOptions, useExpressServer } from 'routing-controllers';
import { type LoginManager, type LoginMiddleware, loginConfig } from 'routing-controllers-login';
import { stopWhenAnswered } from './app';
import { koaAppWith } from './koa';

/** How to stand up a real routing-controllers app on one server framework. */
interface Driver {
  readonly name: string;
  /** The app for `manager` and `options`, with `use` mounted first, as a Node request listener. */
  listener(manager: LoginManager<unknown>, options: RoutingControllersOptions, use: LoginMiddleware[]): RequestListener;
}

const expressDriver: Driver = {
  name: 'express',
  listener(manager, options, use) {
    const app = express();
    for (const middleware of use) app.use(middleware);
    useExpressServer(app, loginConfig(options, manager));
    app.use(stopWhenAnswered);
    return app;
  },
};

const koaDriver = (name: string, KoaClass: typeof Koa): Driver => ({
  name,
  listener: (manager, options, use) =>
    koaAppWith(
      manager,
      options,
      (app) => {
        for (const middleware of use) app.use(middleware);
      },
      KoaClass,
    ).callback(),
});

/** koa 2, installed as the `koa2` alias next to koa 3: run when present. */
function koa2(): typeof Koa | undefined {
  try {
    return require('koa2') as typeof Koa;
  } catch {
    return undefined;
  }
}

/**
 * One server of the shared table: builds apps, and records every status they answer so
 * a test that provokes an unexpected 5xx fails (on Koa a bad token used to be a 500).
 */
export class Server {
  private answered: number[] = [];
  private serverErrorsExpected = false;

  constructor(private readonly driver: Driver) {}

  get name(): string {
    return this.driver.name;
  }

  /** A real routing-controllers app on this server: a listener for supertest. */
  app(
    manager: LoginManager<unknown>,
    options: RoutingControllersOptions,
    use: LoginMiddleware[] = [],
  ): RequestListener {
    const listener = this.driver.listener(manager, options, use);
    return (request: IncomingMessage, response: ServerResponse) => {
      response.on('finish', () => this.answered.push(response.statusCode));
      listener(request, response);
    };
  }

  /** The current test provokes a 5xx on purpose (a failing loader, a store outage). */
  expectServerErrors(): void {
    this.serverErrorsExpected = true;
  }

  /** Throws when an app answered a 5xx the test did not expect; resets for the next test. */
  settle(): void {
    const errors = this.answered.filter((status) => status >= 500);
    const expected = this.serverErrorsExpected;
    this.answered = [];
    this.serverErrorsExpected = false;
    if (errors.length > 0 && !expected) {
      throw new Error(`${this.name} answered ${errors.join(', ')}: a server error no test case expects`);
    }
  }
}

const KOA_2 = koa2();
const DRIVERS: Driver[] = [expressDriver, koaDriver('koa 3', Koa)];
if (KOA_2) DRIVERS.push(koaDriver('koa 2', KOA_2));

/**
 * Runs one table of cases against every server: express, koa 3, and koa 2 when the `koa2`
 * alias is installed. `cases` gets the server to build its apps with.
 */
export function onEveryServer(title: string, cases: (server: Server) => void): void {
  for (const driver of DRIVERS) {
    describe(`${title} [${driver.name}]`, () => {
      const server = new Server(driver);
      afterEach(() => server.settle());
      cases(server);
    });
  }
  if (!KOA_2) describe(`${title} [koa 2]`, () => it('runs when the koa2 alias (npm:koa@^2) is installed'));
}
