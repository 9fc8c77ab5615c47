import { join } from "node:path";
import { GitFixture } from "./git-fixture.js";

/**
 * Month-long git histories in the commit styles of real projects, for the theme tests:
 * what the subjects say and which files they touch, shaped after a real month of each
 * (see bench/theme-shares.mjs, which measures the real ones).
 *
 * - `plain`: expressjs/express, March 2024: plain-English subjects ("Update Security.md",
 *   "Prevent open redirect ..."), a few `docs:`/`deps:`/`build:` prefixes, version-only
 *   release commits ("4.19.0"), merges of release tags into another branch.
 * - `conventional`: fastify/fastify: Conventional Commits without scopes, `Bumped v5.1.0` releases.
 * - `monorepo`: vitejs/vite: `fix(hmr): ...` scopes, `packages/<name>` folders, `release: v5.2.0`.
 * - `prefix`: tokio-rs/tokio: `area: subject` (`sync: ...`), crates as top-level folders,
 *   `chore: prepare tokio v1.37.0 (#6434)` releases.
 */
export type CommitStyle = "plain" | "conventional" | "monorepo" | "prefix";

/** One commit: subject and files; `merge` makes it a merge of a one-commit side branch instead. */
type Entry = [subject: string, files: string[]] | { merge: string; side: [string, string[]] };

const repeat = (n: number, entry: (i: number) => Entry): Entry[] => Array.from({ length: n }, (_, i) => entry(i));

const STYLES: Record<CommitStyle, Entry[]> = {
  plain: [
    ...["4.19.0", "4.19.1", "4.19.2", "5.0.0-beta.2", "5.0.0-beta.3"].map((v): Entry => [v, ["History.md", "package.json"]]),
    { merge: "Merge tag '4.19.1' into 5.x", side: ["Allow passing non-strings to res.location", ["lib/response.js", "test/res.location.js", "History.md"]] },
    { merge: "Merge branch '5.0' into 5.x", side: ["Improved fix for open redirect allow list bypass", ["lib/response.js", "test/res.location.js"]] },
    ...repeat(3, (i) => [`Update Security.md (${i + 1})`, ["Security.md"]]),
    ...repeat(2, (i) => [`Update Release-Process.md (${i + 1})`, ["Release-Process.md"]]),
    ...["remove examples from the ignore", "add develop to branches", "crib fastify's ci concurrency logic", "update ci push trigger"].map(
      (s): Entry => [s, [".github/workflows/ci.yml"]],
    ),
    ["Prevent open redirect allow list bypass due to encodeurl", ["lib/response.js", "test/res.location.js"]],
    ["fixed un-edited version in history.md", ["History.md"]],
    ["remove duplicate location test for data uri", ["test/res.location.js"]],
    ...repeat(3, (i) => [`docs: update the contributing rules (${i + 1})`, ["Contributing.md"]]),
    ["deps: cookie@0.6.0", ["package.json", "test/res.cookie.js"]],
    ...repeat(2, (i) => [`build: fix the build on older versions (${i + 1})`, ["test/res.status.js"]]),
    ["feat: document beta releases expectations", ["Release-Process.md"]],
    ["refactor: reword to pre-releases", ["Release-Process.md"]],
  ],
  conventional: [
    ...repeat(12, (i) => [`test: cover the ${["router", "hooks", "schema", "logger"][i % 4]} case ${i + 1}`, [`test/case-${i}.test.js`]]),
    ...repeat(6, (i) => [`chore: tidy the ${["scripts", "config", "linter"][i % 3]} (${i + 1})`, ["package.json"]]),
    ...repeat(5, (i) => [`fix: handle the ${["empty", "long", "odd"][i % 3]} payload (${i + 1})`, ["lib/reply.js", `test/fix-${i}.test.js`]]),
    ...repeat(3, (i) => [`refactor: split the ${["reply", "request", "hooks"][i]} module`, ["lib/reply.js"]]),
    ...repeat(3, (i) => [`docs: explain the ${["hooks", "schema", "logger"][i]}`, [`docs/Reference/${i}.md`]]),
    ...repeat(2, (i) => [`Types for the ${["reply", "request"][i]} decorators`, [`types/${i}.d.ts`]]),
    ["feat: add the reply.trailer helper", ["lib/reply.js", "test/trailer.test.js"]],
    ["ci: run on Node 22", [".github/workflows/ci.yml"]],
    ["Bumped v5.1.0", ["package.json", "fastify.js"]],
  ],
  monorepo: [
    ...repeat(10, (i) => [`fix: ${["resolve", "watch", "build", "preview", "config"][i % 5]} edge case ${i + 1}`, [`packages/vite/src/node/${i}.ts`]]),
    ...repeat(6, (i) => [`fix(hmr): keep state on update ${i + 1}`, [`packages/vite/src/client/hmr-${i}.ts`]]),
    ...repeat(5, (i) => [`${i % 2 ? "chore" : "fix"}(deps): update all non-major dependencies (${i + 1})`, ["package.json", "pnpm-lock.yaml", "packages/vite/package.json"]]),
    ...repeat(5, (i) => [`docs: clarify the ${["config", "plugin", "ssr", "env", "build"][i]} guide`, [`docs/guide/${i}.md`]]),
    ...repeat(4, (i) => [`feat(css): support ${["lightningcss", "layers", "nesting", "modules"][i]}`, [`packages/vite/src/node/plugins/css-${i}.ts`]]),
    ...repeat(3, (i) => [`feat(create-vite): add the ${["solid", "qwik", "lit"][i]} template`, [`packages/create-vite/template-${i}/index.html`]]),
    ...repeat(3, (i) => [`release: v5.2.${i}`, ["packages/vite/package.json", "packages/vite/CHANGELOG.md"]]),
    ...repeat(2, (i) => [`chore: format the ${["playground", "scripts"][i]}`, [`playground/${i}.ts`]]),
    ["perf: cache the resolved config", ["packages/vite/src/node/config.ts"]],
    ["refactor(ssr): share the module runner", ["packages/vite/src/node/ssr/runner.ts"]],
  ],
  prefix: [
    ...repeat(8, (i) => [`sync: ${["fix", "add", "document", "test"][i % 4]} the ${["Notify", "mpsc", "watch", "Semaphore"][i % 4]} path ${i + 1}`, [`tokio/src/sync/${i}.rs`]]),
    ...repeat(6, (i) => [`net: ${["fix", "add"][i % 2]} the socket option ${i + 1}`, [`tokio/src/net/${i}.rs`]]),
    ...repeat(4, (i) => [`rt: ${["fix", "add"][i % 2]} a metric ${i + 1}`, [`tokio/src/runtime/${i}.rs`]]),
    ...repeat(4, (i) => [`util: add a codec helper ${i + 1}`, [`tokio-util/src/codec/${i}.rs`]]),
    ...repeat(3, (i) => [`chore: ${["fix", "bump", "silence"][i]} the clippy lints`, [".github/workflows/ci.yml"]]),
    ...repeat(2, (i) => [`docs: fix a typo in the ${["io", "time"][i]} docs`, [`tokio/src/${["io", "time"][i]}/mod.rs`]]),
    ["macros: accept a path to the crate", ["tokio-macros/src/entry.rs"]],
    ["stream: add StreamExt::chunks_timeout", ["tokio-stream/src/stream_ext.rs"]],
    ["ci: test on the nightly toolchain", [".github/workflows/ci.yml"]],
    ["chore: prepare tokio v1.37.0 (#6434)", ["tokio/Cargo.toml", "tokio/CHANGELOG.md"]],
    ["chore: prepare tokio-util v0.7.11 (#6435)", ["tokio-util/Cargo.toml", "tokio-util/CHANGELOG.md"]],
  ],
};

