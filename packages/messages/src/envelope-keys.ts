/**
 * The envelope's fields in the order createMessage writes them: the codec reads and writes
 * this layout without looking up each key.
 */
export const ENVELOPE_KEYS = ["v", "id", "type", "time", "runId", "payload"] as const;
