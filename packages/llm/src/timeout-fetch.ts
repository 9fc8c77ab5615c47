/**
 * A `fetch` that gives up after `ms`, body included. The ollama client passes no signal on
 * non-streaming calls, so without this a stalled server would hold a job forever. `cancel`
 * also ends it: the job it serves was given up on.
 */
export function timeoutFetch(ms: number, cancel?: AbortSignal): typeof fetch {
  return (input, init = {}) => {
    const signals = [AbortSignal.timeout(ms), ...(init.signal ? [init.signal] : []), ...(cancel ? [cancel] : [])];
    return fetch(input, { ...init, signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) });
  };
}
