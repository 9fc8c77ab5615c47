// Loader hooks of module-log.mjs: they run on a thread of their own, so they write the file directly.
import { appendFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

let log;
export function initialize(data) {
  log = data.log;
}

export async function load(url, context, next) {
  if (url.startsWith("file:")) appendFileSync(log, `${fileURLToPath(url)}\n`);
  return next(url, context);
}
