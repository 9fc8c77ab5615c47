import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { refusedAt } from "./refused-at.js";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("refusedAt", () => {
  it("says so when nothing listens, and stays silent when something does", async () => {
    const closed = await freePort();
    expect(await refusedAt(`http://127.0.0.1:${closed}`)).toBe("connection refused");

    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await refusedAt(`http://127.0.0.1:${port}/`)).toBeNull();
      expect(await refusedAt(`http://localhost:${port}`)).toBeNull();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("names a host that does not resolve, and leaves unusual URLs to the HTTP request", async () => {
    expect(await refusedAt("http://sparky-no-such-host.invalid:11434")).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
    expect(await refusedAt("not a url")).toBeNull();
    expect(await refusedAt("unix:///var/run/ollama.sock")).toBeNull();
  });
});
