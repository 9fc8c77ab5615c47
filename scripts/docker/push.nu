# Push the image `just docker-build` made to the registry production pulls from
# (SPARKY_REGISTRY, default ghcr.io/raibid-labs; log in first: `docker login ghcr.io`).
use ../lib.nu *

def main [
  --dry-run               # print the commands instead of running them
  --registry: string      # default: $SPARKY_REGISTRY or ghcr.io/raibid-labs
  --tag: string           # default: the short commit (what deploy-production deploys)
] {
  require docker --dry-run=$dry_run
  require-docker-daemon --dry-run=$dry_run
  let registry = $registry | default (registry)
  let tag = $tag | default (git-tag)
  if ($tag | str ends-with "-dirty") and not $dry_run {
    error make --unspanned { msg: $"the checkout has uncommitted changes \(tag ($tag)\): commit them, or pass --tag to push anyway" }
  }
  let image = $"($registry)/sparky:($tag)"
  sh [docker tag $LOCAL_IMAGE $image] --dry-run=$dry_run
  sh [docker push $image] --dry-run=$dry_run
  finish $"pushed ($image); deploy it with: just deploy-production --image ($image)" --dry-run=$dry_run
}
