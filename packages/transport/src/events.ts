import * as zmq from "zeromq";
import { EventSchema, MessageError, decode, encode, toErrorInfo, typesOf } from "@sparky/messages";
import type { Event } from "@sparky/messages";
import { bindOrExplain } from "./bind.js";
import { EVENT_HWM } from "./options.js";

const eventTypes = typesOf(EventSchema);

export interface EventPublisher {
  publish(event: Event): Promise<void>;
  close(): void;
}

/** A PUB socket connected to the event bus's input. Topic frame first, so subscribers filter by prefix. */
export function createEventPublisher(endpoint: string): EventPublisher {
  const socket = new zmq.Publisher({ linger: 0, sendHighWaterMark: EVENT_HWM });
  socket.connect(endpoint);
  // Sends are queued: zeromq.js refuses a second send while one is in flight.
  let queue: Promise<void> = Promise.resolve();
  return {
    publish(event) {
      const next = queue.then(() => socket.send([event.type, encode(event)]));
      queue = next.catch(() => undefined);
      return next;
    },
    close() {
      socket.close();
    },
  };
}

export interface EventSubscription extends AsyncIterable<Event> {
  close(): void;
}

/**
 * A SUB socket on the event bus's output. Frames that do not decode are dropped and
 * reported through `onDrop`: a subscriber never answers, so counting is all it can do.
 */
export function subscribeEvents(
  endpoint: string,
  options: { topics?: string[]; onDrop?: (info: { code: string; message: string }) => void } = {},
): EventSubscription {
  const socket = new zmq.Subscriber({ linger: 0, receiveHighWaterMark: EVENT_HWM });
  socket.connect(endpoint);
  for (const topic of options.topics?.length ? options.topics : [""]) socket.subscribe(topic);
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for await (const frames of socket) {
          const frame = frames[frames.length - 1];
          try {
            if (frames.length !== 2 || !frame) {
              throw new MessageError("SPARKY_MSG_FRAMES", `expected [topic, message], got ${frames.length} frames`);
            }
            const event = decode(frame, EventSchema, eventTypes);
            if (event.type !== frames[0]?.toString()) {
              throw new MessageError("SPARKY_MSG_TOPIC", `topic ${frames[0]?.toString()} does not match type ${event.type}`);
            }
            yield event;
          } catch (error) {
            options.onDrop?.(toErrorInfo(error));
          }
        }
      } catch (error) {
        if (!socket.closed) throw error;
      }
    },
    close() {
      socket.close();
    },
  };
}

export interface EventBus {
  /** Where stages connect their PUB sockets. */
  readonly input: string;
  /** Where subscribers connect. */
  readonly output: string;
  close(): Promise<void>;
}

/** The orchestrator's XSUB/XPUB proxy: many publishers in, many subscribers out. */
export async function startEventBus(options: { input: string; output: string; onError?: (error: unknown) => void }): Promise<EventBus> {
  const xsub = new zmq.XSubscriber({ linger: 0, receiveHighWaterMark: EVENT_HWM, sendHighWaterMark: EVENT_HWM });
  const xpub = new zmq.XPublisher({ linger: 0, sendHighWaterMark: EVENT_HWM, receiveHighWaterMark: EVENT_HWM });
  try {
    await bindOrExplain(xsub, options.input, "event bus input");
    await bindOrExplain(xpub, options.output, "event bus output");
  } catch (error) {
    xsub.close();
    xpub.close();
    throw error;
  }
  const forward = async (from: zmq.Socket & AsyncIterable<Buffer[]>, to: zmq.Writable & zmq.Socket) => {
    try {
      for await (const frames of from) await to.send(frames);
    } catch (error) {
      if (!from.closed && !to.closed) throw error;
    }
  };
  // Handled at once: a forwarding loop that fails must not become an unhandled rejection
  // that takes the orchestrator down; it is reported, and close() still works.
  const loops = Promise.all([forward(xsub, xpub), forward(xpub, xsub)]).catch((error: unknown) => {
    options.onError?.(error);
  });
  return {
    input: xsub.lastEndpoint ?? options.input,
    output: xpub.lastEndpoint ?? options.output,
    async close() {
      xsub.close();
      xpub.close();
      await loops;
    },
  };
}
