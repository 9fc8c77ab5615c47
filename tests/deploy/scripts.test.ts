// The justfile's deployment recipes and the Nushell scripts behind them: in --dry-run they
// print the commands a real run would execute (checked here against the manifests they
// deploy) and change nothing; without --dry-run they refuse, naming what is missing. The
// scripts and recipes run for real (the project's own `nu` and `just`), with fake kubectl,
// docker, k3d and k3sup on PATH that record their arguments where a cluster or a Docker
// engine would be needed; collect.nu drives a real served orchestrator's runs API.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, named, render } from "./support.js";
import type { Obj } from "./support.js";
import { freePort, runSparky, waitReady } from "../support/processes.js";
import type { Proc } from "../support/processes.js";

const NU = join(ROOT, "node_modules/nushell/lib/index.js");
let home: string;

/** A PATH holding only these tools (node is always there: nushell's launcher is a node script). */
function pathWith(tools: string[]): string {
  const dir = join(home, `bin-${tools.join("-") || "none"}`);
  mkdirSync(dir, { recursive: true });
  for (const tool of ["node", ...tools]) {
    const found = tool === "node" ? process.execPath : spawnSync("which", [tool], { encoding: "utf8" }).stdout.trim();
    if (found) {
      try {
        symlinkSync(found, join(dir, tool));
      } catch {
        // already linked
      }
    }
  }
  return dir;
}

function nu(script: string, args: string[], env: Record<string, string> = {}, tools = ["git", "kubectl"]) {
  const result = spawnSync(process.execPath, [NU, join(ROOT, "scripts", script), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { HOME: home, PATH: pathWith(tools), ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, commands: result.stdout.split("\n").filter((l) => l.startsWith("+ ")) };
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "sparky-nu-"));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

// === Fake tools: kubectl, docker, k3d and k3sup that record each call ===

const REAL_KUBECTL = spawnSync("which", ["kubectl"], { encoding: "utf8" }).stdout.trim();
const JUST = join(ROOT, "node_modules/.bin/just");

/**
 * What the fakes do: record {tool, args, stdin} as a JSON line in $FAKE_LOG, then answer as a
 * reachable cluster with no Secret yet and no k3d cluster would. `kubectl kustomize` is
 * offline, so it runs the real kubectl: the scripts render the real overlays.
 */
const FAKE_TOOL = `
const fs = require("node:fs");
const { spawnSync } = require("node:child_process");
const [tool, ...args] = process.argv.slice(2);
const i = args.indexOf("-f");
const stdin = i >= 0 && args[i + 1] === "-" ? fs.readFileSync(0, "utf8") : undefined;
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify({ tool, args, stdin }) + "\\n");
const has = (...words) => words.every((w) => args.includes(w));
if (tool === "kubectl" && has("kustomize")) process.exit(spawnSync(process.env.REAL_KUBECTL, args, { stdio: "inherit" }).status ?? 1);
if (tool === "kubectl" && has("get", "namespace")) console.log("namespace/sparky");
if (tool === "docker" && args[0] === "info") console.log("27.0.0");
if (tool === "k3d" && has("cluster", "get")) process.exit(1);
`;

interface Call {
  tool: string;
  args: string[];
  stdin?: string;
}

/** A PATH of fakes for these tools, the real git and node, and what the shims of node_modules/.bin and just's bash need. */
function fakePath(fakes: string[]): string {
  const dir = join(home, `fakes-${fakes.join("-")}`);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(home, "fake-tool.cjs"), FAKE_TOOL);
    for (const tool of fakes) {
      writeFileSync(join(dir, tool), `#!/bin/sh\nexec "${process.execPath}" "${join(home, "fake-tool.cjs")}" ${tool} "$@"\n`, { mode: 0o755 });
    }
  }
  return `${dir}:${pathWith(["git", "bash", "sh", "dirname", "sed", "uname", "rm"])}`;
}

/** Run a command with only the fakes (and git, node, a shell) on PATH; returns its output and the fakes' calls. */
function runWithFakes(cmd: string, args: string[], env: Record<string, string> = {}, fakes = ["kubectl", "docker", "k3d", "k3sup"]) {
  const log = join(mkdtempSync(join(home, "log-")), "calls.jsonl");
  writeFileSync(log, "");
  const result = spawnSync(cmd, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { HOME: home, PATH: fakePath(fakes), FAKE_LOG: log, REAL_KUBECTL, ...env },
    // stdin not a socket (or bash, which just runs recipes with, reads /etc/bash.bashrc) nor a terminal
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 60_000,
  });
  const calls = readFileSync(log, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Call);
  const lines = result.stdout.split("\n").filter((l) => l.trim());
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, calls, last: lines.at(-1) };
}

