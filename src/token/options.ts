import { fail } from '../shared/checks';

/** The checks of the options that shape verification: each returns the value to use or throws with the fix. */

export function clockTolerance(value: unknown = 0): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 300) return value;
  return fail('`clockTolerance` is a number of seconds from 0 to 300: more would keep expired tokens alive.');
}

const CLAIM_NAME = /^[A-Za-z0-9_.:-]+$/;

export function requiredClaims(value: unknown = []): string[] {
  if (Array.isArray(value) && value.every((name) => typeof name === 'string' && CLAIM_NAME.test(name))) {
    return [...value];
  }
  return fail('`requiredClaims` is an array of claim names (letters, digits, _ . : -).');
}

/** The most `maxTokenLength` may be: tokens that large already cost a request more than they are worth. */
const MAX_TOKEN_LENGTH = 65_536;

export function maxTokenLength(value: unknown = 8192): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 256 && value <= MAX_TOKEN_LENGTH) return value;
  return fail(
    `\`maxTokenLength\` is a whole number of bytes from 256 to ${MAX_TOKEN_LENGTH} (64 KiB): anyone may send a token ` +
      "that long, and each costs its decoding. Keep the default 8192 unless your identity provider's tokens are longer.",
  );
}
