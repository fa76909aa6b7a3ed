import type { TokenType } from './claims';

/** The keys each request takes; anything else is a mistake that would otherwise be ignored. */
const REQUEST_KEYS: Record<TokenType | 'pair', readonly string[]> = {
  access: ['data', 'expiresIn', 'scopes', 'fresh', 'acr'],
  refresh: ['data', 'expiresIn', 'scopes', 'acr'],
  // createTokens: each token gets its own default lifetime.
  pair: ['data', 'scopes', 'fresh', 'acr', 'label', 'dpop'],
};

/** Names other libraries (fastapi-login, jsonwebtoken) use, and what they are called here. */
const RENAMED: Record<string, string> = {
  expires: 'expiresIn',
  expires_delta: 'expiresIn',
  expires_in: 'expiresIn',
  exp: 'expiresIn',
  scope: 'scopes',
  claims: 'data',
  payload: 'data',
  sub: 'data.sub',
};

/** Throws a TypeError for the first key the request does not take, naming the right one if known. */
export function refuseUnknownKeys(caller: string, request: Record<string, unknown>, type: TokenType | 'pair'): void {
  const known = REQUEST_KEYS[type];
  const unknown = Object.keys(request).find((key) => !known.includes(key));
  if (unknown === undefined) return;
  const takes = `${caller} takes { ${known.map((key) => (key === 'data' ? key : `${key}?`)).join(', ')} }`;
  if (unknown === 'fresh') {
    throw new TypeError(
      `${caller}: \`fresh\` is for access tokens (a refresh token never counts as a fresh login); ${takes}.`,
    );
  }
  if (unknown === 'dpop') {
    throw new TypeError(
      `${caller}: \`dpop\` binds a login's tokens to the key of the token request's proof: createTokens({ data, dpop: req }); ${takes}.`,
    );
  }
  const hint = RENAMED[unknown] ? `; did you mean \`${RENAMED[unknown]}\`?` : '';
  throw new TypeError(`${caller}: unknown key \`${unknown}\`${hint} ${takes}.`);
}
