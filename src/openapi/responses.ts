import type { RouteRequirement } from '../core/requirements';
import type { DpopSetup } from '../dpop/options';
import { bearerChallenge } from '../shared/errors';
import { challengeExamples, challengeIntro, nonceHeader, unauthorizedChallenge } from './dpop';
import type { Operation } from './operations';

/** What the responses of a protected operation depend on besides its requirement. */
export interface ResponseContext {
  /** A cookie login's write must send the CSRF header (403 otherwise). */
  csrf: boolean;
  /** The manager's DPoP, when on: its challenges and `DPoP-Nonce`. */
  dpop: DpopSetup | undefined;
}

const wwwAuthenticate = (description: string) => ({
  'WWW-Authenticate': { description, schema: { type: 'string' } },
});

/** 401 where a login is required; 403 where scopes are, or a cookie login must send the CSRF header. */
export function addResponses(operation: Operation, requirement: RouteRequirement, context: ResponseContext): void {
  if (!requirement.loginRequired) return; // an optional login never fails the request
  operation.responses ??= {};
  const { responses } = operation;
  const { csrf, dpop } = context;
  const token = requirement.refresh ? 'refresh token' : 'token';
  const fresh = requirement.fresh ? ', or one not from a password login made just now' : '';
  const proof = dpop ? ', or sent as DPoP without a valid `DPoP` proof' : '';
  const stepUp = stepUpChallenge(requirement);
  responses['401'] ??= {
    description: `Not logged in: no ${token}, or one that is invalid, expired or revoked${proof}${fresh}${stepUpReason(requirement)}.`,
    headers: {
      ...wwwAuthenticate(stepUp ? `The RFC 6750 challenge, e.g. \`${stepUp}\`.` : unauthorizedChallenge(dpop)),
      ...nonceHeader(dpop),
    },
  };
  const { scopes } = requirement;
  if (scopes.length === 0 && !csrf) return;
  const reasons = [
    ...(scopes.length ? [`the token lacks a required scope (${scopes.join(', ')})`] : []),
    ...(csrf ? ['a cookie login sent no valid `X-CSRF-Token` header'] : []),
  ];
  const challenges = challengeExamples('insufficient_scope', dpop, scopes);
  responses['403'] ??= {
    description: `Forbidden: ${reasons.join(', or ')}.`,
    ...(scopes.length ? { headers: wwwAuthenticate(`${challengeIntro(dpop)}, e.g. ${challenges}.`) } : {}),
  };
}

/** Why a login falls short of a step-up route (RFC 9470), for the 401's description. */
function stepUpReason({ maxAge, acr }: RouteRequirement): string {
  const reasons = [
    ...(maxAge === undefined ? [] : [`older than ${maxAge} seconds`]),
    ...(acr === undefined ? [] : [`not made one of these ways (acr): ${acr.join(', ')}`]),
  ];
  return reasons.length ? `, or a login ${reasons.join(', or ')} (log in again)` : '';
}

/** The RFC 9470 challenge a step-up route answers with, or `undefined` for a route without one. */
function stepUpChallenge({ maxAge, acr }: RouteRequirement): string | undefined {
  if (maxAge === undefined && acr === undefined) return undefined;
  return bearerChallenge({ error: 'insufficient_user_authentication', acrValues: acr, maxAge });
}
