import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { startFakeOllama } from "./testing/fake-ollama.js";

// Runs the built client (`dist/`, as cross-process tests do) in a fresh Node: this test
// process may have loaded undici already, a child starts clean.
const CLIENT = new URL("../dist/ollama-client.js", import.meta.url).href;
const HAS_OPENSSL = spawnSync("openssl", ["version"]).status === 0;

/** In the child: a call over http and one over https, then what it loaded and what still holds it. */
const SCRIPT = `
import { ollamaClient } from ${JSON.stringify(CLIENT)};
const [http, https] = process.argv.slice(1);
const chat = await ollamaClient(http, { timeoutMs: 10000 }).chat({ model: "qwen2.5-coder:1.5b", messages: [{ role: "user", content: "hi" }] });
const tags = await ollamaClient(https, { timeoutMs: 10000 }).list();
setImmediate(() => console.log(JSON.stringify({
  chat: chat.message.content,
  tags: tags.models.map((m) => m.name),
  undici: process.moduleLoadList.filter((m) => m.includes("undici")),
  holding: process.getActiveResourcesInfo(),
})));
`;

describe.skipIf(!HAS_OPENSSL)("ollamaClient in a process of its own", () => {
  it("speaks http and https without loading undici, and lets the process exit", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sparky-tls-"));
    const fake = await startFakeOllama({ script: () => ({ content: "hello" }) });
    try {
      const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
      const made = spawnSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert]);
      expect(made.status, String(made.stderr)).toBe(0);
      const tls = createServer({ key: await readFile(key), cert: await readFile(cert) }, (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" }).end('{"models":[{"name":"over-tls","model":"over-tls"}]}');
      });
      await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
      try {
        const { port } = tls.address() as { port: number };
        // The child exits once its work is done (execFile waits for that): kept-alive sockets must not hold it.
        const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", SCRIPT, fake.url, `https://127.0.0.1:${port}/`], {
          env: { ...process.env, NODE_EXTRA_CA_CERTS: cert },
        });
        const seen = JSON.parse(stdout) as { chat: string; tags: string[]; undici: string[]; holding: string[] };
        expect(seen).toMatchObject({ chat: "hello", tags: ["over-tls"], undici: [] });
        expect(seen.holding.filter((h) => /TCP|TLS/.test(h))).toEqual([]);
      } finally {
        tls.closeAllConnections();
        await new Promise<void>((resolve) => tls.close(() => resolve()));
      }
    } finally {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
