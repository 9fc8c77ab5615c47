import * as zmq from "zeromq";
import { createMessage, encode, toErrorInfo } from "@sparky/messages";
import type { Command, Reply } from "@sparky/messages";
import { bindOrExplain } from "./bind.js";
import { parseCommand } from "./parse-command.js";
import { HARD_FRAME_LIMIT } from "./options.js";

export interface ReplierOptions {
  endpoint: string;
  /** Must answer quickly: long work is accepted here and done after replying. */
  handle: (command: Command) => Promise<Reply>;
  /** Called for every frame that was refused (bad bytes, wrong shape, unknown type...). */
  onInvalid?: (info: { code: string; message: string }) => void;
  onError?: (error: unknown) => void;
}

export interface Replier {
  /** The bound endpoint (with the real port when bound to port 0). */
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * A REP loop that always replies: a REP socket that skips one reply is stuck for
 * good, so garbage, handler exceptions and all get a typed `error` reply.
 */
export async function startReplier(options: ReplierOptions): Promise<Replier> {
  const socket = new zmq.Reply({ linger: 0, maxMessageSize: HARD_FRAME_LIMIT });
  await bindOrExplain(socket, options.endpoint, "command socket").catch((error) => {
    socket.close();
    throw error;
  });
  const endpoint = socket.lastEndpoint ?? options.endpoint;

  // One async function per command, not two: every command passes here, and each extra
  // promise layer showed in the round trip's time. No result object per command either.
  const loop = (async () => {
    try {
      for await (const frames of socket) {
        let reply: Reply;
        let command: Command | undefined;
        try {
          command = parseCommand(frames);
        } catch (error) {
          const info = toErrorInfo(error);
          options.onInvalid?.(info);
          reply = createMessage<Reply>("error", info);
        }
        if (command !== undefined) {
          try {
            reply = await options.handle(command);
          } catch (error) {
            options.onError?.(error);
            reply = createMessage<Reply>("error", toErrorInfo(error), { runId: command.runId });
          }
        }
        await socket.send(encode(reply!));
      }
    } catch (error) {
      if (!socket.closed) options.onError?.(error);
    }
  })();

  return {
    endpoint,
    async close() {
      socket.close();
      // A handler that never settles must not hold shutdown hostage.
      await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    },
  };
}
