import { Agent, request as httpRequest } from "node:http";
import type { ClientRequest, RequestOptions } from "node:http";

export type Transport = (url: URL, options: RequestOptions) => ClientRequest;

// Kept-alive sockets save a handshake per call (a digest makes dozens); a free socket is
// unref'd by the agent, so it never holds the process open, and closed after 5 s idle.
const AGENT_OPTIONS = { keepAlive: true, scheduling: "lifo", timeout: 5_000 } as const;

let http: Transport | undefined;
let https: Transport | undefined;

/**
 * How to send a request to a URL of this protocol: node:http, or node:https loaded the first
 * time an https host is asked (TLS and crypto cost 1 to 2 MiB that a local Ollama never
 * needs). getBuiltinModule, not import(): the CLI's bundle runs from V8's code cache, where
 * Node 20 has no import() callback.
 */
export function transportFor(protocol: string): Transport {
  if (protocol === "http:") {
    if (!http) {
      const agent = new Agent(AGENT_OPTIONS);
      http = (url, options) => httpRequest(url, { ...options, agent });
    }
    return http;
  }
  if (protocol === "https:") {
    if (!https) {
      const tls = process.getBuiltinModule("node:https");
      const agent = new tls.Agent(AGENT_OPTIONS);
      https = (url, options) => tls.request(url, { ...options, agent });
    }
    return https;
  }
  throw new Error(`unsupported protocol ${protocol} in Ollama's URL: use http:// or https://`);
}
