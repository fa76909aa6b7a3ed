import type { TokenPair } from '../revocation/rotation';
import { pairClaims, type TokenPairRequest } from '../token/family';
import { type AccessTokenRequest, newClaims, type RefreshTokenRequest } from '../token/issue';
import type { Authenticator } from './authenticator';

/** `manager.createAccessToken(...)`: a signed access token, `defaultExpiry` unless `expiresIn` says otherwise. */
export function createAccessToken(auth: Authenticator<unknown>, request: AccessTokenRequest): string {
  const { minter, options } = auth;
  const claims = newClaims('createAccessToken', request, 'access', minter.issuePolicy(options.defaultExpiry));
  return minter.sign(claims, 'createAccessToken');
}

/** `manager.createRefreshToken(...)`: a refresh token that starts a family of its own. */
export function createRefreshToken(auth: Authenticator<unknown>, request: RefreshTokenRequest): string {
  const { minter, options } = auth;
  const claims = newClaims('createRefreshToken', request, 'refresh', minter.issuePolicy(options.refreshExpiry));
  return minter.sign(claims, 'createRefreshToken');
}

/** `manager.createTokens(...)`: a login's access and refresh tokens, in one new family. */
export function createTokens(auth: Authenticator<unknown>, request: TokenPairRequest): TokenPair {
  const { minter, options } = auth;
  const access = minter.issuePolicy(options.defaultExpiry);
  const claims = pairClaims(request, access, minter.issuePolicy(options.refreshExpiry));
  return {
    accessToken: minter.sign(claims.access, 'createTokens'),
    refreshToken: minter.sign(claims.refresh, 'createTokens'),
  };
}
