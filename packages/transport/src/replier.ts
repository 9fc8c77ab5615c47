import * as zmq from "zeromq";
import { CommandSchema, MessageError, createMessage, decode, encode, toErrorInfo, typesOf } from "@sparky/messages";
import type { Command, Reply } from "@sparky/messages";
import { bindOrExplain } from "./bind.js";
import { HARD_FRAME_LIMIT } from "./options.js";

const commandTypes = typesOf(CommandSchema);

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

  const loop = (async () => {
    try {
      for await (const frames of socket) {
        const reply = await answer(frames);
        await socket.send(encode(reply));
      }
    } catch (error) {
      if (!socket.closed) options.onError?.(error);
    }
  })();

  async function answer(frames: Buffer[]): Promise<Reply> {
    let command: Command;
    try {
      if (frames.length !== 1) {
        // A code of its own: a peer speaking another framing (a DEALER without the empty
        // delimiter, multipart sends) is a different fault from a malformed message.
        throw new MessageError("SPARKY_MSG_FRAMES", `expected one frame per command, got ${frames.length}: send each command as a single frame`);
      }
      command = decode(frames[0]!, CommandSchema, commandTypes);
    } catch (error) {
      const info = toErrorInfo(error);
      options.onInvalid?.(info);
      return createMessage<Reply>("error", info);
    }
    try {
      return await options.handle(command);
    } catch (error) {
      options.onError?.(error);
      return createMessage<Reply>("error", toErrorInfo(error), { runId: command.runId });
    }
  }

  return {
    endpoint,
    async close() {
      socket.close();
      // A handler that never settles must not hold shutdown hostage.
      await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    },
  };
}
