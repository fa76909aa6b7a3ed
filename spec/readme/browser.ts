import { request } from 'node:http';

/** A form post's content type. */
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * A page request as a browser's navigation sends it (`Sec-Fetch-Mode: navigate`, `Sec-Fetch-Dest: document`), through
 * node:http: Node's fetch always says `Sec-Fetch-Mode: cors`, as a page's fetch() does, which `loginPage` leaves a 401.
 */
function navigate(url: string, method: string, headers: Record<string, string>): Promise<Response> {
  const navigation = { ...headers, 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
  return new Promise((resolve, reject) => {
    const sent = request(url, { method, headers: navigation }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const received = new Headers();
        for (let i = 0; i < answer.rawHeaders.length; i += 2) {
          received.append(answer.rawHeaders[i] as string, answer.rawHeaders[i + 1] as string);
        }
        const status = answer.statusCode ?? 500;
        const body = method === 'HEAD' || status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, headers: received }));
      });
    });
    sent.on('error', reject);
    sent.end();
  });
}

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
