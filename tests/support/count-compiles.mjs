// Preloaded with `node --import`: writes to SPARKY_COMPILE_LOG, at exit, one line per function
// the process compiled from a string (`new Function`, as zod does for each schema it runs
// compiled), with the first characters of its body.
import { writeFileSync } from "node:fs";

const log = process.env.SPARKY_COMPILE_LOG;
if (log) {
  const bodies = [];
  const note = (args) => bodies.push(String(args.at(-1) ?? "").slice(0, 60).replace(/\s+/g, " "));
  globalThis.Function = new Proxy(globalThis.Function, {
    construct(target, args, newTarget) {
      note(args);
      return Reflect.construct(target, args, newTarget);
    },
    apply(target, self, args) {
      note(args);
      return Reflect.apply(target, self, args);
    },
  });
  process.on("exit", () => writeFileSync(log, bodies.map((body) => `${body}\n`).join("")));
}
