import { afterEach, describe, expect, it } from "vitest";
import * as zmq from "zeromq";
import { Packr } from "msgpackr";
import { createMessage, encode, decode, ReplySchema, typesOf, PROTOCOL_VERSION } from "@sparky/messages";
import type { Command, Event, Reply } from "@sparky/messages";
import { createRequester, startReplier, startEventBus, createEventPublisher, subscribeEvents } from "./index.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function echoServer(invalid: string[] = []) {
  const replier = await startReplier({
    endpoint: "tcp://127.0.0.1:0",
    handle: async (command) => createMessage<Reply>("pong", { service: command.type, pid: process.pid, uptimeMs: 1 }),
    onInvalid: (info) => invalid.push(info.code),
  });
  cleanups.push(() => replier.close());
  return replier;
}

async function rawRequest(endpoint: string, frames: (Buffer | Uint8Array)[]): Promise<Reply> {
  const socket = new zmq.Request({ linger: 0, receiveTimeout: 2000 });
  socket.connect(endpoint);
  try {
    await socket.send(frames);
    const [reply] = await socket.receive();
    return decode(reply!, ReplySchema, typesOf(ReplySchema));
  } finally {
    socket.close();
  }
}

describe("requester and replier", () => {
  it("round-trips a command over tcp", async () => {
    const server = await echoServer();
    const client = createRequester({ endpoint: server.endpoint, timeoutMs: 1000, retries: 0 });
    cleanups.push(() => client.close());
    const reply = await client.request(createMessage<Command>("ping", {}));
    expect(reply.type).toBe("pong");
  });

  it("serialises concurrent calls on one endpoint", async () => {
    const server = await echoServer();
    const client = createRequester({ endpoint: server.endpoint, timeoutMs: 1000, retries: 0 });
    cleanups.push(() => client.close());
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => client.request(createMessage<Command>("ping", {}))),
    );
    expect(replies.every((r) => r.type === "pong")).toBe(true);
  });

  it("gives up with a typed transient error when nobody answers, then works once the peer is up", async () => {
    const probe = new zmq.Reply();
    await probe.bind("tcp://127.0.0.1:0");
    const endpoint = probe.lastEndpoint!;
    probe.close(); // a free port nobody listens on
    const retries: number[] = [];
    const client = createRequester({
      endpoint,
      timeoutMs: 150,
      retries: 2,
      peer: "collector",
      onRetry: ({ attempt }) => retries.push(attempt),
    });
    cleanups.push(() => client.close());
    await expect(client.request(createMessage<Command>("ping", {}))).rejects.toMatchObject({
      code: "SPARKY_PEER_UNAVAILABLE",
      transient: true,
    });
    expect(retries).toEqual([1, 2]);

    const replier = await startReplier({
      endpoint,
      handle: async () => createMessage<Reply>("pong", { service: "late", pid: 1, uptimeMs: 0 }),
    });
    cleanups.push(() => replier.close());
    expect((await client.request(createMessage<Command>("ping", {}))).type).toBe("pong");
  });
});

describe("closing", () => {
  it("fails a call in flight with SPARKY_CLOSED, not as a peer that did not answer", async () => {
    const silent = await startReplier({
      endpoint: "tcp://127.0.0.1:0",
      handle: () => new Promise<Reply>(() => undefined), // never answers
    });
    cleanups.push(() => silent.close());
    const client = createRequester({ endpoint: silent.endpoint, timeoutMs: 300, retries: 3 });
    const call = client.request(createMessage<Command>("ping", {}));
    setTimeout(() => client.close(), 100);
    await expect(call).rejects.toMatchObject({ code: "SPARKY_CLOSED", transient: false });
  });
});

describe("binding", () => {
  it("explains a port that is already taken", async () => {
    const first = await echoServer();
    await expect(startReplier({ endpoint: first.endpoint, handle: async () => createMessage<Reply>("pong", { service: "x", pid: 1, uptimeMs: 0 }) })).rejects.toMatchObject({
      code: "SPARKY_BIND_FAILED",
      message: expect.stringMatching(/cannot bind the command socket to tcp:\/\/127\.0\.0\.1:\d+: .*in use.*configure another port/i),
    });
    await expect(startEventBus({ input: first.endpoint, output: "tcp://127.0.0.1:0" })).rejects.toMatchObject({ code: "SPARKY_BIND_FAILED" });
  });
});

