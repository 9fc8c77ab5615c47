import type * as zmq from "zeromq";
import { SparkyError } from "@sparky/messages";

/** Bind, turning libzmq's terse errors into one that says which endpoint and what to do. */
export async function bindOrExplain(socket: zmq.Socket, endpoint: string, role: string): Promise<void> {
  try {
    await socket.bind(endpoint);
  } catch (error) {
    const reason = (error as Error).message;
    const hint = /in use/i.test(reason)
      ? "another process (a second sparky service?) holds that port: stop it or configure another port"
      : "check the endpoint in config (tcp://HOST:PORT with a local interface, inproc://NAME)";
    throw new SparkyError("SPARKY_BIND_FAILED", `cannot bind the ${role} to ${endpoint}: ${reason}; ${hint}`);
  }
}
