import type { Response } from 'express';
import { Body, ContentType, Controller, Get, JsonController, Post, Res } from 'routing-controllers';
// Value imports, not `import type`: typedi injects by the classes in decorator metadata.
import { InvalidCredentialsError, LoggedIn, LoginManager, PasswordForm, User } from 'routing-controllers-login';
import { Service } from 'typedi';
import { homePage, loginPage } from './pages';
import { type DemoUser, UserStore } from './users';

/** The OAuth2 password grant: JSON or form `username`/`password` → a bearer token. */
@Service()
@JsonController('/auth')
export class AuthController {
  constructor(
    private readonly manager: LoginManager<DemoUser>,
    private readonly users: UserStore,
  ) {}

  @Post('/token')
  async token(@Body({ validate: true }) form: PasswordForm) {
    const user = await this.users.authenticate(form.username, form.password);
    if (!user) throw new InvalidCredentialsError();
    const scopes = form.scopes.filter((scope) => user.scopes.includes(scope));
    return {
      access_token: this.manager.createAccessToken({ data: { sub: user.email }, scopes }),
      token_type: 'bearer',
    };
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

/** The browser flow: a login form, a cookie, a page for the logged-in user. */
@Service()
@Controller()
export class PagesController {
  constructor(
    private readonly manager: LoginManager<DemoUser>,
    private readonly users: UserStore,
  ) {}

  @Get('/login')
  @ContentType('text/html')
  form() {
    return loginPage();
  }

  @Post('/login')
  async login(@Body({ validate: true }) form: PasswordForm, @Res() response: Response) {
    const user = await this.users.authenticate(form.username, form.password);
    if (!user) {
      response.status(401).type('html').send(loginPage('Wrong email or password.'));
      return response;
    }
    this.manager.setCookie(response, this.manager.createAccessToken({ data: { sub: user.email } }));
    response.redirect(303, '/');
    return response;
  }

  @Get('/')
  @ContentType('text/html')
  home(@User() user: DemoUser) {
    return homePage(user);
  }

  @Post('/logout')
  logout(@Res() response: Response) {
    this.manager.clearCookie(response);
    response.redirect(303, '/login');
    return response;
  }
}
