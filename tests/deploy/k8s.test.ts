// The Kubernetes manifests, as `kubectl kustomize` renders each overlay: valid against the
// API schemas, and consistent with config/production.toml and with what the services do.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SERVICES, loadConfig } from "@sparky/harness";
import type { SparkyConfig } from "@sparky/harness";
import { ROOT, byKind, id, matches, named, podTemplates, read, render, schemaErrors } from "./support.js";
import type { Obj } from "./support.js";

const OVERLAYS = ["local", "production"] as const;
type Overlay = (typeof OVERLAYS)[number];
const rendered = {} as Record<Overlay, Obj[]>;
let config: SparkyConfig;

beforeAll(() => {
  for (const overlay of OVERLAYS) rendered[overlay] = render(`k8s/overlays/${overlay}`);
  config = loadConfig({ file: `${ROOT}/config/production.toml`, env: {}, cwd: ROOT }).config;
});

const portOf = (endpoint: string) => Number(/:(\d+)$/.exec(endpoint)![1]);
const hostOf = (endpoint: string) => /^tcp:\/\/([^:]+):\d+$/.exec(endpoint)![1]!;
const httpPort = (service: string) =>
  service === "orchestrator" ? config.orchestrator.http_port : (config as unknown as Record<string, { http_port: number }>)[service]!.http_port;
const containerOf = (objects: Obj[], service: string) => named(objects, "Deployment", `sparky-${service}`).spec.template.spec.containers[0];

describe("schemas", () => {
  it.each([...OVERLAYS, "dgx"])("every object of %s validates against the Kubernetes API schemas", async (overlay) => {
    const objects = overlay === "dgx" ? render("k8s/dgx") : rendered[overlay as Overlay];
    expect(objects.length).toBeGreaterThan(overlay === "dgx" ? 1 : 40);
    const errors = (await Promise.all(objects.map(schemaErrors))).flat();
    expect(errors).toEqual([]);
  });

  it("the validation is not vacuous: it reports wrong types, bad quantities, missing and unknown fields", async () => {
    const deployment = structuredClone(named(rendered.production, "Deployment", "sparky-collector"));
    const container = deployment.spec.template.spec.containers[0];
    container.ports[0].containerPort = "9101";
    container.resources.limits.memory = "lots";
    container.livenesProbe = container.livenessProbe;
    delete deployment.spec.selector;
    const errors = (await schemaErrors(deployment)).join("\n");
    expect(errors).toMatch(/containerPort must be integer/);
    expect(errors).toMatch(/memory must match format "quantity"/);
    expect(errors).toMatch(/must have required property selector/);
    expect(errors).toMatch(/unknown field "livenesProbe"/);
    expect(await schemaErrors({ apiVersion: "v1", kind: "Servic", metadata: { name: "x" } })).toEqual(["Servic/x: no schema for v1 Servic"]);
  });
});

