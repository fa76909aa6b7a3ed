import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import {
  Authorized,
  Body,
  CurrentUser,
  Delete,
  Get,
  getMetadataArgsStorage,
  JsonController,
  MetadataArgsStorage,
  Param,
  Post,
} from 'routing-controllers';
import { LoggedIn, PasswordForm, User } from 'routing-controllers-login';
import { routingControllersToSpec } from 'routing-controllers-openapi';
import { Service } from 'typedi';
import type { Account } from '../helpers/users';

/** Class-level @LoggedIn, a method adding a scope, and two decorators stacked on one method. */
@LoggedIn()
@Service()
@JsonController('/items')
export class ItemsController {
  @Get('/')
  list() {
    return ['a'];
  }

  @LoggedIn({ scopes: ['items:write'] })
  @Post('/')
  create() {
    return { created: true };
  }

  @Authorized('items:read')
  @LoggedIn({ scopes: ['items:write'] })
  @Delete('/:id')
  remove(@Param('id') id: string) {
    return { removed: id };
  }
}

/** Routes protected, or not, by their parameters alone. */
@Service()
@JsonController('/feed')
export class FeedController {
  @Get('/')
  feed(@User({ required: false }) user?: Account) {
    return { email: user?.email ?? null };
  }

  @Get('/public')
  open() {
    return { open: true };
  }

  @Get('/mine')
  mine(@User() user: Account) {
    return { email: user.email };
  }

  @Get('/current')
  current(@CurrentUser() user?: Account) {
    return { email: user?.email ?? null };
  }
}

/** The token endpoint (open), a refresh route, and a route for fresh logins only. */
@Service()
@JsonController('/auth')
export class TokenController {
  @Post('/token')
  token(@Body() form: PasswordForm) {
    return { username: form.username };
  }

  @LoggedIn({ refresh: true })
  @Post('/refresh')
  refresh() {
    return { refreshed: true };
  }

  @LoggedIn({ fresh: true })
  @Post('/password')
  changePassword(@User() user: Account) {
    return { changed: user.email };
  }
}

/** routing-controllers' own @Authorized on the class, our @LoggedIn on a method. */
@Authorized(['admin'])
@Service()
@JsonController('/admin')
export class AdminController {
  @LoggedIn({ scopes: ['audit'] })
  @Get('/audit')
  audit() {
    return { audited: true };
  }
}

type Controller = new () => object;

export const CONTROLLERS: Controller[] = [ItemsController, FeedController, TokenController, AdminController];

/**
 * routing-controllers' metadata of `controllers` only: every spec file's controllers share the
 * global storage, and a document of them all would mix unrelated apps.
 */
export function storageOf(controllers: readonly Controller[]): MetadataArgsStorage {
  const all = getMetadataArgsStorage();
  const ours = (target: unknown) => controllers.includes(target as Controller);
  return Object.assign(new MetadataArgsStorage(), {
    controllers: all.controllers.filter((c) => ours(c.target)),
    actions: all.actions.filter((a) => ours(a.target)),
    params: all.params.filter((p) => ours(p.object.constructor)),
    responseHandlers: all.responseHandlers.filter((h) => ours(h.target)),
  });
}

/** What an app does: routing-controllers-openapi's document, with class-validator schemas. */
export function generatedSpec(storage: MetadataArgsStorage, routePrefix?: string) {
  return routingControllersToSpec(
    storage,
    { routePrefix },
    {
      info: { title: 'fixture', version: '1.0.0' },
      components: { schemas: validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' }) },
    },
  );
}
