import { createHmac, hkdfSync, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import { LoginConfigurationError } from '../shared/errors';

/** A value this library makes: 16 random bytes, a dot, their HMAC-SHA256 (base64url, 22 and 43 characters). */
const VALUE = /^([\w-]{22})\.([\w-]{43})$/;
/** HKDF's salt and info: the CSRF key is never the signing key itself, nor usable as one. */
const SALT = 'routing-controllers-login';
const INFO = 'csrf-token v1';

/**
 * The key material CSRF keys are derived from: each signing key's secret half (an HMAC secret's
 * bytes, a private key's PKCS#8 DER), the signing one first. Public keys give none: a verify-only
 * manager needs `csrfSecret`.
 */
export function csrfKeyMaterial(signKeys: readonly (KeyObject | undefined)[]): Buffer[] {
  return signKeys.flatMap((key) => {
    if (key === undefined) return [];
    return [key.type === 'secret' ? key.export() : key.export({ format: 'der', type: 'pkcs8' })];
  });
}

/**
 * Signed double-submit CSRF values (OWASP's recommended form): `<random>.<HMAC(key, binding, random)>`,
 * where the binding is the login's session (its `csrf` claim, the same through sliding renewals,
 * remember-me and refreshes) or, before login, "anonymous". A value the server did not make, or made
 * for another session, does not verify, so one planted with its cookie is refused. New values use the
 * first key; every key verifies, so values made before a key rotation keep working while its key is listed.
 */
export class CsrfValues {
  private readonly keys: readonly Buffer[];

  /** `material`: secrets to derive the keys from (HKDF-SHA256), the one that makes new values first. */
  constructor(
    /** The readable cookie holding the value, for the page's script. */
    readonly cookieName: string,
    material: readonly Buffer[],
  ) {
    this.keys = material.map((ikm) => Buffer.from(hkdfSync('sha256', ikm, SALT, INFO, 32)));
  }

  /** A new value for the session `binding`, or for no session (before login) when `undefined`. */
  mint(binding: string | undefined): string {
    const random = randomBytes(16).toString('base64url');
    return `${random}.${this.mac(this.signingKey(), binding, random)}`;
  }

  /** Whether `value` is one this server made for `binding` (`undefined`: before login), with any of its keys. */
  valid(value: unknown, binding: string | undefined): boolean {
    if (typeof value !== 'string') return false;
    const parsed = VALUE.exec(value);
    if (!parsed) return false;
    const [, random, sent] = parsed as unknown as [string, string, string];
    const given = Buffer.from(sent);
    this.signingKey();
    return this.keys.some((key) => timingSafeEqual(given, Buffer.from(this.mac(key, binding, random))));
  }

  private mac(key: Buffer, binding: string | undefined, random: string): string {
    // '.' is in neither a random part nor the prefixes, so no two (binding, random) pairs give one message.
    const message = binding === undefined ? `anonymous.${random}` : `login.${binding}.${random}`;
    return createHmac('sha256', key).update(message).digest('base64url');
  }

  private signingKey(): Buffer {
    const [key] = this.keys;
    if (key === undefined) {
      throw new LoginConfigurationError(
        'CSRF values need a key, and this manager holds no secret or private key (it verifies only): give `csrfSecret` ' +
          '(a random secret of 32 bytes or more, the same on every service that reads these cookies).',
      );
    }
    return key;
  }
}
