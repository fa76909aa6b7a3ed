/** A clock that only moves when told to: `clock.now` as the manager's `clock` option. */
export function frozenClock(start = Date.UTC(2030, 0, 1, 12)) {
  const clock = {
    ms: start,
    now: () => clock.ms,
    advance(ms: number) {
      clock.ms += ms;
    },
  };
  return clock;
}
