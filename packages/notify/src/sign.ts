import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * `X-Sparky-Signature: sha256=<hex>`, the HMAC-SHA256 of `<timestamp>.<body>` with the
 * target's key, `<timestamp>` being the `X-Sparky-Timestamp` header (Unix seconds). Signing
 * the timestamp too lets a receiver refuse replays of an old delivery.
 */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does (and the tests do): recompute and compare in constant time. */
export function verifySignature(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = Buffer.from(signature(secret, timestamp, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
