import { request } from 'node:http';

/**
 * A page request as a browser's navigation sends it (`Sec-Fetch-Mode: navigate`, `Sec-Fetch-Dest: document`), through
 * node:http: Node's fetch always says `Sec-Fetch-Mode: cors`, as a page's fetch() does, which `loginPage` leaves a 401.
 */
export function navigate(url: string, method = 'GET', headers: Record<string, string> = {}): Promise<Response> {
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
