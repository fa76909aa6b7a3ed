import type { Request, Response } from 'express';
import { BodyParam, ContentType, Controller, Get, Post, Req, Res } from 'routing-controllers';
// Value imports, not `import type`: typedi injects by the classes in decorator metadata.
import { LoggedIn, LoginManager, User } from 'routing-controllers-login';
import { Service } from 'typedi';
import { devicesPage } from './pages';
import type { DemoUser } from './users';

/** "Your devices": where this user is logged in, and a button to log each of them out. Plain forms, no script. */
@LoggedIn()
@Service()
@Controller('/devices')
export class DevicesController {
  constructor(private readonly manager: LoginManager<DemoUser>) {}

  /** Each login (newest first), its label (the browser's user agent), when it started and last refreshed. */
  @Get('/')
  @ContentType('text/html')
  async list(@User() user: DemoUser, @Req() request: Request, @Res() response: Response) {
    const sessions = await this.manager.sessions(user.email, request);
    return devicesPage(sessions, this.manager.csrfValue(request, response));
  }

  /**
   * Ends one login (the form posts its id and _csrf: a cookie write, so the CSRF check applies). Its
   * cookies are refused from the next request on, on every instance; ending this one logs out here.
   */
  @Post('/end')
  async end(
    @User() user: DemoUser,
    @BodyParam('id', { required: true }) id: string,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    const current = (await this.manager.sessions(user.email, request)).find((session) => session.current);
    if (typeof id === 'string') await this.manager.endSession(user.email, id);
    if (id === current?.id) {
      this.manager.clearCookie(response);
      response.redirect(303, '/login');
    } else response.redirect(303, '/devices');
    return response;
  }
}
