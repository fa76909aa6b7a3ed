import { exchangeOf } from '../frameworks';
import { dpopProofHeader } from '../http/extraction';
import { LoginConfigurationError } from '../shared/errors';
import { isPlainObject } from '../shared/json';
import type { TokenPairRequest } from '../token/family';
import type { Authenticator } from './authenticator';
import { checkProof, proofRefusal } from './dpop';

const REQUIRED =
  "createTokens(): with dpop 'required' this manager takes DPoP-bound tokens only: pass the token request " +
  'as `dpop` (createTokens({ data, dpop: req })), so the tokens are bound to the key of its proof.';
const OFF =
  'createTokens(): `dpop` binds tokens to the key of a DPoP proof, but DPoP is off for this manager: ' +
  "set `dpop: 'allowed'` (or 'required'), so that its routes take the tokens it binds.";

/**
 * The key `createTokens({ ..., dpop: req })` binds a login's tokens to (RFC 9449 §5, §6): the
 * thumbprint of the key that signed the token request's `DPoP` proof, checked as on every route
 * (method, URL, age, replay, nonce; no `ath`, as there is no token yet). The proof is checked here,
 * from the request, never taken from the app as a value: a thumbprint an app could pass would bind
 * tokens to a key nobody proved to hold. `undefined` (bearer tokens) without `dpop`, or without a
 * `DPoP` header when DPoP is allowed; a bad or missing proof rejects with the 401 and its challenge.
 */
export async function boundKey(auth: Authenticator<unknown>, request: TokenPairRequest): Promise<string | undefined> {
  const given = isPlainObject(request) ? request.dpop : undefined;
  const { dpop } = auth;
  if (given === undefined) {
    if (dpop?.required) throw new TypeError(REQUIRED);
    return undefined;
  }
  if (!dpop) throw new LoginConfigurationError(OFF);
  const exchange = exchangeOf(given, undefined, 'createTokens({ dpop })');
  if (!dpop.required && dpopProofHeader(exchange.req) === undefined) return undefined;
  const result = await checkProof(dpop, exchange, auth.options.clock());
  if (!result.ok) throw auth.failures.login(proofRefusal(result) ?? { code: 'dpop_proof_invalid' }, exchange);
  return result.jkt;
}
