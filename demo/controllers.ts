import { IsIn, IsOptional } from 'class-validator';
import type { Request, Response } from 'express';
import { Body, ContentType, Controller, Get, JsonController, Post, Req, Res } from 'routing-controllers';
// Value imports, not `import type`: typedi injects by the classes in decorator metadata.
import {
  InvalidCredentialsError,
  LoggedIn,
  LoginManager,
  LoginThrottle,
  PasswordForm,
  RequireCsrf,
  TooManyLoginAttemptsError,
  User,
} from 'routing-controllers-login';
import { Service } from 'typedi';
import { homePage, loginPage } from './pages';
import { type DemoUser, UserStore } from './users';

/** The OAuth2 password grant, and the refresh grant. */
@Service()
@JsonController('/auth')
export class AuthController {
  constructor(
    private readonly manager: LoginManager<DemoUser>,
    private readonly users: UserStore,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * JSON or form `username`/`password` → an access token (fresh: a password was just checked)
   * and a refresh token, bound to the key of the request's `DPoP` proof if it has one (token_type
   * DPoP; a bad proof is a 401). Repeated wrong passwords are answered 429 with Retry-After.
   */
  @Post('/token')
  async token(@Body({ validate: true }) form: PasswordForm, @Req() request: Request, @Res() response: Response) {
    const { username, password } = form;
    const user = await this.throttle.attempt(username, request, () => this.users.authenticate(username, password));
    if (!user) throw new InvalidCredentialsError();
    const scopes = form.scopes.filter((scope) => user.scopes.includes(scope));
    const label = request.get('user-agent'); // what "Your devices" calls this login
    const tokens = this.manager.createTokens({ data: { sub: user.email }, scopes, fresh: true, label, dpop: request });
    // RFC 6749 §5.1: access_token, token_type, expires_in, refresh_token, scope; Cache-Control: no-store.
    return this.manager.tokenResponse(tokens, response);
  }

  /**
   * `Authorization: Bearer <refresh token>` (or `DPoP`, with a proof of its key) → a new access
   * token (never fresh) and a new refresh token, bound as before; the one sent is retired, and
   * sending it again ends the whole login.
   */
  @LoggedIn({ refresh: true })
  @Post('/refresh')
  async refresh(@Req() request: Request, @Res() response: Response) {
    return this.manager.tokenResponse(this.manager.refreshTokens(request), response);
  }
}

@LoggedIn()
@Service()
@JsonController('/me')
export class MeController {
  @Get('/')
  me(@User() user: DemoUser) {
    return user;
  }
}

/** The login page's form: the password grant plus "remember me". */
export class LoginPageForm extends PasswordForm {
  @IsOptional()
  @IsIn(['on'])
  remember?: string;
}

/** The browser flow: a login form, a cookie, a page for the logged-in user, logout. */
@Service()
@Controller()
export class PagesController {
  constructor(
    private readonly manager: LoginManager<DemoUser>,
    private readonly users: UserStore,
    private readonly throttle: LoginThrottle,
  ) {}

  /** The login form, with a CSRF value (and its cookie) handed out before anyone is logged in. */
  @Get('/login')
  @ContentType('text/html')
  form(@Req() request: Request, @Res() response: Response) {
    return loginPage(this.manager.csrfValue(request, response), this.manager.nextPath(request));
  }

  /** A plain form post: its _csrf field must be a value this server made, equal to the csrf-token cookie (against login CSRF). */
  @RequireCsrf()
  @Post('/login')
  async login(@Body({ validate: true }) form: LoginPageForm, @Req() request: Request, @Res() response: Response) {
    const { username, password } = form;
    let user: DemoUser | undefined;
    try {
      user = await this.throttle.attempt(username, request, () => this.users.authenticate(username, password));
    } catch (error) {
      if (!(error instanceof TooManyLoginAttemptsError)) throw error;
      const wait = `Too many attempts: try again in ${error.retryAfter} seconds.`;
      return this.formAgain(request, response, 429, wait, username);
    }
    if (!user) return this.formAgain(request, response, 401, 'Wrong email or password.', username);
    // One login, listed on "Your devices" under the browser's user agent.
    const label = request.get('user-agent');
    const { accessToken } = await this.manager.createTokens({ data: { sub: user.email }, fresh: true, label });
    // Remember me: a refresh cookie keeps the login for 30 days; without it, the browser session.
    this.manager.setCookie(response, accessToken, { persistent: form.remember === 'on' });
    // Back to the page that sent the browser here (loginPage's next, when a path of this site), else home.
    response.redirect(303, this.manager.nextPath(request));
    return response;
  }

  /** The login form again, with what went wrong and the email as typed. */
  private formAgain(request: Request, response: Response, status: number, message: string, email: string) {
    const csrf = this.manager.csrfValue(request, response);
    response
      .status(status)
      .type('html')
      .send(loginPage(csrf, this.manager.nextPath(request), message, email));
    return response;
  }

  @Get('/')
  @ContentType('text/html')
  home(@User() user: DemoUser, @Req() request: Request, @Res() response: Response) {
    return homePage(user, this.manager.csrfValue(request, response));
  }

  /** Revokes this login (and its remember-me cookie) and clears the cookies. The form posts its _csrf field. */
  @LoggedIn()
  @Post('/logout')
  async logout(@Req() request: Request, @Res() response: Response) {
    await this.manager.logout(request, response);
    response.redirect(303, '/login');
    return response;
  }

  /** Revokes every token of this user, on every device, and clears this cookie. */
  @LoggedIn()
  @Post('/logout-everywhere')
  async logoutEverywhere(@User() user: DemoUser, @Res() response: Response) {
    await this.manager.revokeAllFor(user.email);
    this.manager.clearCookie(response);
    response.redirect(303, '/login');
    return response;
  }
}
