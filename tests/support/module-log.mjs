// Preloaded with `node --import`: appends the path of every module file the process loads to
// the file SPARKY_MODULE_LOG names. ES modules through a loader hook (module-log-hooks.mjs);
// CommonJS ones (prom-client requires its own files) from require's cache at exit.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const log = process.env.SPARKY_MODULE_LOG;
if (log) {
  register("./module-log-hooks.mjs", import.meta.url, { data: { log } });
  const cache = createRequire(import.meta.url).cache;
  process.on("exit", () => appendFileSync(log, Object.keys(cache).map((path) => `${path}\n`).join("")));
}
