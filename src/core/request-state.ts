import type { IncomingMessage } from 'node:http';
import type { TokenType } from '../token/claims';

/**
 * What the core remembers of one request, in one record: which manager's checker guards its
 * route (and with which token type), and that manager's logins. One record, in one `WeakMap`
 * keyed by Node's request (the same object under express, Koa and plain Node), forgotten with
 * the request. Not a property on the request: measured end to end over HTTP, adding a
 * symbol-keyed property to express's request objects cost about 10 µs per request (it
 * reshapes an object with many properties), a `WeakMap` entry a fraction of that.
 */
export interface RequestState {
  /** The manager whose authorization checker ran for this request's route (an `Authenticator`). */
  guard: object | undefined;
  /** The token type that route takes. */
  guardType: TokenType;
  /** The manager whose logins `access` and `refresh` are (usually the guard). */
  owner: object | undefined;
  /** The login from an access token, worked out once (a value or a promise). */
  access: unknown;
  /** The login from a refresh token, worked out once. */
  refresh: unknown;
}

const states = new WeakMap<IncomingMessage, RequestState>();

/** The request's record, made on first use. */
export function stateOf(request: IncomingMessage): RequestState {
  let state = states.get(request);
  if (state === undefined) {
    state = { guard: undefined, guardType: 'access', owner: undefined, access: undefined, refresh: undefined };
    states.set(request, state);
  }
  return state;
}

/** The request's record if anything made one. */
export const knownState = (request: IncomingMessage): RequestState | undefined => states.get(request);

/** Where a manager remembers a request's logins, by token type. */
export type LoginSlots = Pick<RequestState, 'access' | 'refresh'>;

/** Slots of requests whose record another manager owns. */
const others = new WeakMap<IncomingMessage, Map<object, LoginSlots>>();

/**
 * Where `owner` (an `Authenticator`) remembers the request's logins: the record's own slots,
 * or, when another manager already owns them (two apps' managers on one request: rare), a pair of its own.
 */
export function loginSlots(request: IncomingMessage, owner: object): LoginSlots {
  const state = stateOf(request);
  state.owner ??= owner;
  if (state.owner === owner) return state;
  let slots = others.get(request)?.get(owner);
  if (!slots) {
    slots = { access: undefined, refresh: undefined };
    others.set(request, (others.get(request) ?? new Map()).set(owner, slots));
  }
  return slots;
}
