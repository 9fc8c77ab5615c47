// Runs packages/cli/bundle/main.cjs (scripts/bundle-cli.mjs) with V8's code cache: compiled
// once, by the first run of each command, then read back instead of compiled again. Node 20
// has no compile cache of its own. A cache V8 rejects (another Node, other flags, a new
// bundle) is replaced after the run; one that cannot be written is simply not kept.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Script } from "node:vm";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const DIR = new URL("../bundle/", import.meta.url);
const FILE = fileURLToPath(new URL("main.cjs", DIR));

/**
 * @param {string} command one of bin/sparky.js's PIPELINE: each keeps its own cache
 * @returns {{ main: (argv: string[]) => Promise<number>, keepCache: () => void }}
 */
export function loadBundle(command) {
  const cacheFile = fileURLToPath(new URL(`cache/${command}.v8`, DIR));
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const source = readFileSync(FILE, "utf8");
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __sparkyImport, __sparkyFileUrl) {${source}\n})`, { filename: FILE, cachedData });
  const module = { exports: {} };
  // For the bundle's `import("<external>")` and `import.meta.url`: paths relative to the bundle.
  const fileUrl = (path) => new URL(path, DIR).href;
  const importExternal = (path) => import(fileUrl(path));
  script.runInThisContext()(module.exports, createRequire(FILE), module, FILE, fileURLToPath(DIR), importExternal, fileUrl);
  const keepCache = () => {
    if (cachedData && !script.cachedDataRejected) return;
    const temp = `${cacheFile}.${process.pid}.tmp`;
    try {
      mkdirSync(fileURLToPath(new URL("cache/", DIR)), { recursive: true });
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, cacheFile);
      removeOrphans(command);
    } catch {
      rmSync(temp, { force: true });
    }
  };
  return { main: module.exports.main, keepCache };
}

/**
 * The temp files of runs killed while writing this command's cache (kill -9, a power cut):
 * a run that finds no cache writes one, so the leftovers go then. A file of a process still
 * alive is its write in progress, and is left to it.
 */
function removeOrphans(command) {
  const dir = fileURLToPath(new URL("cache/", DIR));
  const pattern = new RegExp(`^${command}\\.v8\\.(\\d+)\\.tmp$`);
  for (const name of readdirSync(dir)) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (pid && pid !== process.pid && !isAlive(pid)) rmSync(join(dir, name), { force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM"; // someone else's process: alive
  }
}
