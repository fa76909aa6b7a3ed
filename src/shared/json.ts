/** A plain JSON object (what `JSON.parse` makes of `{...}`): not an array, a class instance or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * How many objects and arrays a JSON text read before its signature is checked may open.
 * `JSON.parse` spends its time on these, whatever their depth (8 KiB of depth-8 chunks costs
 * about what 8 KiB nested as one does), so a text under the bound costs about what a flat text
 * of its size does; nesting is bounded with them (it can be no deeper than this). Real claims
 * hold a few dozen at most (Keycloak: two per client in `resource_access`).
 */
export const MAX_UNSIGNED_CONTAINERS = 256;

/**
 * `JSON.parse` of a text nobody has vouched for yet (a token's header, or its payload before the
 * signature is checked), refused (`undefined`) when it is not JSON or opens more objects and
 * arrays than real claims do. The brackets are counted first with `indexOf`, inside strings too
 * (so the count is never below the truth): a few µs for 8 KiB, against the parse's tens.
 */
export function parseUnsigned(text: string): unknown {
  const containers = occurrences(text, '{') + occurrences(text, '[');
  return containers > MAX_UNSIGNED_CONTAINERS ? undefined : parseJson(text);
}

/** How often `char` occurs in `text`, counting no further than one past the bound. */
function occurrences(text: string, char: string): number {
  let count = 0;
  for (let at = text.indexOf(char); at >= 0 && count <= MAX_UNSIGNED_CONTAINERS; at = text.indexOf(char, at + 1)) {
    count += 1;
  }
  return count;
}

/** `JSON.parse`, `undefined` when the text is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
