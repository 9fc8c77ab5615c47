import { SparkyError } from "@sparky/messages";

const ENDPOINT_RE = /^(tcp:\/\/(\*|[\w.-]+|\[[0-9a-fA-F:]+\]):\d{1,5}|inproc:\/\/[\w.-]+|ipc:\/\/.+)$/;

/** Reject an endpoint that libzmq would refuse, with a message that shows the right form. */
export function assertEndpoint(key: string, value: string): void {
  if (!ENDPOINT_RE.test(value)) {
    throw new SparkyError(
      "SPARKY_BAD_ENDPOINT",
      `${key} = "${value}" is not a ZeroMQ endpoint: use tcp://HOST:PORT, inproc://NAME or ipc://PATH`,
    );
  }
}

/** The address to bind for an endpoint others connect to: tcp binds on all interfaces of that port. */
export function bindAddress(endpoint: string, bindHost = "0.0.0.0"): string {
  const match = /^tcp:\/\/(.+):(\d+)$/.exec(endpoint);
  return match ? `tcp://${bindHost}:${match[2]}` : endpoint;
}
