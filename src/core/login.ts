import { type FailureReason, rejected } from '../shared/checked';
import type { TokenPayload } from '../token/claims';

/** A verified, unrevoked token and its user, or why there is none. Loader exceptions and store outages reject instead. */
export type Login<TUser> =
  | { ok: true; user: TUser; payload: TokenPayload; revocationId: string }
  | ({ ok: false; user?: undefined } & FailureReason);

/** The outcome of a request without a token, shared: it allocates nothing. */
export const MISSING = Object.freeze(rejected('token_missing'));

/** The login of a token whose user the loader returned (or did not find). */
export function loginOf<TUser>(user: TUser | null | undefined, payload: TokenPayload, id: string): Login<TUser> {
  return user === undefined || user === null
    ? rejected('user_not_found')
    : { ok: true, user, payload, revocationId: id };
}
