/**
 * A `fetch` that gives up after `ms`, body included. The ollama client passes no signal on
 * non-streaming calls, so without this a stalled server would hold a job forever.
 */
export function timeoutFetch(ms: number): typeof fetch {
  return (input, init = {}) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
}