/** Does nushell's error text (wrapped at any space or hyphen, each line prefixed "|") say this? */
const says = (stderr: string, text: string) => stderr.replace(/[\s|]/g, "").includes(text.replace(/[\s|]/g, ""));

/** A recipe run by the project's `just` (node_modules/.bin/just), which is not on PATH. */
const just = (recipe: string, args: string[] = [], env: Record<string, string> = {}) => runWithFakes(JUST, [recipe, ...args], env);

/** A kubeconfig as `just k3s-install-dgx` writes it (context sparky-dgx), or with other contexts. */
function kubeconfig(name: string, contexts = ["sparky-dgx"]): string {
  const file = join(home, name);
  const entries = contexts.map((c) => `- name: ${c}\n  context: {cluster: dgx, user: admin}`).join("\n");
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: dgx\n  cluster: {server: "https://dgx.invalid:6443"}\nusers:\n- name: admin\n  user: {token: t}\ncontexts:\n${entries}\ncurrent-context: ${contexts[0]}\n`,
  );
  return file;
}

/** What deploy-production needs from the environment, all present. */
function productionEnv(): Record<string, string> {
  const key = join(home, "docs-deploy-key");
  const knownHosts = join(home, "known_hosts");
  writeFileSync(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----\n");
  writeFileSync(knownHosts, "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
  return {
    GITHUB_TOKEN: "ghp_do-not-print-me",
    SPARKY_GIT_SSH_KEY: key,
    SPARKY_GIT_KNOWN_HOSTS: knownHosts,
    SPARKY_KUBECONFIG: kubeconfig("sparky-dgx.yaml"),
  };
}

describe("justfile", () => {
  it("has every deployment recipe, each calling its script", () => {
    const just = join(ROOT, "node_modules/.bin/just");
    const dump = JSON.parse(execFileSync(just, ["--dump", "--dump-format", "json"], { cwd: ROOT, encoding: "utf8" })) as Obj;
    const recipes = {
      "docker-build": "scripts/docker/build.nu",
      "docker-push": "scripts/docker/push.nu",
      "k3d-create": "scripts/k3s/create-cluster.nu",
      "k3d-destroy": "scripts/k3s/destroy-cluster.nu",
      "deploy-local": "scripts/k3s/deploy-local.nu",
      "deploy-ollama": "scripts/k3s/deploy-ollama.nu",
      "k3s-install-dgx": "scripts/k3s/install-dgx.nu",
      "deploy-production": "scripts/k3s/deploy-production.nu",
      "collect-today": "scripts/collect.nu --period daily --date today",
      "collect-weekly": "scripts/collect.nu --period weekly",
      status: "scripts/monitor/status.nu",
      "logs-follow": "scripts/monitor/logs.nu --follow",
    };
    for (const recipe of [...Object.keys(recipes), "demo", "demo-daily", "clean", "ci", "test", "build", "tasks", "events"]) {
      expect(Object.keys(dump.recipes), recipe).toContain(recipe);
    }
    // A recipe's body: lines of text and {{variables}}.
    const body = (name: string) =>
      (dump.recipes[name].body as unknown[][]).map((line) =>
        line.map((f) => (typeof f === "string" ? f : `{{${(f as string[][])[0]![1]}}}`)).join(""),
      );
    for (const [recipe, line] of Object.entries(recipes)) {
      expect(body(recipe), recipe).toEqual([`{{nu}} ${line} {{ARGS}}`]);
      expect(dump.recipes[recipe].parameters.map((p: Obj) => p.name), recipe).toEqual(["ARGS"]);
    }
    expect(JSON.stringify(dump.assignments.nu.value)).toContain("node_modules/.bin/nu");
    expect(body("ci")).toEqual(["bash .ci/run"]);
  });
});

describe("the recipes tell the truth", () => {
  const DRY = "dry run: nothing was changed";
  // Each recipe that takes --dry-run, with what a real run would need to get that far.
  const recipes: [string, string[], () => Record<string, string>][] = [
    ["docker-build", ["--tag", "abc123"], () => ({})],
    ["docker-push", ["--tag", "abc123"], () => ({})],
    ["k3d-create", [], () => ({})],
    ["k3d-destroy", [], () => ({})],
    ["deploy-local", [], () => ({})],
    ["deploy-ollama", [], () => ({})],
    ["deploy-ollama", ["--overlay", "production"], () => ({ SPARKY_KUBECONFIG: kubeconfig("ollama-dgx.yaml") })],
    ["k3s-install-dgx", [], () => ({ DGX_HOST: "dgx.lab" })],
    ["deploy-production", ["--image", "registry.example/sparky:abc123"], productionEnv],
    ["collect-today", [], () => ({})],
    ["collect-weekly", ["--target", "production"], () => ({ SPARKY_KUBECONFIG: kubeconfig("collect-weekly-dgx.yaml") })],
    ["collect-weekly", ["--local"], () => ({})],
    ["status", [], () => ({})],
    ["logs-follow", [], () => ({})],
    ["clean-data", ["--docs"], () => ({})],
  ];

  it.each(recipes)("just %s %j --dry-run prints its commands, ends with the dry-run line, and changes nothing", (recipe, args, env) => {
    const run = just(recipe, [...args, "--dry-run"], env());
    expect(run.code, run.stderr).toBe(0);
    if (recipe !== "clean-data") expect(run.stdout).toMatch(/^\+ /m); // (data/ and output/ may not exist here)
    expect(run.last).toBe(DRY);
    const said = run.stdout.split("\n").filter((l) => !l.startsWith("+ "));
    expect(said.join("\n")).not.toMatch(/Sparky is up|pushed|built|deployed|is up|ready|removed|deleted/i);
    // The only tool a dry run calls is the offline `kubectl kustomize` (deploy-production renders the overlay).
    expect(run.calls.filter((c) => !(c.tool === "kubectl" && c.args.includes("kustomize")))).toEqual([]);
  });

  it("deploy-production refuses at once, in a dry run too, without the GitHub token, the docs repository's key or the DGX's kubeconfig", () => {
    const run = just("deploy-production", ["--dry-run"]);
    expect(run.code).not.toBe(0);
    for (const text of [
      "deploy-production cannot start",
      "GITHUB_TOKEN is not set: export a token that can read the organisation's repositories: export GITHUB_TOKEN=",
      "SPARKY_GIT_SSH_KEY is not set: export the path of a private key allowed to push to the docs repository",
      "SPARKY_GIT_KNOWN_HOSTS is not set: export the path of a known_hosts file",
      "no kubeconfig for the DGX at ~/.kube/sparky-dgx.yaml: `just k3s-install-dgx` writes it there",
      "pass --kubeconfig FILE or set SPARKY_KUBECONFIG=FILE",
    ]) {
      expect(says(run.stderr, text), `${run.stderr}\nshould say: ${text}`).toBe(true);
    }
    expect(run.stdout).not.toMatch(/^\+ /m);
    expect(run.calls).toEqual([]);

    // One missing piece is named alone; a key path that does not exist is not taken for a key.
    const env = productionEnv();
    const noToken = just("deploy-production", [], { ...env, GITHUB_TOKEN: "" });
    expect(noToken.code).not.toBe(0);
    expect(noToken.stderr).toContain("GITHUB_TOKEN is not set");
    expect(noToken.stderr).not.toContain("SPARKY_GIT_SSH_KEY");
    expect(noToken.calls).toEqual([]);
    const noKey = just("deploy-production", [], { ...env, SPARKY_GIT_SSH_KEY: join(home, "no-such-key") });
    expect(says(noKey.stderr, `SPARKY_GIT_SSH_KEY=${join(home, "no-such-key")}: no such file`), noKey.stderr).toBe(true);
    expect(noKey.calls).toEqual([]);
    const otherContext = just("deploy-production", ["--dry-run"], { ...env, SPARKY_KUBECONFIG: kubeconfig("other.yaml", ["work-cluster"]) });
    expect(otherContext.code).not.toBe(0);
    expect(says(otherContext.stderr, "has no context sparky-dgx (it has: work-cluster): pass --context NAME"), otherContext.stderr).toBe(true);
  });

  it("deploy-production passes the DGX's kubeconfig and context to every kubectl call, whatever kubectl's current context is", () => {
    const env = productionEnv();
    // A KUBECONFIG pointing at another cluster, as a laptop may have: it must not be used.
    const run = just("deploy-production", ["--image", "registry.example/sparky:abc123"], { ...env, KUBECONFIG: kubeconfig("laptop.yaml", ["work-cluster"]) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.last).toBe("deployed registry.example/sparky:abc123; watch it with: just status, just logs-follow");
    const kubectl = run.calls.filter((c) => c.tool === "kubectl");
    const verbs = new Set(kubectl.map((c) => c.args.find((a) => ["kustomize", "get", "apply", "delete", "rollout"].includes(a))));
    expect([...verbs].sort()).toEqual(["apply", "delete", "get", "kustomize", "rollout"]);
    for (const call of kubectl) expect(call.args.slice(0, 4), call.args.join(" ")).toEqual(["--kubeconfig", env.SPARKY_KUBECONFIG, "--context", "sparky-dgx"]);
    // The Secret went to kubectl on stdin only, with every key production needs; its values were never printed.
    const secret = JSON.parse(kubectl.find((c) => c.stdin)!.stdin!) as Obj;
    expect(Object.keys(secret.data).sort()).toEqual(["GITHUB_TOKEN", "GIT_KNOWN_HOSTS", "GIT_SSH_PRIVATE_KEY", "SPARKY_API_TOKEN"]);
    expect(Buffer.from(secret.data.GITHUB_TOKEN, "base64").toString()).toBe("ghp_do-not-print-me");
    expect(run.stdout).not.toContain("do-not-print-me");
    expect(run.calls.filter((c) => c.tool !== "kubectl")).toEqual([]);
  });

  it("the other ways to reach the DGX never fall back to kubectl's current context either", () => {
    for (const [recipe, args] of [
      ["deploy-ollama", ["--overlay", "production", "--dry-run"]],
      ["collect-today", ["--target", "production", "--dry-run"]],
    ] as const) {
      const run = just(recipe, [...args], { KUBECONFIG: kubeconfig("laptop.yaml", ["work-cluster"]) });
      expect(run.code, recipe).not.toBe(0);
      expect(says(run.stderr, "no kubeconfig for the DGX at ~/.kube/sparky-dgx.yaml"), run.stderr).toBe(true);
      expect(run.calls, recipe).toEqual([]);
    }
  });

  it("`just` alone lists the recipes from node_modules/.bin/just, with no `just` on PATH", () => {
    const run = runWithFakes(JUST, []);
    expect(spawnSync("sh", ["-c", "command -v just"], { env: { PATH: fakePath(["kubectl", "docker", "k3d", "k3sup"]) } }).status).not.toBe(0);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Available recipes:\n\s+default\s+# List the recipes$/m);
    expect(run.stdout).toMatch(/^\s+deploy-production \*ARGS\s+#/m);
  });

  describe("cleaning", () => {
    // A copy of the justfile and scripts in a temp checkout, so nothing here touches this one.
    let checkout: string;
    beforeAll(() => {
      checkout = mkdtempSync(join(tmpdir(), "sparky-clean-"));
      cpSync(join(ROOT, "justfile"), join(checkout, "justfile"));
      cpSync(join(ROOT, "scripts"), join(checkout, "scripts"), { recursive: true });
      symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"));
    });
    afterAll(() => rmSync(checkout, { recursive: true, force: true }));

    const at = (...path: string[]) => join(checkout, ...path);
    const git = (...args: string[]) => execFileSync("git", ["-C", at("output"), ...args], { stdio: "pipe", env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null" } });
    const justHere = (args: string[]) =>
      spawnSync(join(checkout, "node_modules/.bin/just"), args, {
        cwd: checkout,
        encoding: "utf8",
        env: { HOME: home, PATH: fakePath(["kubectl", "docker", "k3d", "k3sup"]) },
        stdio: ["ignore", "pipe", "pipe"], // no terminal: nothing can be confirmed by typing
      });
    function layout() {
      for (const dir of ["data", "output"]) rmSync(at(dir), { recursive: true, force: true });
      for (const dir of [at("packages/cli/dist"), at("data/state"), at("output/weekly"), at(".bench")]) mkdirSync(dir, { recursive: true });
      writeFileSync(at("packages/cli/tsconfig.tsbuildinfo"), "{}");
      writeFileSync(at("data/state/runs.json"), "{}");
      writeFileSync(at("output/weekly/2026-W48.md"), "# digest\n");
      git("init", "-q");
      git("-c", "user.name=t", "-c", "user.email=t@t", "add", ".");
      git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "digest");
    }

    it("`just clean` removes build output only: the docs repository in output/ and data/ stay", () => {
      layout();
      const run = justHere(["clean"]);
      expect(run.status, run.stderr).toBe(0);
      expect(existsSync(at("packages/cli/dist"))).toBe(false);
      expect(existsSync(at("packages/cli/tsconfig.tsbuildinfo"))).toBe(false);
      expect(existsSync(at(".bench"))).toBe(false);
      expect(existsSync(at("data/state/runs.json"))).toBe(true);
      expect(existsSync(at("output/weekly/2026-W48.md"))).toBe(true);
      expect(git("log", "--oneline").toString()).toContain("digest");
    });

    it("`just clean-data` removes data/, and output/ only with --docs and a confirmation, since it is a git repository", () => {
      layout();
      const refused = justHere(["clean-data", "--docs"]);
      expect(refused.status).not.toBe(0);
      expect(says(refused.stderr, "output/ is a git repository with 1 commit(s)"), refused.stderr).toBe(true);
      expect(says(refused.stderr, "nothing was removed. Push or copy what you want to keep, then: just clean-data --docs --yes"), refused.stderr).toBe(true);
      // A refusal removes nothing, not even data/.
      expect(existsSync(at("data/state/runs.json"))).toBe(true);
      expect(existsSync(at("output/.git"))).toBe(true);

      const dataOnly = justHere(["clean-data"]);
      expect(dataOnly.status, dataOnly.stderr).toBe(0);
      expect(existsSync(at("data"))).toBe(false);
      expect(existsSync(at("output/.git"))).toBe(true);

      const confirmed = justHere(["clean-data", "--docs", "--yes"]);
      expect(confirmed.status, confirmed.stderr).toBe(0);
      expect(existsSync(at("output"))).toBe(false);
      expect(confirmed.stdout.trim().split("\n").at(-1)).toBe("removed: output/");
    });
  });
});

describe("deploying to k3d", () => {
  it("k3d-create makes the cluster the local overlay expects: the checkout at /repos/sparky, the NodePorts on localhost", () => {
    const { code, commands } = nu("k3s/create-cluster.nu", ["--dry-run"]);
    expect(code).toBe(0);
    const local = render("k8s/overlays/local");
    const nodePorts = ["sparky-orchestrator-api", "grafana-nodeport"].map((n) => named(local, "Service", n).spec.ports[0].nodePort);
    const repos = named(local, "Deployment", "sparky-collector").spec.template.spec.volumes.find((v: Obj) => v.name === "repos").hostPath.path;
    expect(commands[0]).toBe(
      `+ k3d cluster create sparky --servers 1 --agents 0 --volume ${ROOT.replace(/\/$/, "")}:${repos}@server:0 ` +
        nodePorts.map((p: number) => `--port ${p}:${p}@server:0`).join(" ") +
        " --k3s-arg --disable=traefik@server:0 --wait --timeout 180s",
    );
    expect(commands[1]).toBe("+ kubectl --context k3d-sparky wait --for=condition=Ready nodes --all --timeout=120s");
  });

  it("deploy-local builds, imports, fills the Secret from the environment without printing it, applies the overlay and waits", () => {
    const root = ROOT.replace(/\/$/, "");
    const { code, commands, stdout } = nu("k3s/deploy-local.nu", ["--dry-run"], { GITHUB_TOKEN: "ghp_do-not-print-me", SPARKY_API_TOKEN: "api-do-not-print-me" });
    expect(code).toBe(0);
    expect(stdout).not.toContain("do-not-print-me");
    expect(commands).toEqual([
      `+ docker build --file ${root}/Dockerfile --tag sparky:local ${root}`,
      "+ k3d image import sparky:local --cluster sparky",
      "+ kubectl --context k3d-sparky get namespace sparky -o name",
      "+ kubectl --context k3d-sparky create namespace sparky",
      "+ kubectl --context k3d-sparky -n sparky get secret sparky-secrets -o json --ignore-not-found",
      "+ kubectl --context k3d-sparky apply --server-side --field-manager=sparky-secrets -f -   # Secret sparky/sparky-secrets on stdin: GITHUB_TOKEN, SPARKY_API_TOKEN (values not shown)",
      "+ kubectl --context k3d-sparky -n sparky delete job ollama-pull-model --ignore-not-found",
      `+ kubectl --context k3d-sparky apply --server-side --force-conflicts -k ${root}/k8s/overlays/local`,
      "+ kubectl --context k3d-sparky -n sparky rollout restart deployment/sparky-orchestrator deployment/sparky-collector deployment/sparky-analyzer deployment/sparky-generator deployment/sparky-publisher",
      ...["orchestrator", "collector", "analyzer", "generator", "publisher"].map(
        (s) => `+ kubectl --context k3d-sparky -n sparky rollout status deployment/sparky-${s} --timeout=300s`,
      ),
    ]);
    // The image deploy-local builds is the one the overlay runs.
    expect(named(render("k8s/overlays/local"), "Deployment", "sparky-orchestrator").spec.template.spec.containers[0].image).toBe("sparky:local");
  });

  it("deploy-ollama applies exactly the Ollama objects and waits for the model", () => {
    const { code, commands } = nu("k3s/deploy-ollama.nu", ["--dry-run"]);
    expect(code).toBe(0);
    const apply = commands.find((c) => c.includes(" apply "))!;
    const selector = /--selector (\S+)=(\S+)$/.exec(apply)!;
    const selected = render("k8s/overlays/local").filter((o) => o.metadata.labels?.[selector[1]!] === selector[2]);
    expect(selected.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      ["Deployment/ollama", "Job/ollama-pull-model", "PersistentVolumeClaim/ollama-models", "Service/ollama"].sort(),
    );
    expect(commands.slice(-2)).toEqual([
      "+ kubectl --context k3d-sparky -n sparky rollout status deployment/ollama --timeout=600s",
      "+ kubectl --context k3d-sparky -n sparky wait --for=condition=complete job/ollama-pull-model --timeout=1800s",
    ]);
  });

  it("k3d-destroy deletes the cluster", () => {
    expect(nu("k3s/destroy-cluster.nu", ["--dry-run"]).commands).toEqual(["+ k3d cluster delete sparky"]);
  });

  it("refuses to start without its tools and says how to get each", () => {
    const { code, stderr } = nu("k3s/create-cluster.nu", [], {}, ["git"]);
    expect(code).not.toBe(0);
    expect(stderr).toContain("missing prerequisites");
    expect(stderr).toMatch(/docker: install Docker Engine/);
    expect(stderr).toMatch(/k3d: install k3d 5\.6\+/);
    expect(stderr).toMatch(/kubectl: install kubectl/);
    // A dry run only notes what a real run would lack.
    const dry = nu("k3s/create-cluster.nu", ["--dry-run"], {}, ["git"]);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(/a real run needs, and this machine lacks:\n {2}docker: .*\n {2}k3d: /);
  });

  it("deploy-local refuses when no cluster answers, and says how to make one", () => {
    const { code, stderr } = nu("k3s/deploy-local.nu", [], { KUBECONFIG: join(home, "missing-kubeconfig") }, ["git", "kubectl", "docker", "k3d"]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/missing prerequisites|no Kubernetes cluster answers.*just k3d-create/s);
  });
});

describe("images and the DGX", () => {
  it("docker-build tags sparky:local and the commit; docker-push pushes that commit to the registry", () => {
    const root = ROOT.replace(/\/$/, "");
    const build = nu("docker/build.nu", ["--dry-run", "--tag", "abc123"]);
    expect(build.commands).toEqual([`+ docker build --file ${root}/Dockerfile --tag sparky:local --tag sparky:abc123 ${root}`]);
    const push = nu("docker/push.nu", ["--dry-run", "--tag", "abc123"], { SPARKY_REGISTRY: "registry.example:5000/team" });
    expect(push.commands).toEqual([
      "+ docker tag sparky:local registry.example:5000/team/sparky:abc123",
      "+ docker push registry.example:5000/team/sparky:abc123",
    ]);
  });

  it("k3s-install-dgx installs k3s with k3sup, fetches the kubeconfig and applies the GPU pieces", () => {
    const root = ROOT.replace(/\/$/, "");
    const { code, commands } = nu("k3s/install-dgx.nu", ["--dry-run"], { DGX_HOST: "dgx.lab", DGX_USER: "ops" });
    expect(code).toBe(0);
    const kubeconfig = join(home, ".kube/sparky-dgx.yaml");
    expect(commands).toEqual([
      `+ k3sup install --host dgx.lab --user ops --context sparky-dgx --local-path ${kubeconfig} --k3s-extra-args '--disable traefik --write-kubeconfig-mode 0600'`,
      `+ kubectl --kubeconfig ${kubeconfig} wait --for=condition=Ready nodes --all --timeout=300s`,
      `+ kubectl --kubeconfig ${kubeconfig} apply --server-side -k ${root}/k8s/dgx`,
      `+ kubectl --kubeconfig ${kubeconfig} -n kube-system rollout status daemonset/nvidia-device-plugin-daemonset --timeout=300s`,
    ]);
    const missing = nu("k3s/install-dgx.nu", ["--dry-run"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("name the DGX: DGX_HOST=");
  });

  it("deploy-production renders the overlay with the pushed image, then applies it and waits, on the DGX's kubeconfig", () => {
    const env = productionEnv();
    const { code, stdout, commands } = nu("k3s/deploy-production.nu", ["--dry-run", "--image", "registry.example:5000/team/sparky:abc123"], env);
    expect(code, stdout).toBe(0);
    expect(stdout).not.toContain("do-not-print-me");
    // Rendered for real (kubectl kustomize) with the image in all five services.
    expect(stdout).toMatch(/k8s\/overlays\/production with image registry\.example:5000\/team\/sparky:abc123 \(5 containers\)/);
    const kube = `+ kubectl --kubeconfig ${env.SPARKY_KUBECONFIG} --context sparky-dgx`;
    const apply = commands.find((c) => c.includes("--force-conflicts -k"))!;
    expect(apply.startsWith(`${kube} apply --server-side --force-conflicts -k `)).toBe(true);
    expect(apply).toMatch(/sparky-deploy\.\w+$/);
    expect(commands.at(-1)).toBe(`${kube} -n sparky rollout status deployment/sparky-publisher --timeout=300s`);
    const untagged = nu("k3s/deploy-production.nu", ["--dry-run", "--image", "registry.example/sparky"], env);
    expect(untagged.code).not.toBe(0);
    expect(untagged.stderr).toContain("give a tag");
  });
});

describe("operating it", () => {
  it("collect-today posts today's daily run to the NodePort; --target production goes through a port-forward", () => {
    const today = new Date().toISOString().slice(0, 10);
    const local = nu("collect.nu", ["--period", "daily", "--date", "today", "--dry-run"], { SPARKY_API_TOKEN: "secret-token" });
    expect(local.code).toBe(0);
    expect(local.stdout).not.toContain("secret-token");
    expect(local.commands).toEqual([
      `+ POST http://localhost:30080/runs {"period":"daily","date":"${today}"} (authorization: Bearer ***)`,
      "+ GET http://localhost:30080/runs/<runId> until it succeeds or fails",
    ]);
    const dgx = kubeconfig("collect-dgx.yaml");
    const production = nu("collect.nu", ["--period", "weekly", "--target", "production", "--dry-run"], { SPARKY_KUBECONFIG: dgx });
    expect(production.commands.slice(0, 2)).toEqual([
      `+ kubectl --kubeconfig ${dgx} --context sparky-dgx -n sparky port-forward svc/sparky-orchestrator 18080:8080 &`,
      '+ POST http://localhost:18080/runs {"period":"weekly"} (authorization: Bearer ***)',
    ]);
    const embedded = nu("collect.nu", ["--local", "--period", "weekly", "--date", "latest", "--dry-run"]);
    expect(embedded.commands).toEqual([`+ node ${join(ROOT, "packages/cli/bin/sparky.js")} digest --period weekly --date latest`]);
    expect(nu("collect.nu", ["--period", "weekly", "--date", "latest"], { SPARKY_API_TOKEN: "t" }).stderr).toContain("use it with --local");
    expect(nu("collect.nu", ["--period", "fortnightly"]).stderr).toContain("expected daily, weekly or monthly");
  });

  it("status shows the cluster when kubectl can reach one, else `sparky status`", () => {
    const cluster = nu("monitor/status.nu", ["--dry-run"]);
    expect(cluster.commands).toEqual([
      "+ kubectl -n sparky get deployments,pods,services,pvc,jobs -o wide",
      "+ kubectl -n sparky exec deploy/sparky-orchestrator -- sparky status",
    ]);
    const local = nu("monitor/status.nu", ["--dry-run"], {}, ["git"]);
    expect(local.commands).toEqual([`+ node ${join(ROOT, "packages/cli/bin/sparky.js")} status`]);
    // For real, with no cluster to reach: this machine's state.
    const real = nu("monitor/status.nu", [], { KUBECONFIG: join(home, "missing-kubeconfig") });
    expect(real.code).toBe(0);
    expect(real.stderr).toContain("no cluster with namespace sparky answers");
    expect(real.stdout).toContain(`+ node ${join(ROOT, "packages/cli/bin/sparky.js")} status`);
  });

  it("logs-follow streams the five services' logs (or one)", () => {
    expect(nu("monitor/logs.nu", ["--follow", "--dry-run"]).commands).toEqual([
      "+ kubectl -n sparky logs --selector 'app.kubernetes.io/component in (orchestrator,collector,analyzer,generator,publisher)' --all-containers --prefix --timestamps --tail=100 --max-log-requests=10 --follow",
    ]);
    const one = nu("monitor/logs.nu", ["--dry-run", "--service", "collector"]);
    expect(one.commands[0]).toContain("--selector app.kubernetes.io/name=sparky-collector");
    // The selectors match the Deployments' pod labels.
    const objects = render("k8s/overlays/production");
    const components = objects.filter((o) => o.kind === "Deployment").map((o) => o.spec.template.metadata.labels["app.kubernetes.io/component"]);
    for (const s of ["orchestrator", "collector", "analyzer", "generator", "publisher"]) expect(components).toContain(s);
  });
});

