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

  // One async function per command, not two: every command passes here, and each extra
  // promise layer showed in the round trip's time.
  const loop = (async () => {
    try {
      for await (const frames of socket) {
        const command = parse(frames);
        let reply: Reply;
        if (command.ok) {
          try {
            reply = await options.handle(command.value);
          } catch (error) {
            options.onError?.(error);
            reply = createMessage<Reply>("error", toErrorInfo(error), { runId: command.value.runId });
          }
        } else {
          reply = command.reply;
        }
        await socket.send(encode(reply));
      }
    } catch (error) {
      if (!socket.closed) options.onError?.(error);
    }
  })();

  /** The command in a frame, or the error reply that refuses it. */
  function parse(frames: Buffer[]): { ok: true; value: Command } | { ok: false; reply: Reply } {
    try {
      if (frames.length !== 1) {
        // A code of its own: a peer speaking another framing (a DEALER without the empty
        // delimiter, multipart sends) is a different fault from a malformed message.
        throw new MessageError("SPARKY_MSG_FRAMES", `expected one frame per command, got ${frames.length}: send each command as a single frame`);
      }
      return { ok: true, value: decode(frames[0]!, CommandSchema, commandTypes) };
    } catch (error) {
      const info = toErrorInfo(error);
      options.onInvalid?.(info);
      return { ok: false, reply: createMessage<Reply>("error", info) };
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
