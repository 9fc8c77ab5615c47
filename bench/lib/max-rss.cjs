// Preloaded (node -r) into every process a start-up benchmark runs, the baseline included:
// reports the process's peak RSS on exit, on stderr, for the parent to read.
process.on("exit", () => process.stderr.write(`\nmax-rss-kb=${process.resourceUsage().maxRSS}\n`));
