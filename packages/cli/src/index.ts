export { main, HELP } from "./main.js";
export { startEmbedded } from "./embedded.js";
export type { Embedded } from "./embedded.js";
export type { Io } from "./io.js";
