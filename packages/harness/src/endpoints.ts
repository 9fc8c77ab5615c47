import { randomBytes } from "node:crypto";
import { bindAddress } from "@sparky/transport";
import type { SparkyConfig, StageServiceName } from "./config-schema.js";

export interface EndpointPair {
  /** What the owning service binds. */
  bind: string;
  /** What the others connect to. */
  connect: string;
}

export interface Endpoints {
  stages: Record<StageServiceName, EndpointPair>;
  /** Event bus input (stages publish) and output (anyone subscribes), bound by the orchestrator. */
  eventsIn: EndpointPair;
  eventsOut: EndpointPair;
}

export type TransportMode = "tcp" | "inproc";

/**
 * The transport is configuration: services get endpoints and never know whether they
 * are separate processes (tcp) or five services in one process (inproc).
 */
export function resolveEndpoints(config: SparkyConfig, mode: TransportMode): Endpoints {
  if (mode === "inproc") {
    // A fresh namespace per call: two embedded pipelines in one process never cross.
    const ns = `sparky-${randomBytes(4).toString("hex")}`;
    const pair = (name: string) => ({ bind: `inproc://${ns}-${name}`, connect: `inproc://${ns}-${name}` });
    return {
      stages: { collector: pair("collector"), analyzer: pair("analyzer"), generator: pair("generator"), publisher: pair("publisher") },
      eventsIn: pair("events-in"),
      eventsOut: pair("events-out"),
    };
  }
  const stage = (name: StageServiceName) => ({
    connect: config[name].endpoint,
    bind: bindAddress(config[name].endpoint, config.bind_host),
  });
  const o = config.orchestrator;
  return {
    stages: { collector: stage("collector"), analyzer: stage("analyzer"), generator: stage("generator"), publisher: stage("publisher") },
    eventsIn: { bind: `tcp://${o.bind_address}:${o.event_port}`, connect: `tcp://${o.host}:${o.event_port}` },
    eventsOut: { bind: `tcp://${o.bind_address}:${o.event_sub_port}`, connect: `tcp://${o.host}:${o.event_sub_port}` },
  };
}
