// Shared by this package's tests (excluded from the build).
import type { RequestListener } from "node:http";
import { createLogger } from "@sparky/harness";
import type { Logger } from "@sparky/harness";
import type { LlmSettings } from "./llm-settings.js";
import { llmTestSettings } from "./testing/llm-test-settings.js";

export function settingsFor(host: string, overrides: Partial<LlmSettings> = {}): LlmSettings {
  return llmTestSettings(host, overrides);
}

/** A logger whose lines are kept for the test to read. */
export function capturingLogger(): { log: Logger; lines: () => Array<Record<string, unknown>> } {
  const raw: string[] = [];
  const log = createLogger({ service: "test", level: "debug", destination: { write: (line: string) => void raw.push(line) } });
  return { log, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** A loopback URL nothing listens on. */
export async function refusedUrl(): Promise<string> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A loopback HTTP server answering with `handler`, for tests of the Ollama client's edges. */
export async function testServer(handler: RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const { createServer } = await import("node:http");
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
