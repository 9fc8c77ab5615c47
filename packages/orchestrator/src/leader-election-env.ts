import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import type { Logger } from "@sparky/harness";
import type { LeaderElection } from "./leader-election.js";

const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * Leader election for `sparky serve orchestrator`, or null when it does not apply: only
 * inside a cluster (KUBERNETES_SERVICE_HOST set) and only when the deployment asks for it
 * with SPARKY_LEADER_ELECTION=true. The lease lives in the pod's namespace (POD_NAMESPACE,
 * else the service account's), is named SPARKY_LEADER_LEASE (default sparky-orchestrator),
 * and the identity is POD_NAME (else the host name, which is the pod name).
 */
export async function leaderElectionFromEnv(
  env: NodeJS.ProcessEnv,
  log: Logger,
  onChange?: (leader: boolean) => void,
): Promise<LeaderElection | null> {
  const flag = (env.SPARKY_LEADER_ELECTION ?? "").trim().toLowerCase();
  if (!["true", "1", "yes"].includes(flag)) return null;
  if (!env.KUBERNETES_SERVICE_HOST) {
    log.info("SPARKY_LEADER_ELECTION is set but this is not a Kubernetes pod: schedules run without leader election");
    return null;
  }
  // The Kubernetes client costs tens of MiB and a good part of a second to load: only an
  // orchestrator pod that elects pays for it, never a stage, `sparky digest` or `serve all` outside a cluster.
  const [{ KubeConfig }, { createLeaderElection }] = await Promise.all([import("@kubernetes/client-node"), import("./leader-election.js")]);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromCluster();
  let namespace = env.POD_NAMESPACE?.trim();
  if (!namespace) {
    try {
      namespace = readFileSync(`${SERVICE_ACCOUNT_DIR}/namespace`, "utf8").trim();
    } catch {
      namespace = "sparky";
    }
  }
  return createLeaderElection({
    kubeConfig,
    namespace,
    leaseName: env.SPARKY_LEADER_LEASE?.trim() || "sparky-orchestrator",
    identity: env.POD_NAME?.trim() || hostname(),
    log,
    ...(onChange ? { onChange } : {}),
  });
}