const PEOPLE = ["Ada", "Grace", "Linus", "Barbara", "Ken"];

/**
 * A repository at `<root>/<style>` whose history before `month` is one commit and whose
 * month is the style's entries, oldest first, one every ~18 hours from the 1st.
 */
export function buildStyledRepository(root: string, style: CommitStyle, month = "2024-03"): { dir: string; commits: number } {
  const repo = new GitFixture(join(root, style));
  repo.commit({ at: "2020-01-01T00:00:00Z", author: "Ada", email: "ada@example.com", subject: "initial", files: { "README.md": "start\n" } });
  let n = 0;
  const next = () => {
    const at = new Date(Date.parse(`${month}-01T08:00:00Z`) + n * 18 * 3_600_000).toISOString();
    const person = PEOPLE[n % PEOPLE.length]!;
    n += 1;
    return { at, author: person, email: `${person.toLowerCase()}@example.com` };
  };
  const write = ([subject, files]: [string, string[]]) =>
    repo.commit({ ...next(), subject, files: Object.fromEntries(files.map((f) => [f, `${subject}\n${n}\n`])) });
  for (const entry of STYLES[style]) {
    if (Array.isArray(entry)) {
      write(entry);
      continue;
    }
    repo.git("checkout", "-q", "-b", `side-${n}`);
    write(entry.side);
    repo.git("checkout", "-q", "main");
    repo.merge(`side-${n - 1}`, { ...next(), subject: entry.merge });
  }
  return { dir: repo.dir, commits: n };
}
