#!/usr/bin/env node
// The bundle (scripts/bundle-cli.mjs, made by `pnpm build`) starts a digest in about half the
// time of the ~340 module files under dist/. It is taken only while its stamp is newer than every
// package's last build, so a `tsc -b` after an edit never runs stale code; without it (a bare
// `tsc -b`, the container image) the CLI runs from dist/, as it does with SPARKY_BUNDLE=0
// (with `--enable-source-maps`, stack traces then point into the TypeScript sources).
import { readdirSync, statSync } from "node:fs";

const bundleIsFresh = () => {
  if (process.env.SPARKY_BUNDLE === "0") return false;
  try {
    const packages = new URL("../../", import.meta.url);
    const stamp = statSync(new URL("../bundle/stamp", import.meta.url)).mtimeMs;
    return readdirSync(packages).every((name) => {
      try {
        return statSync(new URL(`${name}/tsconfig.tsbuildinfo`, packages)).mtimeMs <= stamp;
      } catch {
        return true; // not a built package
      }
    });
  } catch {
    return false;
  }
};

const argv = process.argv.slice(2);
// The commands that start the pipeline, i.e. load nearly all of Sparky. `status`, `tasks` and
// `--help` load a few modules and start faster from dist/ (bench/cli-startup.mjs); a served
// process pays its start-up once but would hold the bundle's source and code for months,
// about 5 MiB more per service (bench/service-idle-rss.mjs).
const PIPELINE = new Set(["digest", "backfill", "resume"]);
const bundle = PIPELINE.has(argv[0]) && bundleIsFresh() ? (await import("./load-bundle.js")).loadBundle(argv[0]) : undefined;
const { main } = bundle ?? (await import("../dist/main.js"));
const code = await main(argv);
bundle?.keepCache();
// Exit only once stdout has drained: a piped `--json` must arrive whole.
process.stdout.write("", () => process.exit(code));
