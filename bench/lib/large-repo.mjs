// The large repositories the benchmarks read, generated with `git fast-import` (deterministic).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { random } from "./random.mjs";

const PEOPLE = [
  ["Ada Lovelace", "ada@example.com"],
  ["Grace Hopper", "grace@example.com"],
  ["Linus Torvalds", "linus@example.com"],
  ["Margaret Hamilton", "margaret@example.com"],
  ["Ken Thompson", "ken@example.com"],
  ["Barbara Liskov", "barbara@example.com"],
  ["Dennis Ritchie", "dennis@example.com"],
  ["Frances Allen", "frances@example.com"],
  ["Edsger Dijkstra", "edsger@example.com"],
  ["Radia Perlman", "radia@example.com"],
  ["Donald Knuth", "don@example.com"],
  ["Katherine Johnson", "katherine@example.com"],
  ["dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"],
  ["renovate-bot", "bot@renovateapp.com"],
];

/**
 * Generate `commits` commits into a new bare repository at `path` with git fast-import:
 * several authors and bots, a feature branch merged every 40 commits, ~3.5% of commits dated
 * out of order. `maxLines` caps the files' length: the 500,000-commit history keeps files
 * tiny so the generator writes megabytes, not gigabytes. Returns what it made.
 */
export async function generateRepository({ path, commits: TARGET_COMMITS, start: HISTORY_START, end: HISTORY_END, maxLines = 120, seed = 20261126 }) {
  const REPO = path;
  rmSync(REPO, { recursive: true, force: true });
  mkdirSync(REPO, { recursive: true });
  await run("git", ["init", "-q", "--bare", "-b", "main", REPO]);
  const rand = random(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

  const files = new Map(); // path -> lines
  const newLine = () => `value_${int(0, 1e9).toString(36)} = compute(${int(0, 9999)}, "${int(0, 1e6).toString(36)}");`;
  const newFile = (lines) => Array.from({ length: Math.min(lines, maxLines) }, newLine);
  const mainFiles = [];
  for (let i = 0; i < 600; i++) {
    const path = `src/module${i % 24}/file${i}.ts`;
    mainFiles.push(path);
    files.set(path, newFile(int(20, 60)));
  }
  const sideFiles = Array.from({ length: 40 }, (_, i) => `side/feature${i}.ts`);
  for (const path of sideFiles) files.set(path, newFile(int(10, 30)));

  const child = spawn("git", ["fast-import", "--quiet", "--done", "--date-format=raw"], {
    cwd: REPO,
    stdio: ["pipe", "inherit", "inherit"],
  });
  const exited = new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited with ${code}`))));
  });
  let pending = [];
  let pendingBytes = 0;
  const write = async (text) => {
    pending.push(text);
    pendingBytes += text.length;
    if (pendingBytes < 1 << 20) return;
    const chunk = pending.join("");
    pending = [];
    pendingBytes = 0;
    if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once("drain", resolve));
  };
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;

  const step = (HISTORY_END - HISTORY_START) / TARGET_COMMITS;
  let mark = 0;
  let count = 0;
  let outOfOrder = 0;
  let merges = 0;
  const commitTime = () => {
    let t = HISTORY_START + count * step + int(-600, 600);
    const r = rand();
    // Some history is dated out of order: imported, skewed clocks, old committer dates kept.
    if (r < 0.03) (t -= int(1, 60) * 86_400), outOfOrder++;
    else if (r < 0.035) (t += int(1, 30) * 86_400), outOfOrder++;
    return Math.floor(t);
  };

  /** Change 1-3 files: rewrite, insert and delete lines, now and then create a file. */
  async function commit(ref, fileSet, options = {}) {
    mark += 1;
    count += 1;
    const [name, email] = options.person ?? pick(PEOPLE);
    const committed = commitTime();
    const authored = committed - int(0, 5 * 86_400);
    const changed = new Set();
    for (let n = int(1, 3); n > 0; n--) {
      let path = pick(fileSet);
      if (fileSet === mainFiles && rand() < 0.01) {
        path = `src/module${int(0, 23)}/new${mark}.ts`;
        mainFiles.push(path);
        files.set(path, []);
      }
      const lines = files.get(path);
      for (let k = int(0, 4); k > 0 && lines.length > 0; k--) lines[int(0, lines.length - 1)] = newLine();
      for (let k = int(0, 3); k > 0; k--) lines.splice(int(0, lines.length), 0, newLine());
      if (lines.length > maxLines) lines.splice(int(0, lines.length - Math.min(20, maxLines)), int(Math.min(5, maxLines), Math.min(20, maxLines)));
      changed.add(path);
    }
    let text = `commit ${ref}\nmark :${mark}\n`;
    text += `author ${name} <${email}> ${authored} +0000\ncommitter ${name} <${email}> ${committed} +0000\n`;
    text += data(options.message ?? `Update ${[...changed][0]} (#${mark})`);
    if (options.from) text += `from :${options.from}\n`;
    if (options.merge) text += `merge :${options.merge}\n`;
    for (const path of options.extra ?? []) changed.add(path);
    for (const path of changed) text += `M 100644 inline ${path}\n${data(files.get(path).join("\n") + "\n")}`;
    await write(text);
    return { mark, changed };
  }

  let mainTip = 0;
  while (count < TARGET_COMMITS) {
    // A feature branch now and then: a few commits on side/, main moves on, then a merge.
    if (count > 0 && count % 40 === 0) {
      const base = mainTip;
      const touched = new Set();
      let sideTip = 0;
      for (let k = int(2, 4); k > 0; k--) {
        const made = await commit("refs/heads/side", sideFiles, sideTip === 0 ? { from: base } : {});
        sideTip = made.mark;
        for (const path of made.changed) touched.add(path);
      }
      for (let k = int(1, 2); k > 0; k--) mainTip = (await commit("refs/heads/main", mainFiles, { from: mainTip })).mark;
      const merged = await commit("refs/heads/main", mainFiles, {
        from: mainTip,
        merge: sideTip,
        message: `Merge branch 'side' (#${mark + 1})`,
        extra: [...touched],
      });
      mainTip = merged.mark;
      merges += 1;
      continue;
    }
    mainTip = (await commit("refs/heads/main", mainFiles, mainTip ? { from: mainTip } : {})).mark;
  }
  await write("done\n");
  child.stdin.end(pending.join(""));
  await exited;
  await run("git", ["-C", REPO, "update-ref", "-d", "refs/heads/side"]);
  return { commits: count, merges, outOfOrder, files: files.size };
}

export function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "inherit"], ...options });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}`))));
  });
}

/** The generated repository at `path`, generated once and then reused (`done` records its figures). */
export async function ensureRepository(options, log = console.log) {
  const done = `${options.path.replace(/\.git$/, "")}.json`;
  if (existsSync(done) && existsSync(options.path)) {
    log(`repository: ${options.path} (cached)`);
    return JSON.parse(readFileSync(done, "utf8"));
  }
  const t = performance.now();
  log(`repository: generating ${options.path} with git fast-import ...`);
  mkdirSync(dirname(options.path), { recursive: true });
  const stats = await generateRepository(options);
  writeFileSync(done, `${JSON.stringify(stats)}\n`);
  log(`repository: generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return stats;
}