describe("collect.nu against a served orchestrator", () => {
  let orchestrator: Proc;
  let dir: string;
  let http: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sparky-collect-"));
    http = await freePort();
    const [events, eventsOut, collector] = [await freePort(), await freePort(), await freePort()];
    orchestrator = runSparky(["serve", "orchestrator"], {
      cwd: dir,
      env: {
        SPARKY_DATA_DIR: join(dir, "data"),
        SPARKY_ORCHESTRATOR_HTTP_PORT: String(http),
        SPARKY_ORCHESTRATOR_EVENT_PORT: String(events),
        SPARKY_ORCHESTRATOR_EVENT_SUB_PORT: String(eventsOut),
        SPARKY_COLLECTOR_ENDPOINT: `tcp://127.0.0.1:${collector}`,
        SPARKY_ORCHESTRATOR_SCHEDULES_ENABLED: "false",
        SPARKY_ORCHESTRATOR_REQUEST_TIMEOUT_MS: "100",
        SPARKY_ORCHESTRATOR_REQUEST_RETRIES: "0",
        SPARKY_ORCHESTRATOR_MAX_ATTEMPTS: "1",
        SPARKY_API_TOKEN: "the-token",
        SPARKY_LOG_LEVEL: "warn",
      },
    });
    await waitReady(http);
  });
  afterAll(async () => {
    orchestrator.child.kill("SIGTERM");
    await orchestrator.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it("triggers the run with the bearer token and follows it to its end (here: failed, no collector is running)", () => {
    const run = nu("collect.nu", ["--period", "daily", "--date", "2026-11-26"], {
      SPARKY_API_URL: `http://127.0.0.1:${http}`,
      SPARKY_API_TOKEN: "the-token",
    });
    expect(run.stdout).toContain("accepted: daily-2026-11-26");
    expect(run.stderr).toMatch(/daily-2026-11-26 failed: collect failed/);
    expect(run.code).toBe(1);
  });

  it("says what the orchestrator answered when the token is wrong", () => {
    const run = nu("collect.nu", ["--period", "weekly", "--date", "2026-11-26"], {
      SPARKY_API_URL: `http://127.0.0.1:${http}`,
      SPARKY_API_TOKEN: "not-the-token",
    });
    expect(run.code).not.toBe(0);
    // (nushell wraps long error lines)
    expect(run.stderr.replace(/\n\s*\|\s*/g, " ")).toMatch(/answered 401: .*missing or wrong bearer token/);
  });
});
