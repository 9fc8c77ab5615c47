import * as zmq from "zeromq";
import { ReplySchema, SparkyError, decode, encode, typesOf } from "@sparky/messages";
import type { Command, Reply } from "@sparky/messages";

const replyTypes = typesOf(ReplySchema);

export interface RequesterOptions {
  endpoint: string;
  /** How long one attempt waits for a reply. */
  timeoutMs: number;
  /** Attempts after the first one. */
  retries: number;
  /** A human name for the peer, used in errors ("collector"). */
  peer?: string;
  onRetry?: (info: { attempt: number; endpoint: string; reason: string }) => void;
}

export interface Requester {
  readonly endpoint: string;
  request(command: Command): Promise<Reply>;
  close(): void;
}

/**
 * A Lazy Pirate REQ client. The socket is kept while the peer answers; an attempt
 * that times out closes it (a REQ socket that missed a reply can never send again) and
 * the next attempt starts on a fresh socket, so a dead or restarted peer never wedges
 * the caller. Calls are queued: a REQ socket holds one request in flight.
 */
export function createRequester(options: RequesterOptions): Requester {
  const { endpoint, timeoutMs, retries } = options;
  let socket: zmq.Request | null = null;
  // The last call's result: the next call starts when it settles. Kept without wrapping it
  // in further promises, which every request would otherwise pay for.
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  let pending = 0;

  function open(): zmq.Request {
    const s = new zmq.Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
    s.connect(endpoint);
    return s;
  }

  /** One request, all its attempts, in one async function: `pending` counts down in its finally. */
  async function run(command: Command): Promise<Reply> {
    try {
      const frame = encode(command);
      let lastReason = "";
      for (let attempt = 1; attempt <= retries + 1; attempt++) {
        if (closed) break;
        socket ??= open();
        const current = socket;
        try {
          await current.send(frame);
          // Indexed, not destructured: destructuring walks an iterator for every reply.
          const reply = (await current.receive())[0];
          if (!reply) throw new Error("empty reply");
          return decode(reply, ReplySchema, replyTypes);
        } catch (error) {
          if (error instanceof SparkyError) throw error; // the peer answered, but with garbage
          // No reply (timeout, closed, refused): this REQ socket can never send again.
          current.close();
          if (socket === current) socket = null;
          const err = error as { code?: string; message?: string };
          lastReason = err.code === "EAGAIN" ? `no reply within ${timeoutMs} ms` : (err.message ?? String(error));
          if (attempt <= retries) options.onRetry?.({ attempt, endpoint, reason: lastReason });
        }
      }
      const who = options.peer ?? "peer";
      if (closed) {
        throw new SparkyError("SPARKY_CLOSED", `the connection to ${who} at ${endpoint} was closed while ${command.type} waited`);
      }
      throw new SparkyError(
        "SPARKY_PEER_UNAVAILABLE",
        `${who} at ${endpoint} did not answer ${command.type} (${retries + 1} attempts: ${lastReason}); check that it is running and reachable`,
        { transient: true },
      );
    } finally {
      pending--;
    }
  }

  return {
    endpoint,
    request(command) {
      if (closed) return Promise.reject(new SparkyError("SPARKY_CLOSED", `requester for ${endpoint} is closed`));
      // With nothing in flight the call starts at once; otherwise it waits its turn,
      // whether the call before it succeeded or failed.
      // Only a queued call needs a closure.
      let result: Promise<Reply>;
      if (pending++ === 0) result = run(command);
      else {
        const start = () => run(command);
        result = queue.then(start, start);
      }
      queue = result;
      return result;
    },
    close() {
      closed = true;
      socket?.close();
      socket = null;
    },
  };
}
