import { Get, JsonController } from 'routing-controllers';
import { Service } from 'typedi';

/** A controller the logged-in-by-default spec loads from this directory, as `controllers: ['dir/*.js']` does. */
@Service()
@JsonController('/from-directory')
export class DirectoryController {
  @Get('/')
  status() {
    return { loaded: 'from a directory' };
  }
}
