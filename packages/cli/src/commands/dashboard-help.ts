import { DASHBOARD_PORT } from "./dashboard-port.js";

export const DASHBOARD_HELP = `Usage: sparky dashboard [options]

Serve the web dashboard alone, from the local data directory and digests, with no
service running: http://127.0.0.1:4343/dashboard/ (overview and trends, runs, digests
rendered as GitHub would, people and repositories). Runs are read from the run
records every few seconds; live updates and the resume button need the orchestrator,
which serves the same dashboard on its HTTP port. Stops on Ctrl-C.

Options:
  --host HOST          Interface to bind (default 127.0.0.1). Any other needs
                       SPARKY_DASHBOARD_TOKEN: reads then need a sign-in with it.
  --port N             Port (default ${DASHBOARD_PORT})
  --output-dir DIR     The digests and their index.json (default: [generator] output_dir,
                       else the docs repository's folder when only it has them)
  --docs-repo DIR      Override [publisher] git_repo
  --config FILE        TOML config (default: config/$SPARKY_ENV.toml)
  --data-dir DIR       Override data_dir
  --log-level LEVEL    Override log_level
  -h, --help           This help
`;
