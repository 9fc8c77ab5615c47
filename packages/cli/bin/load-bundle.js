// Runs packages/cli/bundle/main.cjs (scripts/bundle-cli.mjs) with V8's code cache: compiled
// once, by the first run of each command, then read back instead of compiled again. Node 20
// has no compile cache of its own. A cache V8 rejects (another Node, other flags, a new
// bundle) is replaced after the run; one that cannot be written is simply not kept.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Script } from "node:vm";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const DIR = new URL("../bundle/", import.meta.url);
const FILE = fileURLToPath(new URL("main.cjs", DIR));

/**
 * @param {string} command one of bin/sparky.js's PIPELINE: each keeps its own cache
 * @returns {{ main: (argv: string[]) => Promise<number>, keepCache: () => void }}
 */
export function loadBundle(command) {
  // For the bundle's `import("<external>")` and `import.meta.url`: paths relative to the bundle.
  const fileUrl = (path) => new URL(path, DIR).href;
  const { exports, keepCache } = runWithCodeCache(FILE, fileURLToPath(new URL(`cache/${command}.v8`, DIR)), {
    require: createRequire(FILE),
    globals: { __sparkyImport: (path) => import(fileUrl(path)), __sparkyFileUrl: fileUrl },
  });
  return { main: exports.main, keepCache };
}

/**
 * Run the CommonJS file `file` with the code cache in `cacheFile` (bench/git-scan-cache.mjs
 * runs its own bundle this way too). `globals` are more names the file's code is given.
 * `keepCache()`, after the work, writes the cache when there was none or V8 rejected it.
 * @param {string} file
 * @param {string} cacheFile
 * @param {{ require: NodeJS.Require, globals?: Record<string, unknown> }} options
 */
export function runWithCodeCache(file, cacheFile, { require, globals = {} }) {
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const names = Object.keys(globals);
  const source = readFileSync(file, "utf8");
  const script = new Script(`(function (exports, require, module, __filename, __dirname, ${names.join(", ")}) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, file, dirname(file), ...names.map((name) => globals[name]));
  const cached = cachedData !== undefined && !script.cachedDataRejected;
  const keepCache = () => {
    if (cached) return;
    const temp = `${cacheFile}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, cacheFile);
      removeOrphans(cacheFile);
    } catch {
      rmSync(temp, { force: true });
    }
  };
  return { exports: module.exports, cached, keepCache };
}

/**
 * The temp files of runs killed while writing this cache (kill -9, a power cut): a run that
 * finds no cache writes one, so the leftovers go then. A file of a process still alive is its
 * write in progress, and is left to it.
 */
function removeOrphans(cacheFile) {
  const prefix = `${basename(cacheFile)}.`;
  for (const name of readdirSync(dirname(cacheFile))) {
    const pid = name.startsWith(prefix) && name.endsWith(".tmp") ? Number(name.slice(prefix.length, -".tmp".length)) : 0;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid)) rmSync(join(dirname(cacheFile), name), { force: true });
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
