# Build Sparky's image (Dockerfile) as sparky:local and sparky:<commit>.
use ../lib.nu *

def main [
  --dry-run               # print the commands instead of running them
  --tag: string           # extra tag (default: the short commit, -dirty when files changed)
  --platform: string      # e.g. linux/arm64 for an ARM DGX built on an x86 laptop (needs buildx)
] {
  require docker --dry-run=$dry_run
  require-docker-daemon --dry-run=$dry_run
  let tag = $tag | default (git-tag)
  let platform_args = if $platform == null { [] } else { [--platform $platform] }
  sh [docker build ...$platform_args --file ($ROOT | path join Dockerfile) --tag $LOCAL_IMAGE --tag $"sparky:($tag)" $ROOT] --dry-run=$dry_run
  finish $"built ($LOCAL_IMAGE) and sparky:($tag)" --dry-run=$dry_run
}
