// Container health check: GET /health on this container's service.
//
// The service is the argument after `serve` on PID 1's command line (the image's entry
// point is `tini -- node .../sparky.js serve <service>`), or the first argument here. Its
// HTTP port comes from the same config the service read (config/$SPARKY_ENV.toml or
// SPARKY_CONFIG, with SPARKY_* overrides), so a moved port is followed.
// Exit 0 healthy, 1 not.
import { readFileSync } from "node:fs";

const SERVICES = ["orchestrator", "collector", "analyzer", "generator", "publisher"];

function serviceName() {
  if (process.argv[2]) return process.argv[2];
  try {
    const args = readFileSync("/proc/1/cmdline", "utf8").split("\0");
    const at = args.indexOf("serve");
    if (at >= 0) return args[at + 1];
  } catch {
    // not Linux, or /proc not mounted
  }
  return undefined;
}

const name = serviceName();
if (!SERVICES.includes(name ?? "")) {
  console.error(`healthcheck: cannot tell which service runs here (got ${JSON.stringify(name)}); pass one of ${SERVICES.join(", ")}`);
  process.exit(1);
}

try {
  const { loadConfig } = await import(new URL("../packages/harness/dist/index.js", import.meta.url).href);
  const { config } = loadConfig();
  const port = name === "orchestrator" ? config.orchestrator.http_port : config[name].http_port;
  const bound = name === "orchestrator" ? config.orchestrator.bind_address : config.bind_host;
  const host = ["0.0.0.0", "::", "[::]"].includes(bound) ? "127.0.0.1" : bound;
  const response = await fetch(`http://${host.includes(":") ? `[${host}]` : host}:${port}/health`, { signal: AbortSignal.timeout(4000) });
  if (!response.ok) {
    console.error(`healthcheck: ${name} answered ${response.status} on :${port}/health`);
    process.exit(1);
  }
  process.exit(0);
} catch (error) {
  console.error(`healthcheck: ${name}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
