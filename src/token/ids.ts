import { randomBytes } from 'node:crypto';
import type { TokenPayload } from './claims';

/**
 * A new token id: a UUID version 7 (RFC 9562 §5.7), whose first 48 bits are the time in
 * milliseconds and the rest random. `iat` is whole seconds (what every JWT library expects);
 * the id keeps the millisecond, so a `revokeAllFor` cut-off still tells apart the tokens
 * issued just before it from those issued just after, in the same second.
 */
export function timeOrderedId(nowMs: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Math.max(0, Math.floor(nowMs)) % 2 ** 48, 0, 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * When the token was issued, in milliseconds: the time in its UUIDv7 `jti` when that falls in
 * the second its `iat` names (the tokens this library issues), else `iat` itself (a fractional
 * `iat` of an older token keeps its precision). `undefined` without `iat`.
 */
export function issuedAtMs(payload: TokenPayload): number | undefined {
  const { iat, jti } = payload;
  if (iat === undefined) return undefined;
  if (typeof jti === 'string' && UUID_V7.test(jti)) {
    const ms = Number.parseInt(jti.slice(0, 8) + jti.slice(9, 13), 16);
    if (Math.floor(ms / 1000) === Math.floor(iat)) return ms;
  }
  return Math.round(iat * 1000);
}
