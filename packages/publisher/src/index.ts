export { publishDigest } from "./publish-digest.js";
export type { PublishContext } from "./publish-digest.js";
export { redactUrl } from "./redact-url.js";
export { createPublisher } from "./create-publisher.js";
