import { bindingOf } from '../dpop/binding';
import { type HttpExchange, respondingExchangeOf } from '../frameworks';
import { forbidStoring } from '../http/cache-control';
import type { TokenPair } from '../revocation/rotation';
import { andThen, type MaybePromise } from '../shared/maybe-promise';
import type { TokenPayload, TokenType } from '../token/claims';
import type { Authenticator } from './authenticator';

/** A token endpoint's JSON body (RFC 6749 §5.1), as `tokenResponse` makes it. */
export interface TokenResponse {
  /** The access token. */
  access_token: string;
  /** `'Bearer'` (RFC 6750), or `'DPoP'` for an access token bound to a key (RFC 9449 §5, its `cnf.jkt`). */
  token_type: 'Bearer' | 'DPoP';
  /** Seconds until the access token expires. */
  expires_in: number;
  /** The refresh token, when the tokens have one. */
  refresh_token?: string;
  /** The access token's scopes, space-separated, when it has any. */
  scope?: string;
}

/** What `tokenResponse` takes: `createTokens`' result (also a promise of it), or an access token alone. */
export type IssuedTokens = TokenPair | string;

const SHAPE = 'takes what createTokens returns ({ accessToken, refreshToken }), or an access token';

/**
 * `manager.tokenResponse(tokens, res)`: the body of a successful token request, with the headers
 * RFC 6749 §5.1 requires on `res`. The tokens are this manager's own (checked, so swapped or foreign
 * ones are a TypeError, not a response); `expires_in`, `scope` and `token_type` are read from the access
 * token, so they say what it is: a key-bound (DPoP) token says `DPoP`.
 */
export function tokenResponse(
  auth: Authenticator<unknown>,
  tokens: MaybePromise<IssuedTokens>,
  response: HttpExchange,
): MaybePromise<TokenResponse> {
  const exchange = respondingExchangeOf(response, undefined, 'tokenResponse()');
  return andThen(tokens, (issued) => {
    const { accessToken, refreshToken } = typeof issued === 'string' ? { accessToken: issued } : (issued ?? {});
    if (typeof accessToken !== 'string' || (refreshToken !== undefined && typeof refreshToken !== 'string')) {
      throw new TypeError(`tokenResponse(tokens, res) ${SHAPE}.`);
    }
    const access = verified(auth, accessToken, 'access');
    if (refreshToken !== undefined) verified(auth, refreshToken, 'refresh');
    const binding = bindingOf(access);
    if (binding.kind === 'invalid') throw new TypeError('tokenResponse(): the access token has an unreadable `cnf`.');
    const body: TokenResponse = {
      access_token: accessToken,
      token_type: binding.kind === 'dpop' ? 'DPoP' : 'Bearer',
      expires_in: Math.max(0, access.exp - auth.minter.now()),
    };
    if (refreshToken !== undefined) body.refresh_token = refreshToken;
    if (access.scopes?.length) body.scope = access.scopes.join(' ');
    forbidStoring(exchange.res);
    return body;
  });
}

function verified(auth: Authenticator<unknown>, token: string, type: TokenType): TokenPayload {
  const checked = auth.verifier.verify(token, type);
  if (!checked.ok) {
    throw new TypeError(`tokenResponse(): not a valid ${type} token of this manager (${checked.code}); it ${SHAPE}.`);
  }
  return checked.value;
}
