import { navigate } from '../helpers/navigate';

/** A form post's content type. */
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A browser's cookies, as far as these apps set them (no paths or domains to honour). */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly url: string) {}

  async send(path: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const headers = { accept: 'text/html', ...(cookie ? { cookie } : {}), ...(init.headers as object) };
    const method = init.method ?? 'GET';
    const response =
      method === 'GET' || method === 'HEAD'
        ? await navigate(`${this.url}${path}`, method, headers)
        : await fetch(`${this.url}${path}`, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split('; ');
      const [name = '', value = ''] = pair.split('=');
      if (value === '' || attributes.some((attribute) => /^(Max-Age=0|Expires=Thu, 01 Jan 1970)/i.test(attribute))) {
        this.cookies.delete(name);
      } else this.cookies.set(name, value);
    }
    return response;
  }

  /** The login page's form (at `from`), as the browser would submit it: to its action, its _csrf and the fields given. */
  async submitLogin(fields: Record<string, string>, from = '/login'): Promise<Response> {
    const page = await (await this.send(from)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const action = (/<form method="post" action="([^"]+)">/.exec(page)?.[1] ?? '').replaceAll('&#38;', '&');
    const body = new URLSearchParams({ _csrf: csrf, ...fields });
    return this.send(action, { method: 'POST', headers: FORM, body });
  }
}
