import { type FailureReason, rejected } from '../shared/checked';
import type { TokenPayload } from '../token/claims';

/** A verified, unrevoked token and its user, or why there is none. Loader exceptions and store outages reject instead. */
export type Login<TUser> =
  | { ok: true; user: TUser; payload: TokenPayload; revocationId: string }
  | ({ ok: false; user?: undefined } & FailureReason);

/** The outcomes that carry nothing of the request, shared: the common refusals allocate nothing. */
export const MISSING = Object.freeze(rejected('token_missing'));
export const REVOKED = Object.freeze(rejected('token_revoked'));

export function loginOf<TUser>(user: TUser | null | undefined, payload: TokenPayload, id: string): Login<TUser> {
  return user === undefined || user === null
    ? rejected('user_not_found')
    : { ok: true, user, payload, revocationId: id };
}
