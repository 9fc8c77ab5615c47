import { CommandSchema, MessageError, decode, typesOf } from "@sparky/messages";
import type { Command } from "@sparky/messages";

const commandTypes = typesOf(CommandSchema);

/** The command in a REP socket's frames; throws a MessageError that the replier sends back. */
export function parseCommand(frames: Buffer[]): Command {
  if (frames.length !== 1) {
    // A code of its own: a peer speaking another framing (a DEALER without the empty
    // delimiter, multipart sends) is a different fault from a malformed message.
    throw new MessageError("SPARKY_MSG_FRAMES", `expected one frame per command, got ${frames.length}: send each command as a single frame`);
  }
  return decode(frames[0]!, CommandSchema, commandTypes);
}
