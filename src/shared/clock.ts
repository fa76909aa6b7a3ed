/** Milliseconds since the epoch, like `Date.now`. */
export type Clock = () => number;
