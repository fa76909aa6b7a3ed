import type { SessionRecord } from '../revocation/store';

/** One of a user's logins, as `manager.sessions(sub)` lists it ("your devices"). */
export interface LoginSession {
  /** The login's id (the `fam` claim of its tokens): what `endSession(sub, id)` takes. Not a secret, not a token. */
  id: string;
  /** When the user logged in (`createTokens`). */
  startedAt: Date;
  /** When its refresh token was last rotated (`refreshTokens`, a remember-me renewal); `startedAt` until then. */
  lastRefreshedAt: Date;
  /** What the app called it at login (`createTokens({ ..., label })`), if anything. */
  label?: string;
  /** Whether it is the login of the request passed to `sessions(sub, request)`. */
  current: boolean;
}

/**
 * The store's records as the public list: newest login first (by `startedAt`, then `lastRefreshedAt`; a store lists
 * the least recently refreshed first, so reversed first, ties keep the more recent first).
 */
export function loginSessions(records: readonly SessionRecord[], current: string | undefined): LoginSession[] {
  const newestFirst = [...records].reverse().sort((a, b) => b.started - a.started || b.refreshed - a.refreshed);
  return newestFirst.map(({ id, started, refreshed, label }) => {
    const session: LoginSession = {
      id,
      startedAt: new Date(started),
      lastRefreshedAt: new Date(refreshed),
      current: id === current,
    };
    if (label !== undefined) session.label = label;
    return session;
  });
}
