import { Equals, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * The OAuth2 password grant (RFC 6749 §4.3.2) as a class-validator DTO:
 * `@Body({ validate: true }) form: PasswordForm`. JSON bodies work as they are; for
 * form posts (`application/x-www-form-urlencoded`, what OAuth2 clients and Swagger UI
 * send) the app parses them first with `app.use(express.urlencoded({ extended: false }))`.
 * Length limits keep an attacker from feeding megabytes to the password hash.
 */
export class PasswordForm {
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  /** The login name (OAuth2 calls it `username` whatever it holds: often an email address). At most 256 characters. */
  username!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  /** The password, to check against a hash; never in `toJSON`. At most 1024 characters. */
  password!: string;

  /** Space-separated scopes the client asks for. */
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  scope?: string;

  /** Sent by OAuth2 clients; when present it must say `password`. */
  @IsOptional()
  @Equals('password')
  grant_type?: string;

  /** Sent by OAuth2 clients such as Swagger UI's Authorize dialog; the library does not check it. */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  client_id?: string;

  /** Sent by some OAuth2 clients; kept out of `toJSON`, like the password. */
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  client_secret?: string;

  /**
   * The form without its password (and client secret), so a validation error that carries the form as its
   * `target` (routing-controllers with `validation: false` and `@Body({ validate: true })`)
   * cannot echo it, nor can a log line that serialises the form.
   */
  toJSON(): Record<string, unknown> {
    const { password: _password, client_secret: _secret, ...rest } = this;
    return rest;
  }

  /** `scope` split on spaces, without duplicates. */
  get scopes(): string[] {
    return this.scope ? [...new Set(this.scope.split(' ').filter(Boolean))] : [];
  }
}
