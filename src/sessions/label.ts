/** The longest label a login keeps, in characters (code points): a longer one is cut there. */
export const MAX_LABEL_LENGTH = 200;

/**
 * Characters a label loses: controls (C0, DEL, C1: a newline could forge a line of a log or a
 * header), lone surrogates, and the bidirectional ones that would make the page listing it read
 * another way.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cs}\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]+/gu;

/**
 * The label a login is listed with (`createTokens({ ..., label })`), as the store keeps it: control
 * and bidirectional characters become a space, runs of white space one, cut at
 * {@link MAX_LABEL_LENGTH} characters; `undefined` when nothing is left. A user agent, for one, is
 * the client's to write, so it is cleaned, not refused; anything but a string is a `TypeError`.
 */
export function sessionLabel(caller: string, label: unknown): string | undefined {
  if (label === undefined) return undefined;
  if (typeof label !== 'string') {
    throw new TypeError(
      `${caller}: \`label\` is a string naming the login for its user (a device, a user agent), ` +
        `at most ${MAX_LABEL_LENGTH} characters are kept.`,
    );
  }
  const clean = label.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
  const cut = [...clean].slice(0, MAX_LABEL_LENGTH).join('').trimEnd();
  return cut === '' ? undefined : cut;
}
