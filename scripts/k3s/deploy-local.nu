# Build the image, import it into the k3d cluster and deploy k8s/overlays/local.
use ../lib.nu *
use deploy-common.nu *

def main [
  --dry-run               # print the commands instead of running them
  --skip-build            # deploy the sparky:local image already built
] {
  let kube = kube-args --context $LOCAL_CONTEXT
  require docker k3d kubectl --dry-run=$dry_run
  require-cluster $kube "create it with `just k3d-create`" --dry-run=$dry_run
  if not $skip_build {
    require-docker-daemon --dry-run=$dry_run
    sh [docker build --file ($ROOT | path join Dockerfile) --tag $LOCAL_IMAGE $ROOT] --dry-run=$dry_run
  }
  sh [k3d image import $LOCAL_IMAGE --cluster $CLUSTER] --dry-run=$dry_run
  ensure-namespace $kube --dry-run=$dry_run
  apply-secrets $kube --dry-run=$dry_run | ignore
  apply-overlay $kube ($ROOT | path join k8s overlays local) --dry-run=$dry_run
  # The tag stays sparky:local: restart so the pods run the image just imported.
  restart-services $kube --dry-run=$dry_run
  wait-rollout $kube --dry-run=$dry_run
  finish "Sparky is up: runs API http://localhost:30080/runs, Grafana http://localhost:30300\nnext: just collect-weekly --date (the day of a commit), then just status" --dry-run=$dry_run
}
