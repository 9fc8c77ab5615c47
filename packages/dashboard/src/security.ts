import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * Scripts only from the dashboard itself, never inline. Styles allow 'unsafe-inline' because
 * Mermaid draws its charts as SVG with a <style> element inside (its theme): without it the
 * charts lose their colours and layout. Styles cannot run script, and every other source is 'self'.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "same-origin",
  "cross-origin-opener-policy": "same-origin",
};

/** 127.0.0.0/8, ::1 and localhost: only this machine can reach a server bound there. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost" || bare === "::1") return true;
  return isIP(bare) === 4 && bare.startsWith("127.");
}

export const SESSION_COOKIE = "sparky_dashboard_session";
const SESSION_MS = 12 * 60 * 60 * 1000;

function mac(token: string, expires: number): string {
  return createHmac("sha256", token).update(`sparky-dashboard-session/1:${expires}`).digest("base64url");
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A session is its expiry signed with the token: nothing to store, it survives a restart,
 * and changing SPARKY_DASHBOARD_TOKEN signs everyone out.
 */
export function newSession(token: string, now: number): { value: string; maxAgeSeconds: number } {
  const expires = now + SESSION_MS;
  return { value: `${expires}.${mac(token, expires)}`, maxAgeSeconds: SESSION_MS / 1000 };
}

export function validSession(token: string, value: string | undefined, now: number): boolean {
  const match = /^(\d{13})\.([A-Za-z0-9_-]+)$/.exec(value ?? "");
  if (!match) return false;
  const expires = Number(match[1]);
  return expires > now && same(match[2]!, mac(token, expires));
}

/** Compared as digests, so neither the time taken nor an early exit tells the token's length. */
export function sameToken(given: string, token: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest("base64url");
  return same(digest(given), digest(token));
}

export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

/** Secure when the browser reached us over https (directly or through the Ingress). */
export function sessionCookie(request: FastifyRequest, value: string, maxAgeSeconds: number, path: string): string {
  const https = request.protocol === "https" || request.headers["x-forwarded-proto"] === "https";
  return `${SESSION_COOKIE}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${https ? "; Secure" : ""}`;
}

export function withSecurityHeaders(reply: FastifyReply): FastifyReply {
  return reply.headers(SECURITY_HEADERS);
}