describe("replier refuses garbage with typed replies and keeps serving", () => {
  const packr = new Packr({ useRecords: false });
  const cases: [string, (Buffer | Uint8Array)[], string][] = [
    ["random bytes", [Buffer.from([0xc1, 0xff, 0x00, 0x13, 0x37])], "SPARKY_MSG_UNDECODABLE"],
    ["msgpack of the wrong shape", [packr.pack([1, 2, 3])], "SPARKY_MSG_INVALID"],
    ["an unknown type", [packr.pack({ v: PROTOCOL_VERSION, id: "x", time: new Date().toISOString(), runId: null, type: "explode", payload: {} })], "SPARKY_MSG_UNKNOWN_TYPE"],
    ["a future protocol version", [packr.pack({ v: 99, id: "x", time: new Date().toISOString(), runId: null, type: "ping", payload: {} })], "SPARKY_MSG_VERSION"],
    ["a known type with a bad payload", [packr.pack({ v: PROTOCOL_VERSION, id: "x", time: new Date().toISOString(), runId: null, type: "job.status", payload: { jobId: 7 } })], "SPARKY_MSG_INVALID"],
    ["an oversized frame", [Buffer.alloc(2 * 1024 * 1024, 1)], "SPARKY_MSG_TOO_LARGE"],
    ["two frames", [encode(createMessage<Command>("ping", {})), Buffer.from("x")], "SPARKY_MSG_FRAMES"],
  ];
  it.each(cases)("%s", async (_name, frames, code) => {
    const invalid: string[] = [];
    const server = await echoServer(invalid);
    const reply = await rawRequest(server.endpoint, frames);
    expect(reply.type).toBe("error");
    expect(reply.payload).toMatchObject({ code });
    expect(invalid).toEqual([code]);
    // still serving
    const ok = await rawRequest(server.endpoint, [encode(createMessage<Command>("ping", {}))]);
    expect(ok.type).toBe("pong");
  });

  it("answers a handler that throws with an error reply", async () => {
    const replier = await startReplier({
      endpoint: "tcp://127.0.0.1:0",
      handle: async () => {
        throw new Error("boom");
      },
    });
    cleanups.push(() => replier.close());
    const reply = await rawRequest(replier.endpoint, [encode(createMessage<Command>("ping", {}))]);
    expect(reply).toMatchObject({ type: "error", payload: { code: "SPARKY_INTERNAL", message: "boom" } });
  });
});

describe("event bus", () => {
  it("carries every event of a burst from publishers to a prefix subscriber, dropping garbage", async () => {
    const bus = await startEventBus({ input: "tcp://127.0.0.1:0", output: "tcp://127.0.0.1:0" });
    cleanups.push(() => bus.close());
    const drops: string[] = [];
    const sub = subscribeEvents(bus.output, { topics: ["collect."], onDrop: (d) => drops.push(d.code) });
    cleanups.push(() => sub.close());
    const pub = createEventPublisher(bus.input);
    cleanups.push(() => pub.close());
    const raw = new zmq.Publisher({ linger: 0 });
    raw.connect(bus.input);
    cleanups.push(() => raw.close());

    // Wait out the slow joiner: publish probes until one arrives.
    const iterator = sub[Symbol.asyncIterator]();
    const probe = createMessage<Event>("collect.progress", { jobId: "probe", message: "hi", done: null, total: null });
    let seen = false;
    const first = iterator.next().then(() => (seen = true));
    while (!seen) {
      await pub.publish(probe);
      await new Promise((r) => setTimeout(r, 20));
    }
    await first;

    const total = 20_000;
    await raw.send(["collect.progress", Buffer.from("not msgpack \xc1")]);
    // Wrong frame counts are their own fault, not an internal error.
    await raw.send(["collect.progress"]);
    await raw.send(["collect.progress", encode(probe), Buffer.from("extra")]);
    const sends: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      sends.push(pub.publish(createMessage<Event>("collect.progress", { jobId: "j", message: `m${i}`, done: i, total })));
      if (i % 1000 === 0) sends.push(pub.publish(createMessage<Event>("analyze.progress", { jobId: "j", message: "filtered", done: 0, total: 0 })));
    }
    await Promise.all(sends);
    let received = 0;
    while (received < total) {
      const next = await iterator.next();
      if (next.done) break;
      expect(next.value.type).toBe("collect.progress");
      if (next.value.type === "collect.progress" && next.value.payload.jobId === "j") received++;
    }
    expect(received).toBe(total);
    expect(drops).toEqual(["SPARKY_MSG_UNDECODABLE", "SPARKY_MSG_FRAMES", "SPARKY_MSG_FRAMES"]);
  });
});
