import { exchangeOf, type HttpExchange } from '../frameworks';
import { endedUntil } from '../revocation/rotation';
import { type LoginSession, loginSessions } from '../sessions/list';
import { EVENTS, type SessionEndedEvent } from '../shared/events';
import type { Authenticator } from './authenticator';

function checkSub(caller: string, sub: unknown): void {
  if (typeof sub !== 'string' || sub === '')
    throw new TypeError(`${caller}: \`sub\` (the user's id) is a non-empty string.`);
}

/**
 * `manager.sessions(sub, request?)`: the user's live logins, newest first. With a request, the
 * login it is authenticated with (worked out once per request, as the decorators do) is `current`.
 */
export async function sessionsOf(
  auth: Authenticator<unknown>,
  sub: string,
  request?: HttpExchange,
): Promise<LoginSession[]> {
  checkSub('sessions()', sub);
  const current = request === undefined ? undefined : await currentLogin(auth, sub, request);
  return loginSessions(await auth.store.sessions(sub), current);
}

/** The family of the request's login, when it is one of `sub`'s. */
async function currentLogin(auth: Authenticator<unknown>, sub: string, request: HttpExchange) {
  const login = await auth.loginFor(exchangeOf(request, undefined, 'sessions()'), 'access');
  return login.ok && login.payload.sub === sub ? login.payload.fam : undefined;
}

/**
 * `manager.endSession(sub, id)`: ends one login of `sub`, so that every token of it (its access
 * tokens too: they carry its `fam`) is refused on every instance until the last could have expired
 * (`endedUntil`: the longest lifetime plus `clockTolerance`). Only an id `sessions(sub)` lists is
 * ended, so an id taken from a form can end nobody else's login: `false` for any other.
 */
export async function endSession(auth: Authenticator<unknown>, sub: string, id: string): Promise<boolean> {
  checkSub('endSession()', sub);
  if (typeof id !== 'string' || id === '') throw new TypeError('endSession(): `id` is the id of one of sessions(sub).');
  const listed = (await auth.store.sessions(sub)).some((session) => session.id === id);
  if (!listed) return false;
  await auth.store.endSession(sub, id, endedUntil(auth.rotation));
  sessionEnded(sub, id, 'ended');
  return true;
}

/** `:session-ended`, when someone listens. */
export function sessionEnded(sub: string, family: string, reason: SessionEndedEvent['reason']): void {
  if (EVENTS.sessionEnded.hasSubscribers) EVENTS.sessionEnded.publish({ sub, family, reason });
}
