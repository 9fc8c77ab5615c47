import { describe, expect, it } from "vitest";
import { ollamaBaseUrl } from "./ollama-host.js";

describe("ollamaBaseUrl", () => {
  it("reads a host as the ollama package did", () => {
    expect(ollamaBaseUrl("http://localhost:11434")).toBe("http://localhost:11434");
    expect(ollamaBaseUrl("http://ollama:11434/")).toBe("http://ollama:11434");
    expect(ollamaBaseUrl("127.0.0.1:8080")).toBe("http://127.0.0.1:8080");
    expect(ollamaBaseUrl("ollama")).toBe("http://ollama:11434");
    expect(ollamaBaseUrl(":9999")).toBe("http://127.0.0.1:9999");
    expect(ollamaBaseUrl("")).toBe("http://127.0.0.1:11434");
    expect(ollamaBaseUrl("https://llm.example.com/")).toBe("https://llm.example.com:443");
    expect(ollamaBaseUrl("http://proxy.example.com/ollama/")).toBe("http://proxy.example.com:80/ollama");
    expect(ollamaBaseUrl("https://me:s%40cret@[::1]:8443")).toBe("https://me:s%40cret@[::1]:8443");
  });
});
