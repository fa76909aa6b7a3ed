import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { isIP } from 'node:net';

/**
 * Who is logging in, as `attempt` takes it: the framework's request (express `req`, a Koa
 * `ctx`: both have `ip`, which honours the app's proxy setting, and `res`), or the client
 * address as a string.
 */
export type ThrottleClient =
  | string
  | {
      /** The client address as the framework sees it (express `req.ip`, Koa `ctx.ip`). */
      ip?: string | undefined;
      /** The connection, whose address counts when there is no `ip`. */
      socket?: {
        /** The peer's address. */
        remoteAddress?: string | undefined;
      } | null;
      /** Where `Retry-After` is set when the attempt is refused. */
      res?: ServerResponse;
    };

/** The address to count against, or `undefined` when none is known (then only the account counts). */
export function addressOf(client: ThrottleClient): string | undefined {
  const raw = typeof client === 'string' ? client : (client.ip ?? client.socket?.remoteAddress);
  return raw ? addressKey(raw) : undefined;
}

/** Where to put `Retry-After` directly (routing-controllers' error handler does not copy `error.headers`). */
export function responseOf(client: ThrottleClient): ServerResponse | undefined {
  return typeof client === 'string' ? undefined : client.res;
}

/**
 * IPv4 as it is (also when IPv4-mapped); IPv6 by its /64, which one subscriber usually
 * holds whole, so hopping between its addresses does not reset the count.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/** A store key that keeps emails and addresses out of the store, and its keys short. */
export function storeKey(kind: 'account' | 'address', value: string): string {
  return `${kind}:${createHash('sha256').update(value).digest('base64url').slice(0, 32)}`;
}

/** Accounts compare case-insensitively, so `John@x` and `john@x` share one count. */
export const accountKey = (username: string): string => username.normalize('NFKC').trim().toLowerCase();
