export { ConfigSchema, SERVICES } from "./config-schema.js";
export type { SparkyConfig, ServiceName, StageServiceName } from "./config-schema.js";
export { loadConfig, readSecrets, ConfigError } from "./config.js";
export type { LoadedConfig, LoadConfigOptions, Secrets } from "./config.js";
export { writeFileAtomic, writeJsonAtomic, readJson } from "./fs.js";
export { createLogger, REDACT_PATHS } from "./logger.js";
export type { Logger } from "./logger.js";
