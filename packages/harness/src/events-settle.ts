/**
 * When an event publisher may close. A PUB socket with linger 0 drops what it has not yet
 * handed to the wire, so the last events get a moment to leave; but only events sent in
 * the last moment need it, and a service whose last event left long ago (a stage after its
 * job, the orchestrator of a one-shot digest) closes at once instead of always sleeping.
 */
export function createEventsSettle(
  settleMs = 50,
  now: () => number = () => performance.now(),
  sleep: (ms: number) => Promise<unknown> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
) {
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<unknown> = Promise.resolve();
  return {
    /** Note a publish: its promise resolves when the socket has taken the message. */
    track<T>(sent: Promise<T>): Promise<T> {
      const noted = sent.finally(() => {
        lastSentAt = now();
      });
      inFlight = Promise.allSettled([inFlight, noted]);
      return noted;
    },
    /** Resolves once every tracked publish is taken and the newest has had `settleMs`. */
    async settled(): Promise<void> {
      await inFlight;
      const wait = lastSentAt + settleMs - now();
      if (wait > 0) await sleep(wait);
    },
  };
}

/**
 * The settle for a publisher connected to `endpoint`. An inproc:// bus belongs to this very
 * process (`sparky digest`, `serve all`), whose orchestrator closes it before the stages stop
 * and which no subscriber outside it can hear: nothing is left to wait for.
 */
export function eventsSettleFor(endpoint: string, now?: () => number, sleep?: (ms: number) => Promise<unknown>) {
  return createEventsSettle(endpoint.startsWith("inproc://") ? 0 : 50, now, sleep);
}
