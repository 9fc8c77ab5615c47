// The justfile's deployment recipes and the Nushell scripts behind them: in --dry-run they
// print the commands a real run would execute (checked here against the manifests they
// deploy); without --dry-run they refuse, naming what is missing; collect.nu drives a real
// served orchestrator's runs API.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
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

  it("deploy-production renders the overlay with the pushed image, then applies it and waits", () => {
    const { code, stdout, commands } = nu("k3s/deploy-production.nu", ["--dry-run", "--image", "registry.example:5000/team/sparky:abc123"]);
    expect(code, stdout).toBe(0);
    // Rendered for real (kubectl kustomize) with the image in all five services.
    expect(stdout).toMatch(/k8s\/overlays\/production with image registry\.example:5000\/team\/sparky:abc123 \(5 containers\)/);
    expect(commands.find((c) => c.includes("--force-conflicts -k"))).toMatch(/^\+ kubectl apply --server-side --force-conflicts -k \S*sparky-deploy\.\w+$/);
    expect(commands.at(-1)).toBe("+ kubectl -n sparky rollout status deployment/sparky-publisher --timeout=300s");
    const untagged = nu("k3s/deploy-production.nu", ["--dry-run", "--image", "registry.example/sparky"]);
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
    const production = nu("collect.nu", ["--period", "weekly", "--target", "production", "--dry-run"]);
    expect(production.commands.slice(0, 2)).toEqual([
      "+ kubectl -n sparky port-forward svc/sparky-orchestrator 18080:8080 &",
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
