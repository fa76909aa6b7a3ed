import { DURATION_HINT, durationSeconds } from '../shared/duration';
import { LoginConfigurationError } from '../shared/errors';
import { isScopeToken, type TokenPayload } from '../token/claims';

/**
 * What a route asks of how and when the user logged in (RFC 9470): a login no older than
 * `maxAge` seconds (the token's `auth_time`), made one of the `acr` ways.
 */
export interface StepUp {
  /** Seconds since the login (`auth_time`) beyond which the route refuses it. */
  maxAge?: number;
  /** The `acr` values the route accepts, any one of them. */
  acr?: readonly string[];
}

/** Checks the `maxAge` and `acr` of `@LoggedIn()`/`requireLogin()`: a wrong one throws instead of guarding less. */
export function checkStepUp(maxAge: unknown, acr: unknown, caller: string): StepUp {
  const stepUp: StepUp = {};
  if (maxAge !== undefined) {
    const seconds = durationSeconds(maxAge);
    if (seconds === undefined) throw new TypeError(`${caller}: \`maxAge\` is ${DURATION_HINT}.`);
    stepUp.maxAge = seconds;
  }
  if (acr !== undefined) {
    if (!Array.isArray(acr) || acr.length === 0 || !acr.every(isScopeToken)) {
      throw new TypeError(
        `${caller}: \`acr\` is a non-empty array of the acr values the route accepts (words without spaces or ` +
          "quotes), e.g. ['mfa'].",
      );
    }
    stepUp.acr = [...new Set(acr)];
  }
  return stepUp;
}

/**
 * Two requirements of one route (a class's and a method's) added up: the shorter `maxAge`,
 * and only the `acr` values both accept. Marks accepting no value in common are a mistake.
 */
export function combineStepUp(a: StepUp, b: StepUp): StepUp {
  const maxAge = a.maxAge === undefined ? b.maxAge : Math.min(a.maxAge, b.maxAge ?? a.maxAge);
  const acr = a.acr === undefined ? b.acr : b.acr === undefined ? a.acr : a.acr.filter((v) => b.acr?.includes(v));
  if (acr?.length === 0) {
    throw new LoginConfigurationError(
      `@LoggedIn({ acr }) on a class and on its method accept no value in common ` +
        `(${JSON.stringify(a.acr)} and ${JSON.stringify(b.acr)}): no login could pass; list the values both accept.`,
    );
  }
  return { ...(maxAge === undefined ? {} : { maxAge }), ...(acr === undefined ? {} : { acr }) };
}

/**
 * True when the login of `payload` falls short of `stepUp` at `now` (seconds): older than
 * `maxAge` (or without an `auth_time`, or one in the future), or not made one of the `acr` ways.
 */
export function needsStepUp(payload: TokenPayload, stepUp: StepUp, now: number, leeway: number): boolean {
  const { maxAge, acr } = stepUp;
  if (acr !== undefined && (payload.acr === undefined || !acr.includes(payload.acr))) return true;
  if (maxAge === undefined) return false;
  const at = payload.auth_time;
  return at === undefined || now - at > maxAge + leeway || at > now + leeway;
}
