import { describe, expect, it } from "vitest";
import { createEventsSettle, eventsSettleFor } from "./events-settle.js";

function fakeTime() {
  let at = 1000;
  const slept: number[] = [];
  return {
    now: () => at,
    advance: (ms: number) => (at += ms),
    slept,
    sleep: async (ms: number) => {
      slept.push(ms);
      at += ms;
    },
  };
}

describe("createEventsSettle", () => {
  it("waits for publishes under way and gives the newest its moment, but not an old one", async () => {
    const time = fakeTime();
    const settle = createEventsSettle(50, time.now, time.sleep);
    await settle.settled();
    expect(time.slept).toEqual([]); // nothing sent, nothing to wait for

    let take!: () => void;
    const sent = settle.track(new Promise<void>((resolve) => (take = resolve)));
    let settled = false;
    const done = settle.settled().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false); // the socket has not taken it yet
    time.advance(30);
    take();
    await sent;
    time.advance(20);
    await done;
    expect(time.slept).toEqual([30]); // the rest of its 50 ms, counted from when it was taken

    time.advance(500);
    await settle.settled();
    expect(time.slept).toEqual([30]); // long after the last send, closing does not wait again
  });

  it("counts a failed publish as done", async () => {
    const time = fakeTime();
    const settle = createEventsSettle(50, time.now, time.sleep);
    await expect(settle.track(Promise.reject(new Error("closed")))).rejects.toThrow("closed");
    await settle.settled();
    expect(time.slept).toEqual([50]);
  });

  it("waits for nothing on a bus inside this process (inproc://), the moment over tcp", async () => {
    for (const [endpoint, waits] of [
      ["inproc://sparky-1-events-in", []],
      ["tcp://127.0.0.1:5556", [50]],
    ] as const) {
      const time = fakeTime();
      const settle = eventsSettleFor(endpoint, time.now, time.sleep);
      await settle.track(Promise.resolve());
      await settle.settled();
      expect(time.slept).toEqual(waits);
    }
  });
});
