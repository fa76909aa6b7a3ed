/** How long and how large one fetch may be. */
export interface FetchLimits {
  /** Milliseconds for the whole fetch, body included. */
  timeout: number;
  /** Bytes of body at most. */
  maxBytes: number;
}

/** A fetched JSON document: its text (to tell whether it changed), its value, and its `Cache-Control` max-age. */
export interface FetchedJson {
  text: string;
  json: unknown;
  /** Seconds, from `max-age` (0 for `no-cache`/`no-store`), or `undefined` without either. */
  maxAge: number | undefined;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Why `url` may not be fetched, or `undefined`: keys travel over HTTPS, plain http only to this machine. */
export function urlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not an absolute URL`;
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && LOOPBACK.test(parsed.hostname)) return undefined;
  return `${url} is not https (plain http is only allowed to localhost, 127.0.0.1 and [::1])`;
}

/**
 * GETs `url` as JSON with Node's own `fetch`: HTTPS only (http to loopback), no
 * redirects (a key set moved elsewhere is a configuration change, not something to
 * follow), a time limit covering the body, and a size limit enforced while reading.
 * Throws an `Error` saying what went wrong.
 */
export async function fetchJson(url: string, limits: FetchLimits): Promise<FetchedJson> {
  const problem = urlProblem(url);
  if (problem) throw new Error(problem);
  const response = await fetch(url, {
    signal: AbortSignal.timeout(limits.timeout),
    redirect: 'error',
    headers: { accept: 'application/json' },
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`${url} answered HTTP ${response.status}`);
  }
  const text = await readLimited(response, limits.maxBytes, url);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${url} did not answer JSON`);
  }
  return { text, json, maxAge: maxAgeOf(response.headers.get('cache-control')) };
}

async function readLimited(response: Response, maxBytes: number, url: string): Promise<string> {
  const tooLarge = () => new Error(`${url} answered more than ${maxBytes} bytes`);
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `max-age` of a Cache-Control header in seconds; `no-cache`/`no-store` mean 0. */
export function maxAgeOf(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/(^|,)\s*no-(cache|store)\s*(,|$)/i.test(header)) return 0;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?\s*(?:,|$)/i.exec(header);
  return match ? Number(match[1]) : undefined;
}
