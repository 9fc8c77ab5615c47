import { main } from "./main.js";

// Exit only once stdout has drained: a piped `--json` must arrive whole.
const code = await main(process.argv.slice(2));
process.stdout.write("", () => process.exit(code));
