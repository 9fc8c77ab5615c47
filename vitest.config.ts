import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests import packages from their TypeScript sources; processes spawned by
  // cross-process tests run the built `dist/` (the test command builds first).
  // Node-side modules resolve through `ssr`, so the condition is set there too.
  resolve: { conditions: ["sparky-source"] },
  ssr: { resolve: { conditions: ["sparky-source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "tests/**/*.test.ts"],
    // zeromq is a native addon: separate processes keep each file's sockets apart.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // A ceiling for cross-process tests on a loaded 2-core machine, not a timing assertion.
    testTimeout: 90_000,
    hookTimeout: 30_000,
  },
});
