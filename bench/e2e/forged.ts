import type { Requests } from './types';

/** The longest token the library reads by default (`maxTokenLength`): the anonymous tokens are this long. */
export const MAX_TOKEN = 8192;

/**
 * The most expensive tokens an anonymous client can send: `MAX_TOKEN` characters, the header
 * this manager issues, a payload of JSON (deeply nested arrays, or one flat object of short keys),
 * and a signature of the right length that is wrong (unique per request, so no cache can answer).
 */
export const forged = (payload: 'nested' | 'flat'): Requests => ({
  mode: 'suffix',
  headers: (mint) => {
    const header = mint.sample.slice(0, mint.sample.indexOf('.'));
    const room = Math.floor(((MAX_TOKEN - header.length - 2 - 43) * 3) / 4);
    const json = payload === 'nested' ? nestedJson(room) : flatJson(room);
    const body = Buffer.from(json).toString('base64url');
    // 35 characters here and the load generator's 8: an HS256 signature's 43.
    const token = `${header}.${body}.${'A'.repeat(35)}`;
    if (token.length + 8 > MAX_TOKEN) throw new Error(`the forged token is ${token.length + 8} characters`);
    return mint.carry(token);
  },
  describe:
    payload === 'nested' ? '8 KiB token, nested payload, bad signature' : '8 KiB token, flat payload, bad signature',
});

const CLAIMS = '{"sub":"bench@example.com","exp":4102444800,"n":';

function nestedJson(size: number): string {
  const depth = Math.floor((size - CLAIMS.length - 1) / 2);
  return `${CLAIMS}${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

function flatJson(size: number): string {
  let json = `${CLAIMS}{`;
  for (let i = 0; json.length + 12 < size; i += 1) json += `${i ? ',' : ''}"k${i}":0`;
  return `${json}}}`;
}