describe.each(OVERLAYS)("overlay %s", (overlay) => {
  const objects = () => rendered[overlay];

  it("puts everything but cluster-wide objects in namespace sparky", () => {
    for (const o of objects()) {
      if (o.kind === "Namespace") expect(o.metadata.name).toBe("sparky");
      else expect(o.metadata.namespace, id(o)).toBe("sparky");
    }
  });

  it("gives every container probes, requests and limits, and runs it as non-root on a read-only root filesystem", () => {
    const templates = podTemplates(objects());
    expect(templates.map((t) => t.owner.metadata.name).sort()).toEqual(
      ["grafana", "ollama", "ollama-pull-model", "prometheus", ...SERVICES.map((s) => `sparky-${s}`)].sort(),
    );
    for (const { owner, spec } of templates) {
      const where = id(owner);
      expect(spec.securityContext?.runAsNonRoot, where).toBe(true);
      expect(spec.securityContext?.runAsUser, where).toBeGreaterThan(0);
      for (const c of spec.containers) {
        if (owner.kind === "Deployment") {
          expect(c.livenessProbe, `${where} liveness`).toBeDefined();
          expect(c.readinessProbe, `${where} readiness`).toBeDefined();
        }
        expect(c.resources?.requests?.cpu, `${where} cpu request`).toBeDefined();
        expect(c.resources?.requests?.memory, `${where} memory request`).toBeDefined();
        expect(c.resources?.limits?.memory, `${where} memory limit`).toBeDefined();
        expect(c.securityContext?.allowPrivilegeEscalation, where).toBe(false);
        expect(c.securityContext?.readOnlyRootFilesystem, where).toBe(true);
        expect(c.securityContext?.capabilities?.drop, where).toEqual(["ALL"]);
        // A read-only root filesystem still needs a writable /tmp.
        const tmp = c.volumeMounts?.find((m: Obj) => m.mountPath === "/tmp");
        expect(tmp, `${where} /tmp`).toBeDefined();
        expect(spec.volumes.find((v: Obj) => v.name === tmp.name)?.emptyDir, `${where} /tmp is an emptyDir`).toBeDefined();
      }
    }
  });

  it("probes the services' /health (liveness) and /ready (readiness) on their http_port, and annotates them for Prometheus", () => {
    for (const service of SERVICES) {
      const template = named(objects(), "Deployment", `sparky-${service}`).spec.template;
      const c = template.spec.containers[0];
      const http = c.ports.find((p: Obj) => p.name === "http");
      expect(http.containerPort, service).toBe(httpPort(service));
      expect(c.livenessProbe.httpGet).toEqual({ path: "/health", port: "http" });
      expect(c.readinessProbe.httpGet).toEqual({ path: "/ready", port: "http" });
      expect(c.args).toEqual([service]);
      expect(template.metadata.annotations).toEqual({
        "prometheus.io/scrape": "true",
        "prometheus.io/port": String(httpPort(service)),
        "prometheus.io/path": "/metrics",
      });
    }
  });

  it("has Services named as config/production.toml's hosts, with the ports from config, selecting pods that exist", () => {
    const o = config.orchestrator;
    expect(o.host).toBe("sparky-orchestrator.sparky.svc.cluster.local");
    const expected: Record<string, number[]> = {
      "sparky-orchestrator": [o.http_port, o.event_port, o.event_sub_port],
    };
    for (const stage of SERVICES.filter((s) => s !== "orchestrator")) {
      const endpoint = config[stage].endpoint;
      expect(hostOf(endpoint)).toBe(`sparky-${stage}.sparky.svc.cluster.local`);
      expected[`sparky-${stage}`] = [config[stage].http_port, portOf(endpoint)];
    }
    for (const [name, ports] of Object.entries(expected)) {
      const service = named(objects(), "Service", name);
      expect(service.spec.ports.map((p: Obj) => p.port).sort(), name).toEqual([...ports].sort());
    }
    // The binds: every service's container listens on its ports.
    for (const service of SERVICES) {
      const ports = containerOf(objects(), service).ports.map((p: Obj) => p.containerPort).sort();
      expect(ports, service).toEqual([...expected[`sparky-${service}`]!].sort());
    }
    const ollama = new URL(config.analyzer.ollama_url);
    expect(config.generator.ollama_url).toBe(config.analyzer.ollama_url);
    expect(ollama.hostname).toBe("ollama.sparky.svc.cluster.local");
    expect(named(objects(), "Service", "ollama").spec.ports.map((p: Obj) => p.port)).toEqual([Number(ollama.port)]);

    // Every Service selects the pods of a workload, and its target ports are ports those pods name.
    const templates = podTemplates(objects());
    for (const service of byKind(objects(), "Service")) {
      const pods = templates.filter((t) => matches(service.spec.selector, t.labels));
      expect(pods.length, `${id(service)} selects no pods`).toBeGreaterThan(0);
      const named_ = pods.flatMap((t) => t.spec.containers.flatMap((c: Obj) => c.ports ?? []));
      for (const port of service.spec.ports) {
        const target = port.targetPort ?? port.port;
        const found = named_.some((p: Obj) => p.name === target || p.containerPort === target);
        expect(found, `${id(service)} port ${port.port} -> ${target}`).toBe(true);
      }
    }
  });

  it("mounts config at SPARKY_CONFIG, data_dir and output_dir on the volumes, and a ConfigMap that is config/production.toml", () => {
    const configMap = byKind(objects(), "ConfigMap").find((c) => c.metadata.name.startsWith("sparky-config-"))!;
    expect(configMap.data["sparky.toml"]).toBe(read("config/production.toml"));
    const mounts: Record<string, string[]> = {
      orchestrator: ["/data", "/output"],
      collector: ["/data"],
      analyzer: ["/data"],
      generator: ["/data", "/output"],
      publisher: ["/data", "/output"],
    };
    expect(config.data_dir).toBe("/data");
    expect(config.generator.output_dir).toBe("/output");
    expect(config.publisher.git_repo).toBe("/output");
    for (const service of SERVICES) {
      const deployment = named(objects(), "Deployment", `sparky-${service}`);
      const spec = deployment.spec.template.spec;
      const c = spec.containers[0];
      const env = Object.fromEntries(c.env.filter((e: Obj) => "value" in e).map((e: Obj) => [e.name, e.value]));
      const configMount = c.volumeMounts.find((m: Obj) => m.name === "config");
      expect(`${configMount.mountPath}/sparky.toml`).toBe(env.SPARKY_CONFIG);
      expect(spec.volumes.find((v: Obj) => v.name === "config").configMap.name).toBe(configMap.metadata.name);
      const claims = Object.fromEntries(
        c.volumeMounts
          .map((m: Obj) => [m.mountPath, spec.volumes.find((v: Obj) => v.name === m.name)?.persistentVolumeClaim?.claimName])
          .filter(([, claim]: [string, string | undefined]) => claim),
      );
      expect(Object.keys(claims).sort(), service).toEqual(mounts[service]);
      expect(claims["/data"]).toBe("sparky-data");
      if (claims["/output"]) expect(claims["/output"]).toBe("sparky-output");
    }
    for (const claim of ["sparky-data", "sparky-output", "ollama-models"]) {
      expect(named(objects(), "PersistentVolumeClaim", claim).spec.accessModes).toEqual(["ReadWriteOnce"]);
    }
  });

  it("gives every service a configuration that loads: the ConfigMap plus the overlay's SPARKY_* overrides", () => {
    const dir = mkdtempSync(join(tmpdir(), "sparky-k8s-config-"));
    try {
      const configMap = byKind(objects(), "ConfigMap").find((c) => c.metadata.name.startsWith("sparky-config-"))!;
      const file = join(dir, "sparky.toml");
      writeFileSync(file, configMap.data["sparky.toml"]);
      const shared = byKind(objects(), "ConfigMap").find((c) => c.metadata.name.startsWith("sparky-env-"))!.data as Record<string, string>;
      for (const service of SERVICES) {
        const c = containerOf(objects(), service);
        expect(c.envFrom.map((e: Obj) => e.configMapRef?.name)).toEqual([byKind(objects(), "ConfigMap").find((m) => m.metadata.name.startsWith("sparky-env-"))!.metadata.name]);
        const literal = Object.fromEntries(c.env.filter((e: Obj) => "value" in e).map((e: Obj) => [e.name, e.value]));
        const env = { ...shared, ...literal, SPARKY_CONFIG: file };
        const loaded = loadConfig({ env, cwd: dir }).config;
        expect(loaded.environment).toBe(overlay);
        if (overlay === "local") {
          expect(loaded.publisher.auto_push).toBe(false);
          expect(loaded.collector.github_org).toBe("");
          expect(loaded.collector.repos).toEqual(["/repos/sparky"]);
        } else {
          expect(loaded.publisher.auto_push).toBe(true);
          expect(loaded.publisher.docs_repo_url).not.toBe("");
          expect(loaded.collector.github_org).not.toBe("");
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("allows exactly the ingress flows the services use, behind a default deny", () => {
    const policies = byKind(objects(), "NetworkPolicy");
    const deny = policies.find((p) => p.metadata.name === "default-deny-ingress")!;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
    const templates = podTemplates(objects());
    const nameOf = (labels: Obj) => labels["app.kubernetes.io/name"] as string;
    const flows = new Set<string>();
    for (const policy of policies) {
      expect(policy.spec.policyTypes).toEqual(["Ingress"]);
      const targets = templates.filter((t) => matches(policy.spec.podSelector.matchLabels, t.labels));
      if (policy !== deny) expect(targets.length, `${id(policy)} selects no pods`).toBeGreaterThan(0);
      for (const rule of policy.spec.ingress ?? []) {
        const sources: string[] = rule.from
          ? rule.from.map((f: Obj) => {
              expect(Object.keys(f), `${id(policy)}: only pod selectors`).toEqual(["podSelector"]);
              const pods = templates.filter((t) => matches(f.podSelector.matchLabels, t.labels));
              expect(pods.length, `${id(policy)}: a source selects no pods`).toBe(1);
              return nameOf(pods[0]!.labels);
            })
          : ["*"];
        for (const target of targets) {
          for (const port of rule.ports) {
            expect(port.protocol).toBe("TCP");
            for (const source of sources) flows.add(`${source} -> ${nameOf(target.labels)}:${port.port}`);
          }
        }
      }
    }
    const o = config.orchestrator;
    const stages = SERVICES.filter((s) => s !== "orchestrator");
    const expected = [
      // Stages publish events to the orchestrator's event bus; the orchestrator publishes its
      // run events there too and subscribes to its own bus's output.
      ...stages.map((s) => `sparky-${s} -> sparky-orchestrator:${o.event_port}`),
      `sparky-orchestrator -> sparky-orchestrator:${o.event_port}`,
      `sparky-orchestrator -> sparky-orchestrator:${o.event_sub_port}`,
      // Commands to each stage's REP socket.
      ...stages.map((s) => `sparky-orchestrator -> sparky-${s}:${portOf(config[s].endpoint)}`),
      // Metrics.
      ...SERVICES.map((s) => `prometheus -> sparky-${s}:${httpPort(s)}`),
      // Each stage's /ready, for the dashboard's service health.
      ...stages.map((s) => `sparky-orchestrator -> sparky-${s}:${httpPort(s)}`),
      "grafana -> prometheus:9090",
      // The LLM, and the job pulling its model.
      ...["sparky-analyzer", "sparky-generator", "ollama-pull"].map((s) => `${s} -> ollama:${new URL(config.analyzer.ollama_url).port}`),
      // From outside: the NodePorts of the local overlay.
      ...(overlay === "local" ? [`* -> sparky-orchestrator:${o.http_port}`, "* -> grafana:3000"] : []),
    ];
    expect([...flows].sort()).toEqual(expected.sort());
  });

  it("holds only the names of secrets, and every reference to them is to a listed key and optional", () => {
    const secrets = byKind(objects(), "Secret");
    expect(secrets.map((s) => s.metadata.name)).toEqual(["sparky-secrets"]);
    const secret = secrets[0]!;
    expect(secret.data).toBeUndefined();
    expect(secret.stringData).toBeUndefined();
    const keys = String(secret.metadata.annotations["sparky.dev/keys"]).split(",");
    expect(keys.sort()).toEqual(["GITHUB_TOKEN", "GIT_KNOWN_HOSTS", "GIT_SSH_PRIVATE_KEY", "SPARKY_API_TOKEN"]);
    const used: string[] = [];
    for (const { owner, spec } of podTemplates(objects())) {
      for (const c of spec.containers) {
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (!ref) continue;
          expect(ref.name).toBe("sparky-secrets");
          expect(ref.optional, `${id(owner)} ${e.name}`).toBe(true);
          expect(ref.key).toBe(e.name);
          used.push(ref.key);
        }
      }
      for (const v of spec.volumes ?? []) {
        if (!v.secret) continue;
        expect(v.secret.secretName).toBe("sparky-secrets");
        expect(v.secret.optional).toBe(true);
        used.push(...v.secret.items.map((i: Obj) => i.key));
      }
    }
    expect([...new Set(used)].sort()).toEqual(keys.sort());
    expect(containerOf(objects(), "orchestrator").env.map((e: Obj) => e.name)).toContain("SPARKY_API_TOKEN");
    expect(containerOf(objects(), "collector").env.map((e: Obj) => e.name)).toContain("GITHUB_TOKEN");
  });

  it("lets only the orchestrator talk to the Kubernetes API, to read and write its leader Lease", () => {
    const deployment = named(objects(), "Deployment", "sparky-orchestrator");
    const spec = deployment.spec.template.spec;
    expect(spec.serviceAccountName).toBe("sparky-orchestrator");
    const env = Object.fromEntries(spec.containers[0].env.map((e: Obj) => [e.name, e.value ?? e.valueFrom?.fieldRef?.fieldPath]));
    expect(env).toMatchObject({ SPARKY_LEADER_ELECTION: "true", POD_NAME: "metadata.name", POD_NAMESPACE: "metadata.namespace" });
    const binding = byKind(objects(), "RoleBinding").find((b) => b.subjects.some((s: Obj) => s.name === "sparky-orchestrator"))!;
    const role = named(objects(), "Role", binding.roleRef.name);
    const verbs = role.rules.filter((r: Obj) => r.apiGroups.includes("coordination.k8s.io") && r.resources.includes("leases")).flatMap((r: Obj) => r.verbs);
    expect(verbs.sort()).toEqual(["create", "get", "update"]);
    expect(role.rules.find((r: Obj) => r.verbs.includes("update")).resourceNames).toEqual(["sparky-orchestrator"]);
    for (const service of SERVICES.filter((s) => s !== "orchestrator")) {
      const other = named(objects(), "Deployment", `sparky-${service}`).spec.template.spec;
      expect(other.automountServiceAccountToken, service).toBe(false);
    }
  });

  it("pulls the model the analyzer and generator are configured with", () => {
    const job = named(objects(), "Job", "ollama-pull-model");
    const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: Obj) => [e.name, e.value]));
    const models = String(env.OLLAMA_MODELS_TO_PULL).split(/\s+/);
    expect(models).toContain(config.analyzer.model);
    expect(models).toContain(config.generator.model);
    expect(env.OLLAMA_HOST).toBe(config.analyzer.ollama_url);
  });

  it(overlay === "local" ? "runs the imported image, without a GPU, with NodePorts and the mounted checkout" : "runs the registry's image and gives Ollama the GPU", () => {
    const images = SERVICES.map((s) => containerOf(objects(), s).image);
    const ollama = named(objects(), "Deployment", "ollama").spec.template.spec;
    if (overlay === "local") {
      expect(new Set(images)).toEqual(new Set(["sparky:local"]));
      expect(JSON.stringify(objects())).not.toContain("nvidia.com/gpu");
      expect(ollama.runtimeClassName).toBeUndefined();
      const api = named(objects(), "Service", "sparky-orchestrator-api");
      expect(api.spec.type).toBe("NodePort");
      expect(api.spec.ports).toEqual([{ name: "http", port: config.orchestrator.http_port, targetPort: "http", nodePort: 30080 }]);
      expect(named(objects(), "Service", "grafana-nodeport").spec.ports[0].nodePort).toBe(30300);
      const collector = named(objects(), "Deployment", "sparky-collector").spec.template.spec;
      const repos = collector.containers[0].volumeMounts.find((m: Obj) => m.name === "repos");
      expect(repos).toEqual({ name: "repos", mountPath: "/repos/sparky", readOnly: true });
      expect(collector.volumes.find((v: Obj) => v.name === "repos").hostPath.path).toBe("/repos/sparky");
    } else {
      expect(new Set(images)).toEqual(new Set(["ghcr.io/raibid-labs/sparky:latest"]));
      expect(ollama.containers[0].resources.limits["nvidia.com/gpu"]).toBe(1);
      expect(ollama.runtimeClassName).toBe("nvidia");
      expect(byKind(objects(), "Service").every((s) => (s.spec.type ?? "ClusterIP") === "ClusterIP")).toBe(true);
    }
  });
});

describe("k8s/dgx", () => {
  it("provides the nvidia RuntimeClass the production overlay's Ollama asks for, and the device plugin using it", () => {
    const objects = render("k8s/dgx");
    const runtime = named(objects, "RuntimeClass", "nvidia");
    expect(runtime.handler).toBe("nvidia");
    const plugin = named(objects, "DaemonSet", "nvidia-device-plugin-daemonset");
    expect(plugin.metadata.namespace).toBe("kube-system");
    expect(plugin.spec.template.spec.runtimeClassName).toBe("nvidia");
  });
});
