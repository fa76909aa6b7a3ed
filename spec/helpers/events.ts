import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { expect } from 'chai';
import { LOGIN_EVENTS, type LoginEventMessages, type LoginEventName } from 'routing-controllers-login';
import type { Response } from 'supertest';

/** One message as a subscriber saw it. */
export interface Heard {
  name: LoginEventName;
  message: unknown;
}

/**
 * Subscribes to every channel of `LOGIN_EVENTS` until `stop()`, keeping each message, and
 * the secrets a test saw (tokens, their signatures, passwords, cookie values) to look for in them.
 */
export function listen() {
  const heard: Heard[] = [];
  const secrets = new Set<string>();
  const handlers = Object.values(LOGIN_EVENTS).map((name) => {
    const handler = (message: unknown) => void heard.push({ name, message });
    subscribe(name, handler);
    return [name, handler] as const;
  });
  const log = {
    heard,
    /** The messages of one channel, typed. */
    of<N extends LoginEventName>(name: N): LoginEventMessages[N][] {
      return heard.filter((entry) => entry.name === name).map((entry) => entry.message as LoginEventMessages[N]);
    },
    /** Remembers a token (and its signature), a password or a cookie value as a secret. */
    secret(...values: (string | undefined)[]) {
      for (const value of values) {
        if (value === undefined || value === '') continue;
        secrets.add(value);
        const signature = /^[\w-]+\.[\w-]+\.([\w-]+)$/.exec(value)?.[1];
        if (signature) secrets.add(signature);
      }
    },
    /** Every token in a response's body and headers, and the value of every cookie it sets, as secrets. */
    secretsOf(response: Response) {
      const text = `${response.text ?? ''} ${JSON.stringify(response.headers)}`;
      log.secret(...(text.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? []));
      const cookies = (response.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
      log.secret(...cookies.map((line) => /^[^=]+=([^;]*)/.exec(line)?.[1]));
      return response;
    },
    /** No message holds any secret seen, whole or as a signature; at least one message was heard. */
    expectNoSecret() {
      expect(heard, 'messages heard').not.to.be.empty;
      expect(secrets.size, 'secrets to look for').to.be.greaterThan(0);
      for (const { name, message } of heard) {
        const text = JSON.stringify(message);
        for (const secret of secrets) expect(text, `${name} carries a secret`).not.to.include(secret);
      }
    },
    stop() {
      for (const [name, handler] of handlers) unsubscribe(name, handler);
    },
  };
  return log;
}
